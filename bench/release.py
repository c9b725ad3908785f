"""Released models: ``make train`` fits every model on all labelled data and writes artifacts.

The benchmark protocol (:mod:`bench.harness`) never uses these artifacts; they
exist for prediction on new readouts and for scoring external test files.
Unlike the protocol, they are trained on everything, the seed readout included.
"""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from bench import paths
from bench.atomic import atomic_folder
from bench.protocol import PROTOCOL
from bench.tasks import TASKS

MANIFEST = "manifest.json"


def artifact_name(model: str, task: str) -> str:
    return f"{model}.{task}.joblib"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True,
                              text=True, check=True).stdout.strip() or None
    except (OSError, subprocess.CalledProcessError):
        return None


def _plain_params(estimator) -> dict:
    """Hyperparameters as JSON: nested estimators are expanded by get_params(deep=True)."""
    plain = {}
    for key, value in sorted(estimator.get_params(deep=True).items()):
        if hasattr(value, "get_params") or (isinstance(value, list) and value and isinstance(value[0], tuple)):
            continue
        plain[key] = value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)
    return plain


# Attributes that scikit-learn caches by memory address (``id()``): they make
# otherwise identical pickles differ from run to run and are safe to drop.
VOLATILE_ATTRIBUTES = ("_stop_words_id",)


def _drop_volatile(obj, seen=None):
    """Remove run-dependent cache attributes from an estimator tree, so artifacts are reproducible."""
    seen = seen if seen is not None else set()
    if id(obj) in seen or not hasattr(obj, "__dict__"):
        return
    seen.add(id(obj))
    for name in VOLATILE_ATTRIBUTES:
        obj.__dict__.pop(name, None)
    for value in list(vars(obj).values()):
        children = value if isinstance(value, (list, tuple)) else [value]
        for child in children:
            child = child[1] if isinstance(child, tuple) and len(child) == 2 else child
            if hasattr(child, "get_params"):
                _drop_volatile(child, seen)


def _fit_one(spec, task_name, texts, sentences, seed, folder):
    import joblib

    task = TASKS[task_name]
    estimator = spec.build(task, seed)
    estimator.fit(texts, task.targets(sentences))
    path = folder / artifact_name(spec.name, task_name)
    _drop_volatile(estimator)
    joblib.dump(estimator, path)
    return spec.name, task_name, _plain_params(estimator)


def train(specs, corpus, *, n_jobs=2, log=sys.stderr) -> Path:
    """Fit every spec on every task with all of ``corpus``; returns the artifacts folder."""
    from joblib import Parallel, delayed

    from bench.harness import library_versions

    out = paths.artifacts_dir()
    corpus = corpus.subset(d for d, m in corpus.documents.items() if m["provenance"] != "contrast")
    with atomic_folder(out) as staging:
        sentences = [{k: v for k, v in s.items() if k != "_line"} for s in corpus.sentences]
        texts = [s["text"] for s in sentences]
        jobs = [(spec, task) for spec in specs for task in TASKS]
        print(f"[train] fitting {len(jobs)} model x task pairs on {len(texts)} sentences", file=log, flush=True)
        params = {}
        results = Parallel(n_jobs=n_jobs, return_as="generator")(
            delayed(_fit_one)(spec, task, texts, sentences, PROTOCOL.seed, staging) for spec, task in jobs)
        for i, (model, task, hyper) in enumerate(results, start=1):
            params.setdefault(model, {})[task] = hyper
            print(f"[train] {i:>3}/{len(jobs)} {model} {task}", file=log, flush=True)
        manifest = {
            "artifacts": {p.name: _sha256(p) for p in sorted(staging.glob("*.joblib"))},
            "corpus_sha256": corpus.sha256(),
            "trained_on": {"documents": len(corpus.documents), "sentences": len(sentences),
                           "note": "all labelled data, seed readout included, contrast set excluded"},
            "git_commit": _git_commit(),
            "versions": library_versions(),
            "seed": PROTOCOL.seed,
            "models": {spec.name: {"description": spec.description, "spec_sha256": spec.source_hash(),
                                   "hyperparameters": params[spec.name]} for spec in specs},
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return out


def trained_models() -> dict:
    """The manifest's models, after checking every artifact against its sha256."""
    folder = paths.artifacts_dir()
    manifest_path = folder / MANIFEST
    if not manifest_path.exists():
        raise SystemExit(f"{manifest_path}: no trained models; run `make train` first")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for name, digest in manifest["artifacts"].items():
        if _sha256(folder / name) != digest:
            raise SystemExit(f"{folder / name}: sha256 does not match {MANIFEST}; run `make train` again")
    return manifest


def load_model(model: str, task: str):
    import joblib

    trained_models()
    path = paths.artifacts_dir() / artifact_name(model, task)
    if not path.exists():
        raise SystemExit(f"{path}: model '{model}' was not trained; run `make train`")
    return joblib.load(path)


def best_model(task: str) -> str:
    """The best model on the committed leaderboard for ``task`` (default for prediction)."""
    results = paths.results_dir() / "results.json"
    if results.exists():
        return json.loads(results.read_text(encoding="utf-8"))["tasks"][task]["comparison"]["best"]
    return "tfidf_logreg"
