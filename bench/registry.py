"""The model registry: every ``models/<name>.py`` that defines ``build(task, seed)``.

A model spec is a short Python file::

    '''One-line description shown on the leaderboard.'''
    from sklearn.pipeline import make_pipeline
    ...
    def build(task, seed):
        return make_pipeline(...)

``build`` returns an unfitted scikit-learn-compatible estimator (anything with
``fit`` and ``predict``; ``decision_function`` or ``predict_proba`` are used for
scores when present). For the multi-label ``domain`` task the harness wraps it
in ``OneVsRestClassifier`` unless the spec sets ``MULTILABEL = True``.
Optional comparators set ``REQUIRES = ["module"]``; they are listed as
unavailable, not failed, when that module is not installed.
"""

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from bench import paths
from bench.errors import KitError

SKIP_FILES = {"__init__.py", "TEMPLATE.py"}


class ModelError(KitError):
    """A model that cannot be used: unknown name, malformed spec, or nothing available to run."""


@dataclass(frozen=True)
class ModelSpec:
    """A named model: ``build(task, seed)`` from a ``models/<name>.py`` file, or from a Python callable.

    ``build`` has one signature everywhere: ``task`` is the task's name
    (``"rhetoric"`` or ``"domain"``) and ``seed`` an int.
    """

    name: str
    path: Path | None
    description: str
    requires: tuple[str, ...]
    multilabel_native: bool
    factory: object = None          # a callable build(task, seed), for models defined in Python

    @classmethod
    def from_callable(cls, name: str, build, description: str = "", multilabel: bool = False) -> "ModelSpec":
        """A spec for a model defined in Python (see :func:`bench.api.evaluate`)."""
        if not callable(build):
            raise ModelError(f"model '{name}': build must be callable as build(task, seed)")
        text = description or (getattr(build, "__doc__", None) or name).strip().splitlines()[0]
        return cls(name, None, text, (), bool(multilabel), build)

    @property
    def available(self) -> bool:
        return all(importlib.util.find_spec(module) is not None for module in self.requires)

    def source_hash(self) -> str:
        """Identifies the spec's code (cache key, manifest)."""
        if self.factory is not None:
            import inspect

            try:
                source = inspect.getsource(self.factory)
            except (OSError, TypeError):
                source = repr(self.factory)
            return hashlib.sha256(f"{self.name}\n{source}".encode()).hexdigest()
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    def module(self):
        spec = importlib.util.spec_from_file_location(f"readout_bench_models.{self.name}", self.path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    def build(self, task: str, seed: int):
        """A fresh unfitted estimator for the task named ``task``, multi-label-ready for ``domain``."""
        from bench.tasks import TASKS

        if task not in TASKS:
            raise ModelError(f"unknown task {task!r}; tasks: {', '.join(TASKS)}")
        build = self.factory if self.factory is not None else self.module().build
        estimator = build(task, seed)
        if TASKS[task].kind == "multilabel" and not self.multilabel_native:
            estimator = one_vs_rest(estimator)
        return estimator


def one_vs_rest(estimator):
    """Make ``estimator`` multi-label: one binary classifier per label.

    For a pipeline only the final step is wrapped, so the text features are
    fitted once rather than once per label (ten times faster for char n-grams,
    and the same predictions, since the vectoriser ignores the labels).
    """
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import Pipeline

    if isinstance(estimator, Pipeline):
        name, final = estimator.steps[-1]
        estimator.steps[-1] = (name, OneVsRestClassifier(final))
        return estimator
    if not hasattr(estimator, "get_params"):      # duck-typed model: scikit-learn cannot clone it
        return PerLabel(estimator)
    return OneVsRestClassifier(estimator)


class PerLabel:
    """One deep copy of a duck-typed binary classifier per label (for models without get_params)."""

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, texts, targets):
        import copy

        self.estimators_ = [copy.deepcopy(self.estimator).fit(texts, targets[:, j]) for j in range(targets.shape[1])]
        return self

    def predict(self, texts):
        import numpy as np

        return np.column_stack([np.asarray(e.predict(texts)) for e in self.estimators_])


def _read_spec(path: Path) -> ModelSpec:
    """Read a spec's metadata without importing it (imports may need optional extras)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    description = (ast.get_docstring(tree) or path.stem).strip().splitlines()[0]
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                constants[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    if not any(isinstance(n, ast.FunctionDef) and n.name == "build" for n in tree.body):
        raise ModelError(f"{path}:1: model spec defines no build(task, seed) function")
    return ModelSpec(path.stem, path, description, tuple(constants.get("REQUIRES", ())),
                     bool(constants.get("MULTILABEL", False)))


def discover(folder=None) -> dict[str, ModelSpec]:
    """All model specs by name, sorted (the order of the leaderboard before ranking).

    ``models/`` is always searched; ``READOUT_BENCH_EXTRA_MODELS`` (a folder)
    adds specs kept outside the repository.
    """
    folders = [Path(folder)] if folder else paths.model_spec_dirs()
    files = [p for f in folders for p in sorted(f.glob("*.py")) if p.name not in SKIP_FILES]
    specs = {}
    for path in files:
        if path.stem in specs:
            raise ModelError(f"{path}:1: model name '{path.stem}' is already defined in {specs[path.stem].path}")
        specs[path.stem] = _read_spec(path)
    return dict(sorted(specs.items()))


def select(names=None, folder=None) -> list[ModelSpec]:
    """Specs named in ``names`` (comma-separated str or list), or all of them."""
    specs = discover(folder)
    if not names:
        return list(specs.values())
    wanted = [n.strip() for n in (names.split(",") if isinstance(names, str) else names) if n.strip()]
    unknown = [n for n in wanted if n not in specs]
    if unknown:
        raise ModelError(f"unknown model '{unknown[0]}'; known: {', '.join(specs)}")
    return [specs[n] for n in wanted]
