"""Benchmarks (not tests): ``make benchmark`` and ``make benchmark-scale`` print figures.

``python -m bench.timing`` (``make benchmark``):

1. a cold ``train`` and ``eval`` of every model on the shipped corpus (empty
   cache, temporary outputs), with wall time, peak memory, seconds per 1,000
   corpus sentences, and the protocol's phase breakdown (fit time per model);
2. ``predict`` end to end on 10k, 100k and 1M sentences (JSONL in, JSONL out)
   with the word TF-IDF model and the character model, beside the raw speed of
   the same fitted model on the same texts in memory.

``python -m bench.timing solvers``: the logistic-regression solver comparison behind
``models/tfidf_logreg.py``.

``python -m bench.timing scale`` (``make benchmark-scale``): ``splits``,
``train`` and ``eval`` on resampled corpora of 1x, 10x and 50x the shipped size
(:mod:`bench.scale`), each phase's time and peak memory, and — when the fastText
extra is installed — the fastest baseline against fastText on >= 200k sentences.

Each command runs as its own process; its peak memory is that process tree's
largest resident set (``wait4``), so the figures are what a user would see.
Timings are noisy on a shared machine: read them as orders of magnitude and
ratios, not to the last decimal.
"""

import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import paths

TARGET_SECONDS_PER_1000 = 1.5
PREDICT_SIZES = (10_000, 100_000, 1_000_000)


def run(args, env, *, quiet=True) -> tuple[float, float]:
    """(wall seconds, peak MiB of the process tree) of ``python -m bench <args>``."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bench", *map(str, args)], cwd=paths.ROOT, env=env,
                            stdout=subprocess.DEVNULL if quiet else None, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"benchmark: `bench {' '.join(map(str, args))}` failed:\n{stderr.decode()[-800:]}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def _env(tmp, **extra):
    return {**os.environ, "READOUT_BENCH_CACHE": f"{tmp}/cache", "READOUT_BENCH_RESULTS": f"{tmp}/results",
            "READOUT_BENCH_ARTIFACTS": f"{tmp}/trained", "READOUT_BENCH_OUTPUTS": f"{tmp}/outputs", **extra}


def _sentences_file(path: Path, n: int):
    from bench.corpus import load_all

    texts = [s["text"] for s in load_all().where(provenance="constructed").sentences]
    with path.open("w", encoding="utf-8") as handle:
        for i, text in zip(range(n), itertools.cycle(texts)):
            handle.write(json.dumps({"doc_id": f"d{i // 10}", "sent_id": i % 10, "text": text}) + "\n")


def _raw_speed(model: str, n: int, env) -> float:
    """Sentences/s of the fitted model alone (both tasks, in memory, batches of 10k)."""
    code = (
        "import json,time,itertools,sys\n"
        "from bench.predict import Predictor\n"
        "from bench.corpus import load_all\n"
        "texts=[s['text'] for s in load_all().where(provenance='constructed').sentences]\n"
        f"texts=[t for _,t in zip(range({n}), itertools.cycle(texts))]\n"
        f"p=Predictor('{model}'); t=time.perf_counter()\n"
        "for i in range(0,len(texts),10000): p(texts[i:i+10000])\n"
        "print(len(texts)/(time.perf_counter()-t))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, env=env, capture_output=True, text=True,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1])


def core_models() -> str:
    """The baselines that need no optional extra (what a fresh clone's `make train eval` runs)."""
    from bench.registry import discover

    return ",".join(sorted(name for name, spec in discover().items() if not spec.requires))


def protocol_benchmark():
    from bench.corpus import load_all

    n_sentences = len(load_all().sentences)
    models = core_models()
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(tmp)
        print(f"cores: {os.cpu_count()}; corpus: {n_sentences} sentences (all corpora); models: {models}", flush=True)
        figures = {}
        for command in ("train", "eval"):
            figures[command] = run([command, "--models", models], env)
            print(f"{command:>6}: {figures[command][0]:7.1f} s   peak {figures[command][1]:6.0f} MiB", flush=True)
        total = sum(t for t, _ in figures.values())
        per_1000 = total / n_sentences * 1000
        print(f" total: {total:7.1f} s = {per_1000:.2f} s per 1,000 sentences "
              f"(target <= {TARGET_SECONDS_PER_1000} s: {'met' if per_1000 <= TARGET_SECONDS_PER_1000 else 'NOT met'})")
        timings = json.loads(Path(f"{tmp}/outputs/eval/custom/timings.json").read_text())   # a --models run
        phases = timings.pop("phases", {})
        print("\nphases of eval (wall seconds):")
        for name, seconds in phases.items():
            print(f"  {name.removesuffix('_seconds').replace('_', ' '):<16} {seconds:7.1f} s")
        print(f"  {'start-up, writing':<16} {figures['eval'][0] - sum(phases.values()):7.1f} s "
              "(imports, reading the corpus, results, plots and report)")
        print("\nfit seconds of the jobs, summed over all runs (CPU-seconds on the workers), per model and task:")
        fits = sorted(((t["fit_seconds_total"], task, model) for task, models in timings.items()
                       for model, t in models.items()), reverse=True)
        for seconds, task, model in fits:
            print(f"  {task:<9} {model:<16} fit {seconds:6.1f} s")
        print(f"  {'all':<26} fit {sum(s for s, _, _ in fits):6.1f} s")
        print("\npredict, JSONL in and out (train once, then each size; end to end including start-up):")
        for model in ("tfidf_svm", "char_svm"):
            run(["train", "--models", model], env)
            raw = _raw_speed(model, 100_000, env)
            print(f"  {model}: raw model speed {raw:,.0f} sentences/s (both tasks, in memory)")
            for n in PREDICT_SIZES:
                source = Path(tmp) / f"in{n}.jsonl"
                if not source.exists():
                    _sentences_file(source, n)
                seconds, peak = run(["predict", source, "--out", Path(tmp) / "out.jsonl", "--model", model], env)
                print(f"    {n:>9,} sentences: {seconds:7.1f} s  {n / seconds:9,.0f} sentences/s  peak {peak:5.0f} MiB",
                      flush=True)


SCALE_FACTORS = (1, 10, 50)
# The harness's own scaling, with models whose fit is one pass over the data: Complement NB and the
# rule floor. liblinear's SVM fits grow much faster than the data on resampled copies (issue #10 note).
SCALE_MODELS = "tfidf_cnb,keyword_rules"


def scale_benchmark(factors=SCALE_FACTORS, models=SCALE_MODELS):
    from bench.scale import resample

    with tempfile.TemporaryDirectory() as tmp:
        print(f"phases on resampled corpora (models: {models}); time and peak memory per phase", flush=True)
        print(f"{'factor':>6} {'sentences':>10} {'splits':>16} {'train':>16} {'eval':>16}")
        for factor in factors:
            corpus_dir = Path(tmp) / f"x{factor}"
            resample(factor, corpus_dir)
            n = sum(1 for p in corpus_dir.glob("*/sentences.jsonl") for _ in p.open())
            env = _env(f"{tmp}/run{factor}", READOUT_BENCH_CORPUS=str(corpus_dir))
            cells = [run(["splits"], env), run(["train", "--models", models], env),
                     run(["eval", "--models", models], env)]
            print(f"{factor:>5}x {n:>10,} " + " ".join(f"{t:7.1f}s {m:5.0f}MiB" for t, m in cells), flush=True)
    _fasttext_comparison()


def _fasttext_comparison(n_target=200_000):
    try:
        import fasttext  # noqa: F401  (only checks the extra is installed)
    except ImportError:
        print("\nfastText comparison skipped: `make extras-fasttext` installs the extra")
        return
    from bench.comparators import SCALE_SYSTEMS

    print(f"\nrhetoric on >= {n_target:,} resampled sentences (split by source document); one process per system:",
          flush=True)
    for system in SCALE_SYSTEMS:
        code = f"from bench.comparators import scale_comparison; scale_comparison({n_target}, system={system!r})"
        subprocess.run([sys.executable, "-c", code], cwd=paths.ROOT, check=True)


def solver_comparison(seed=20261127):
    """Fit time and test macro-F1 of logistic-regression solvers on the shipped split (``python -m bench.timing solvers``).

    One fit on train+dev per task and solver, features computed beforehand (as the
    protocol shares them), scored on the test split: the figures behind
    ``models/tfidf_logreg.py``'s choice of solver.
    """
    import warnings

    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.multiclass import OneVsRestClassifier

    from bench.corpus import load_all
    from bench.features import word_tfidf
    from bench.splits import load_splits
    from bench.tasks import TASKS

    corpus, parts = load_all(), load_splits()["documents"]
    train = [s for s in corpus.sentences if parts.get(s["doc_id"]) in ("train", "dev")]
    test = [s for s in corpus.sentences if parts.get(s["doc_id"]) == "test"]
    vectoriser = word_tfidf()
    X, Xt = vectoriser.fit_transform([s["text"] for s in train]), vectoriser.transform([s["text"] for s in test])
    print(f"logistic regression (C=10, balanced, tol=1e-3) on {len(train):,} training and {len(test):,} test sentences")
    for task in TASKS.values():
        solvers = ("lbfgs", "saga", "liblinear") if task.kind == "multilabel" else ("lbfgs", "saga")
        for solver in solvers:
            model = LogisticRegression(C=10.0, class_weight="balanced", solver=solver, max_iter=3000, tol=1e-3,
                                       random_state=seed)
            model = OneVsRestClassifier(model) if task.kind == "multilabel" else model
            started = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                model.fit(X, task.targets(train))
            seconds = time.perf_counter() - started
            score = f1_score(task.targets(test), model.predict(Xt), average="macro", zero_division=0)
            print(f"  {task.name:<9} {solver:<10} fit {seconds:5.2f} s   macro-F1 {score:.4f}", flush=True)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["solvers"]:
        solver_comparison()
    elif argv[:1] == ["scale"]:
        import argparse

        parser = argparse.ArgumentParser(prog="python -m bench.timing scale")
        parser.add_argument("--factors", default=",".join(map(str, SCALE_FACTORS)),
                            help="comma-separated corpus multiples (default %(default)s)")
        parser.add_argument("--models", default=SCALE_MODELS, help="models to train and evaluate (default %(default)s)")
        args = parser.parse_args(argv[1:])
        try:
            factors = tuple(int(f) for f in args.factors.split(",") if f.strip())
        except ValueError:
            parser.error(f"--factors {args.factors!r}: give whole numbers, e.g. 10,50")
        scale_benchmark(factors, args.models)
    else:
        protocol_benchmark()


if __name__ == "__main__":
    main()
