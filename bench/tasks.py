"""Task metadata: what is predicted, how labels are encoded, which metric heads the board.

Both tasks encode gold and predicted labels as a binary indicator matrix
(sentences x labels, schema order). For ``rhetoric`` each row is one-hot; this
shared encoding lets one set of count-based metric and statistics routines serve
both tasks (see :mod:`bench.metrics`).
"""

from dataclasses import dataclass

import numpy as np

from bench.schema import load_schema


@dataclass(frozen=True)
class Task:
    name: str
    kind: str          # "multiclass" (one label) or "multilabel" (a set, maybe empty)
    labels: tuple[str, ...]
    headline: str      # the leaderboard's ranking metric
    description: str

    @property
    def field(self) -> str:
        """The key of a sentence object that holds this task's gold label(s)."""
        return "rhetoric" if self.name == "rhetoric" else "domains"

    def targets(self, sentences) -> np.ndarray:
        """What estimators are fit on: class ids (multiclass) or an indicator matrix (multilabel)."""
        if self.kind == "multiclass":
            return np.array([s[self.field] for s in sentences], dtype=object)
        return self.indicator([s[self.field] for s in sentences])

    def indicator(self, values) -> np.ndarray:
        """Labels per sentence (a str or a list of str) as a 0/1 matrix in schema order."""
        index = {label: j for j, label in enumerate(self.labels)}
        matrix = np.zeros((len(values), len(self.labels)), dtype=np.int8)
        for i, value in enumerate(values):
            for label in ([value] if isinstance(value, str) else value):
                matrix[i, index[label]] = 1
        return matrix

    def decode(self, predictions) -> list:
        """Estimator output back to JSON-able labels: a str, or a sorted-by-schema list."""
        if self.kind == "multiclass":
            return [str(p) for p in predictions]
        rows, columns = self.nonzero(predictions)
        return by_row(rows, [self.labels[j] for j in columns.tolist()], np.shape(predictions)[0])

    @staticmethod
    def nonzero(predictions) -> tuple:
        """(rows, columns) of a multi-label indicator matrix's set cells, row by row, columns in order."""
        matrix = np.asarray(predictions.toarray() if hasattr(predictions, "toarray") else predictions)
        if matrix.ndim != 2:
            raise ValueError(f"expected a (sentences x labels) indicator matrix, got shape {matrix.shape}")
        return np.nonzero(matrix)


def by_row(rows, values, n: int) -> list[list]:
    """``values`` gathered into ``n`` lists by their row in ``rows`` (as :meth:`Task.nonzero` orders them)."""
    out = [[] for _ in range(n)]
    for i, value in zip(rows.tolist(), values):
        out[i].append(value)
    return out


def _tasks():
    schema = load_schema()
    return {
        "rhetoric": Task("rhetoric", "multiclass", schema.rhetoric, "macro_f1",
                         "Primary rhetorical act of the sentence (one of seven)."),
        "domain": Task("domain", "multilabel", schema.domains, "macro_f1",
                       "Policy domains the sentence names (any of ten, possibly none)."),
    }


TASKS = _tasks()
