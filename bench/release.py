"""Released models: ``make train`` fits models on all labelled data and writes safe artifacts.

The benchmark protocol (:mod:`bench.harness`) never uses these artifacts; they
exist for prediction on new readouts and for scoring external test files.
Unlike the protocol, they are trained on everything, the seed readout included
(the contrast set stays out: it is an evaluation set).

Artifacts are skops files (:mod:`bench.artifacts`): loading one cannot run code.
The folder is published atomically with a manifest of every file's sha256
(:mod:`bench.atomic`); ``manifest.json`` adds what each model is. Readers load
a model only when the folder verifies and the manifest lists it.
``make train MODELS=a,b`` adds or replaces those models and keeps the others.
"""

import json
import os
import shutil
import subprocess
import sys

from bench import paths
from bench.artifacts import UnsafeArtifact, dumps, loads
from bench.atomic import IntegrityError, atomic_folder, verify
from bench.outputs import check_output_folder
from bench.protocol import PROTOCOL
from bench.registry import ModelError
from bench.tasks import TASKS

MANIFEST = "manifest.json"


def artifact_name(model: str, task: str) -> str:
    return f"{model}.{task}.skops"


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


def _fit_one(spec, task_name, texts, sentences, seed):
    """(model, task, hyperparameters, skops bytes or None, why not)."""
    from threadpoolctl import threadpool_limits

    task = TASKS[task_name]
    estimator = spec.build(task.name, seed)
    with threadpool_limits(limits=1):
        estimator.fit(texts, task.targets(sentences))
    params = _plain_params(estimator) if hasattr(estimator, "get_params") else {}
    try:
        data = dumps(estimator)
        loads(data)                      # only what loads safely is released
    except Exception as err:             # e.g. an optional comparator wrapping a C++ model
        return spec.name, task_name, params, None, f"{type(err).__name__}"
    return spec.name, task_name, params, data, None


def _previous_manifest(folder):
    try:
        verify(folder, needed=(MANIFEST,))
    except IntegrityError:
        return None
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def train(specs, corpus, *, n_jobs=2, log=sys.stderr):
    """Fit every spec on every task with ``corpus`` (minus the contrast set); returns the artifacts folder.

    Models already released and not named in ``specs`` are kept (copied over
    after verification); a spec whose model cannot be saved safely is skipped
    with a note.
    """
    from joblib import Parallel, delayed, parallel_config

    from bench.harness import library_versions
    from bench.workers import watch_parent

    out = check_output_folder(paths.artifacts_dir(), "models")
    corpus = corpus.subset(d for d, m in corpus.documents.items() if m["provenance"] != "contrast")
    previous = _previous_manifest(out) if out.exists() else None
    kept = {}
    if previous and previous.get("corpus_sha256") == corpus.sha256():
        kept = {name: entry for name, entry in previous["models"].items() if name not in {s.name for s in specs}}
    sentences = [{k: v for k, v in s.items() if k != "_line"} for s in corpus.sentences]
    texts = [s["text"] for s in sentences]
    jobs = [(spec, task) for spec in specs for task in TASKS]
    print(f"[train] fitting {len(jobs)} model x task pairs on {len(texts)} sentences"
          + (f"; keeping {', '.join(sorted(kept))}" if kept else ""), file=log, flush=True)
    with atomic_folder(out, "models") as staging:
        for name in kept:
            for task in TASKS:
                shutil.copy2(out / artifact_name(name, task), staging / artifact_name(name, task))
        params, skipped = {}, {}
        with parallel_config(backend="loky", initializer=watch_parent, initargs=(os.getpid(),)):
            results = Parallel(n_jobs=n_jobs, return_as="generator")(
                delayed(_fit_one)(spec, task, texts, sentences, PROTOCOL.seed) for spec, task in jobs)
            for i, (model, task, hyper, data, why) in enumerate(results, start=1):
                if data is None:
                    skipped[model] = why
                    print(f"[train] {i:>3}/{len(jobs)} {model} {task}: not released ({why}: cannot be saved "
                          "in the safe format)", file=log, flush=True)
                    continue
                (staging / artifact_name(model, task)).write_bytes(data)
                params.setdefault(model, {})[task] = hyper
                print(f"[train] {i:>3}/{len(jobs)} {model} {task}", file=log, flush=True)
        models = dict(kept)
        for spec in specs:
            if spec.name in params and spec.name not in skipped:
                models[spec.name] = {"description": spec.description, "spec_sha256": spec.source_hash(),
                                     "hyperparameters": params[spec.name]}
        for name in skipped:
            for task in TASKS:
                (staging / artifact_name(name, task)).unlink(missing_ok=True)
        if not models:
            raise ModelError("no model could be released (none can be saved in the safe skops format)")
        manifest = {
            "format": "skops (bench.artifacts); files and sha256 in FILES.sha256.json",
            "corpus_sha256": corpus.sha256(),
            "trained_on": {"documents": len(corpus.documents), "sentences": len(sentences),
                           "note": "all labelled data, seed readout included, contrast set excluded"},
            "git_commit": _git_commit(),
            "versions": library_versions(),
            "seed": PROTOCOL.seed,
            "models": dict(sorted(models.items())),
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return out


def trained_models() -> dict:
    """The manifest, after verifying the released-models folder file by file."""
    folder = paths.artifacts_dir()
    if not (folder / MANIFEST).exists() and not folder.exists():
        raise ModelError(f"{folder}: no trained models; run `make train` first")
    try:
        verify(folder, needed=(MANIFEST,))
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (IntegrityError, json.JSONDecodeError, UnicodeDecodeError) as err:
        raise ModelError(f"{err}" if isinstance(err, IntegrityError) else
                         f"{folder / MANIFEST}:1: unreadable manifest; run `make train` again") from None


def load_model(model: str, task: str, manifest=None):
    """A released model by registry name; only names the verified manifest lists are loaded."""
    manifest = manifest or trained_models()
    if model not in manifest["models"]:
        from difflib import get_close_matches

        known = sorted(manifest["models"])
        hint = get_close_matches(model, known, n=1)
        raise ModelError(f"model '{model}' is not among the trained models ({', '.join(known)})"
                         + (f"; did you mean '{hint[0]}'?" if hint else "")
                         + " — models are named, not given as paths; `make train MODELS=name` adds one")
    path = paths.artifacts_dir() / artifact_name(model, task)
    try:
        return loads(path.read_bytes(), where=str(path))
    except UnsafeArtifact as err:
        raise ModelError(str(err)) from None


def best_model(task: str, manifest) -> str:
    """The committed leaderboard's best model for ``task``; ModelError if there is none or it is not trained."""
    from bench.results import read_results

    if not (paths.results_dir() / "results.json").exists():
        raise ModelError(f"{paths.results_dir()}: no leaderboard to pick the best model from; give MODEL=name "
                         f"(trained: {', '.join(sorted(manifest['models']))})")
    best = read_results().get("tasks", {}).get(task, {}).get("comparison", {}).get("best")
    if not isinstance(best, str) or best not in manifest["models"]:
        raise ModelError(f"the leaderboard's best {task} model '{best}' was not trained; run `make train "
                         f"MODELS={best}` or give MODEL= one of: {', '.join(sorted(manifest['models']))}")
    return best
