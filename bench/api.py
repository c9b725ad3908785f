"""Using readout-bench from Python: load the data, run the protocol for your model, score predictions.

Everything here is what the command line does, as plain functions; nothing is
written unless ``out=`` names a folder. The examples in the README run in a
test (``tests/test_api.py``)::

    from bench import api

    test = api.load_sentences("test")                  # gold test sentences (list of dicts)
    results = api.evaluate(build, name="my_model")     # the full protocol, paired against tfidf_svm
    board = api.score(predictions)                     # your system's predictions on the test split

A *model* is ``build(task, seed)`` returning an unfitted scikit-learn-style
estimator over lists of sentence strings — exactly what a ``models/<name>.py``
file defines (see ``models/TEMPLATE.py``).
"""

import sys
from pathlib import Path

from bench.errors import KitError

PARTS = ("train", "dev", "test", "seed", "contrast")


def load_sentences(part: str | None = None, *, labels: bool = True) -> list[dict]:
    """Sentences of one part of the fixed split (``train``, ``dev``, ``test``, ``seed``, ``contrast``), or all.

    Each is a dict with ``doc_id``, ``sent_id``, ``text``, ``split`` and, unless
    ``labels=False``, the gold ``domains`` and ``rhetoric``.
    """
    from bench.harness import load_benchmark

    if part is not None and part not in PARTS:
        raise KitError(f"part {part!r}: use one of {', '.join(PARTS)} (or None for all)")
    corpus, _ = load_benchmark()
    hidden = {"_line", "_split"} | (set() if labels else {"domains", "rhetoric", "phenomena"})
    return [{**{k: v for k, v in s.items() if k not in hidden}, "split": s["_split"]}
            for s in corpus.sentences if part is None or s["_split"] == part]


def load_documents() -> dict[str, dict]:
    """Per-document metadata (title, genre, parties, region, provenance, writer, codebook …), by ``doc_id``."""
    from bench.corpus import load_all

    return load_all().documents


def splits() -> dict:
    """The committed split record: ``documents`` (doc_id → part), ``ood`` (held-out sets) and ``cv`` folds."""
    from bench.splits import load_splits

    return load_splits()


def labels(task: str) -> tuple[str, ...]:
    """Label ids of ``"rhetoric"`` or ``"domain"``, in schema order."""
    from bench.tasks import TASKS

    if task not in TASKS:
        raise KitError(f"task {task!r}: use one of {', '.join(TASKS)}")
    return TASKS[task].labels


def evaluate(build, name: str = "my_model", *, against=("tfidf_svm", "keyword_rules"), description: str = "",
             multilabel: bool = False, out=None, n_jobs: int = 2, log=sys.stderr) -> dict:
    """Run the full protocol for ``build(task, seed)`` beside the registry models named in ``against``.

    Returns the results record (the same structure as ``results/results.json``):
    ``results["tasks"]["rhetoric"]["models"][name]["test"]["macro_f1"]``, its CI and
    paired p-value vs the best in ``results["tasks"][...]["comparison"]``. With
    ``out=folder`` the leaderboard, report and predictions are written there too.
    """
    from bench.harness import evaluate as run_protocol
    from bench.registry import ModelSpec, select

    spec = ModelSpec.from_callable(name, build, description, multilabel)
    specs = [spec] + [s for s in select(list(against)) if s.name != name] if against else [spec]
    results, predictions, timings, ngrams, corpus = run_protocol(specs, n_jobs=n_jobs, log=log)
    if out is not None:
        from bench.outputs import check_output_folder
        from bench.report import build_analysis, write_all
        from bench.tasks import TASKS

        folder = check_output_folder(Path(out), "results")
        write_all(folder, results, predictions, timings,
                  build_analysis(results, predictions, corpus, list(TASKS.values()), ngrams))
    return results


def score(predictions, gold=None, name: str = "my_system", out=None, log=sys.stderr) -> dict:
    """Score predictions (a JSONL path, or a list of dicts with doc_id, sent_id, rhetoric and/or domains).

    Against ``gold`` (a path, or list of dicts) or, by default, the benchmark test
    split, where the system is ranked beside the leaderboard's models with the
    same paired statistics. Returns {task: {"models": metrics, "comparison": ...}}.
    """
    import json
    import tempfile

    from bench.external import score_predictions

    with tempfile.TemporaryDirectory() as tmp:
        def as_path(value, stem):
            if value is None or isinstance(value, (str, Path)):
                return value
            path = Path(tmp) / f"{stem}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in value), encoding="utf-8")
            return path

        result, _ = score_predictions(as_path(predictions, name), as_path(gold, "gold"), name,
                                      out or Path(tmp) / "out", log=log)
    return result
