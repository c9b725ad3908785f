"""The benchmark protocol: which model is fit on which documents and scored on which.

For every model and task the protocol runs these fit-and-predict jobs:

- ``test``: fit on train+dev, predict the test split, the seed readout and the contrast set;
- ``ood/<key>``: fit on train+dev minus a held-out region (or genre), predict all of it;
- ``cv/r{repeat}/f{fold}``: repeated grouped cross-validation over train+dev;
- ``curve/{fraction}``: fit on a seeded fraction of train+dev documents, predict test.

Jobs of one run share featurisation and go to a worker together; runs go two
at a time (one per core) through joblib, print progress, and each job is cached on disk keyed by the model spec's source, the task, the documents
involved, the corpus hash and the library versions: an interrupted run resumes
where it stopped, and adding one model re-runs only that model. Everything
random takes a seed from :data:`bench.protocol.PROTOCOL`.
"""

import hashlib
import json
import os
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench import paths
from bench.analysis import indicative_ngrams
from bench.corpus import load_all
from bench.metrics import label_counts, macro_f1_from_counts, score
from bench.protocol import PROTOCOL
from bench.registry import ModelError
from bench.splits import load_splits
from bench.stats import bootstrap, document_tables, holm, mcnemar, permutation_test
from bench.tasks import TASKS

SCORE_DECIMALS = 4


@dataclass(frozen=True)
class Job:
    """One fit-and-predict unit of work."""

    model: str
    task: str
    run: str
    train_docs: tuple
    eval_docs: tuple


def library_versions() -> dict:
    import joblib
    import scipy
    import sklearn

    return {"python": sys.version.split()[0], "scikit-learn": sklearn.__version__,
            "numpy": np.__version__, "scipy": scipy.__version__, "joblib": joblib.__version__}


def plan(specs, splits, tasks, protocol=PROTOCOL) -> list[Job]:
    """Every job the protocol needs, in a fixed order."""
    parts = splits["documents"]
    pool = tuple(d for d, p in parts.items() if p in ("train", "dev"))
    test = tuple(d for d, p in parts.items() if p == "test")
    held_out = tuple(d for d, p in parts.items() if p in ("seed", "contrast"))
    runs = [("test", pool, test + held_out)]
    for ood in splits["ood"]:
        if ood["documents"]:
            excluded = set(ood["documents"])
            runs.append((f"ood/{ood['key']}", tuple(d for d in pool if d not in excluded), tuple(ood["documents"])))
    for r, fold_of in enumerate(splits["cv"]):
        for k in range(protocol.cv_folds):
            held = tuple(d for d in pool if fold_of[d] == k)
            runs.append((f"cv/r{r}/f{k}", tuple(d for d in pool if fold_of[d] != k), held))
    # Nested subsets: each smaller training set is part of every larger one.
    order = np.asarray(pool)[np.random.default_rng(protocol.seed).permutation(len(pool))]
    for fraction in protocol.learning_curve:
        n = max(2, int(round(fraction * len(pool))))
        chosen = set(order[:n])
        runs.append((f"curve/{fraction}", tuple(d for d in pool if d in chosen), test))
    return [Job(spec.name, task.name, run, train, evaluate)
            for spec in specs for task in tasks for run, train, evaluate in runs]


def _scores(estimator, texts):
    """Continuous scores when the estimator has them (for error analysis and plots)."""
    for method in ("decision_function", "predict_proba"):
        if hasattr(estimator, method):
            try:
                values = np.asarray(getattr(estimator, method)(texts), dtype=float)
            except (AttributeError, NotImplementedError):
                continue
            return np.round(values.reshape(len(texts), -1), SCORE_DECIMALS).tolist()
    return None


def fit_predict(spec, task, train_sentences, eval_sentences, seed, explain=False):
    """Fit ``spec`` on the training sentences and predict the evaluation sentences.

    With ``explain``, also return the most indicative n-grams of linear models.
    """
    estimator = spec.build(task.name, seed)
    train_texts = [s["text"] for s in train_sentences]
    eval_texts = [s["text"] for s in eval_sentences]
    started = time.perf_counter()
    estimator.fit(train_texts, task.targets(train_sentences))
    fitted = time.perf_counter()
    predictions = _checked(spec, task, estimator.predict(eval_texts), len(eval_texts))
    predicted = time.perf_counter()
    output = {"predictions": predictions, "scores": _scores(estimator, eval_texts),
              "fit_seconds": fitted - started, "predict_seconds": predicted - fitted}
    if explain:
        output["indicative_ngrams"] = indicative_ngrams(estimator, task)
    return output


# Kit modules whose code changes what a job computes; their source is part of the cache key.
_KEY_MODULES = ("features.py", "floors.py", "comparators.py", "registry.py", "tasks.py", "harness.py", "analysis.py")


def _kit_hash() -> str:
    folder = Path(__file__).resolve().parent
    return hashlib.sha256(b"".join((folder / name).read_bytes() for name in _KEY_MODULES)).hexdigest()


def _checked(spec, task, raw, n) -> list:
    """Decoded predictions, or a ModelError saying how a plug-in's output breaks the task's contract."""
    raw = np.asarray(raw)
    where = f"{spec.path}: model '{spec.name}'"
    if task.kind == "multilabel":
        if raw.shape != (n, len(task.labels)) or not np.isin(raw, (0, 1)).all():
            raise ModelError(f"{where} must predict a 0/1 matrix of shape ({n}, {len(task.labels)}) "
                             f"for the {task.name} task, got shape {raw.shape}, dtype {raw.dtype}")
        return task.decode(raw.astype(int))
    unknown = sorted({str(p) for p in raw.ravel()} - set(task.labels))
    if raw.shape != (n,) or unknown:
        raise ModelError(f"{where} predicted label(s) outside the {task.name} schema: "
                         f"{', '.join(unknown[:5]) or 'shape ' + str(raw.shape)}")
    return task.decode(raw)


def _job_key(job, spec, corpus_hash, versions, kit_hash) -> str:
    payload = json.dumps([spec.source_hash(), kit_hash, job.task, job.run, job.train_docs, job.eval_docs,
                          corpus_hash, PROTOCOL.seed, versions], sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


class Cache:
    """Finished jobs on disk, one JSON file per job key."""

    def __init__(self, folder):
        self.folder = folder

    def _path(self, key):
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key):
        """The cached output, or None when absent or unreadable (a corrupt entry is recomputed)."""
        path = self._path(key)
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return None
        return value if isinstance(value, dict) and "predictions" in value else None

    def put(self, key, value):
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(value), encoding="utf-8")
        tmp.replace(path)


def run_group(items, train_sentences, eval_sentences, seed, explain):
    """Fit and predict every (spec, task name) of one run on the same documents.

    The models share featurisation (:func:`bench.features.sharing`): each distinct
    vectoriser is fitted once on the run's training texts and transforms the
    evaluation texts once. BLAS and OpenMP are pinned to one thread, so the bits
    do not depend on the machine's core count.
    """
    from threadpoolctl import threadpool_limits

    from bench.features import sharing

    with threadpool_limits(limits=1), sharing():
        return [fit_predict(spec, TASKS[task_name], train_sentences, eval_sentences, seed, explain)
                for spec, task_name in items]


def run_jobs(jobs, specs_by_name, corpus, *, n_jobs=2, use_cache=True, backend=None, scheduler=None,
             log=sys.stderr) -> dict:
    """Execute (or fetch from cache) every job; returns {job: output}.

    Jobs of the same run (same training and evaluation documents) go to a worker
    together, so that they share featurisation; each finished job is cached on
    its own, so an interrupted run resumes and a new model re-runs only itself.
    ``backend`` is a joblib backend: ``None`` or ``"loky"`` for local processes
    (``n_jobs`` of them), ``"dask"`` to send the groups to the Dask cluster at
    ``scheduler`` (``tcp://host:8786``; all its workers are used). Results do not
    depend on the backend: every job is seeded and pinned to one BLAS thread.
    """
    from joblib import Parallel, delayed, parallel_config

    versions = library_versions()
    corpus_hash = corpus.sha256()
    kit_hash = _kit_hash()
    cache = Cache(paths.cache_dir())
    outputs, groups = {}, {}
    for job in jobs:
        key = _job_key(job, specs_by_name[job.model], corpus_hash, versions, kit_hash)
        cached = cache.get(key) if use_cache else None
        if cached is not None:
            outputs[job] = cached
        else:
            groups.setdefault((job.run, job.train_docs, job.eval_docs), []).append((job, key))
    total, done = len(jobs), len(outputs)
    pending = sum(len(g) for g in groups.values())
    print(f"[bench] {total} jobs: {done} cached, {pending} to run in {len(groups)} groups "
          f"on {n_jobs} worker(s)", file=log, flush=True)
    # The test run first (it also extracts n-grams), then the largest training sets, so workers finish together.
    order = sorted(groups.items(), key=lambda item: (item[0][0] != "test", -len(item[0][1]), item[0][0]))
    tasks = (delayed(run_group)([(specs_by_name[job.model], job.task) for job, _ in members],
                                corpus.sentences_of(train), corpus.sentences_of(evaluate),
                                PROTOCOL.seed, run == "test")
             for (run, train, evaluate), members in order)
    started = time.perf_counter()
    with _backend(backend, scheduler, log) as (config, workers):
        with parallel_config(**config):
            results = Parallel(n_jobs=workers or n_jobs, return_as="generator")(tasks) if order else []
            for ((run, _, _), members), group_outputs in zip(order, results):
                for (job, key), output in zip(members, group_outputs):
                    cache.put(key, output)
                    outputs[job] = output
                done += len(members)
                fit = sum(o["fit_seconds"] for o in group_outputs)
                print(f"[bench] {done:>4}/{total} jobs  {run:<14} {len(members):>2} fits in {fit:5.1f}s  "
                      f"({time.perf_counter() - started:.0f}s elapsed)", file=log, flush=True)
    return outputs


BACKENDS = ("loky", "dask")


@contextmanager
def _backend(backend, scheduler, log):
    """(joblib parallel_config arguments, worker count or None) for the chosen backend."""
    if backend in (None, "loky"):
        from bench.workers import watch_parent

        # Every worker starts watching this process as soon as it boots (not only once it gets a job).
        yield {"backend": "loky", "initializer": watch_parent, "initargs": (os.getpid(),)}, None
        return
    if backend != "dask":
        raise ModelError(f"BACKEND={backend!r}: use one of {', '.join(BACKENDS)}")
    if not scheduler:
        raise ModelError("BACKEND=dask needs SCHEDULER=tcp://host:port (a running `dask scheduler`)")
    try:
        from distributed import Client
    except ImportError:
        raise ModelError("BACKEND=dask needs the `distributed` package (pinned in requirements.txt)") from None
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise ModelError(f"SCHEDULER={scheduler}: cannot reach the Dask scheduler ({type(err).__name__})") from None
    try:
        workers = len(client.scheduler_info()["workers"])
        print(f"[bench] Dask cluster at {scheduler}: {workers} worker(s)", file=log, flush=True)
        with client.as_current():
            yield {"backend": "dask", "wait_for_workers_timeout": 30}, max(1, workers)
    finally:
        client.close()


def _gold_and_pred(task, eval_sentences, predictions):
    gold = task.indicator([s[task.field] for s in eval_sentences])
    pred = task.indicator(predictions)
    return gold, pred


def _subset(eval_sentences, predictions, keep_docs):
    pairs = [(s, p) for s, p in zip(eval_sentences, predictions) if s["doc_id"] in keep_docs]
    return [s for s, _ in pairs], [p for _, p in pairs]


def summarise(jobs, outputs, corpus, splits, specs, tasks, protocol=PROTOCOL) -> dict:
    """Metrics, cross-validation spread, learning curves and paired statistics."""
    sentences = corpus.sentences_of
    parts = splits["documents"]
    docs_of = {part: {d for d, p in parts.items() if p == part} for part in ("test", "seed", "contrast")}
    results = {"protocol": protocol.as_dict(), "splits": {"ood": {o["key"]: o["name"] for o in splits["ood"]}},
               "models": {s.name: {"description": s.description} for s in specs}, "tasks": {}}
    predictions = {}   # (model, task, run) -> list of per-sentence records
    for task in tasks:
        task_result = {"headline": task.headline, "labels": list(task.labels), "models": {}}
        test_tables = {}
        for spec in specs:
            entry = {}
            runs = {job.run: job for job in jobs if job.model == spec.name and job.task == task.name}
            test_job = runs["test"]
            evaluated = sentences(test_job.eval_docs)
            out = outputs[test_job]
            for name, docs in docs_of.items():
                subset, preds = _subset(evaluated, out["predictions"], docs)
                if subset:
                    gold, pred = _gold_and_pred(task, subset, preds)
                    entry[name] = score(task, gold, pred)
                    if name == "test":
                        _, test_tables[spec.name] = document_tables(
                            [s["doc_id"] for s in subset], label_counts(gold, pred))
                    if name == "contrast":
                        entry[name]["groups_all_correct"] = _groups_all_correct(subset, preds, task)
            predictions[(spec.name, task.name, "test")] = _records(evaluated, out)
            entry["ood"] = {}
            for run, job in sorted(runs.items()):
                if run.startswith("ood/"):
                    ood_sentences = sentences(job.eval_docs)
                    gold, pred = _gold_and_pred(task, ood_sentences, outputs[job]["predictions"])
                    entry["ood"][run[4:]] = score(task, gold, pred)
                    predictions[(spec.name, task.name, run)] = _records(ood_sentences, outputs[job])
            fold_scores = []
            for run, job in sorted(runs.items()):
                if run.startswith("cv/"):
                    held = sentences(job.eval_docs)
                    gold, pred = _gold_and_pred(task, held, outputs[job]["predictions"])
                    fold_scores.append(score(task, gold, pred)[task.headline])
                    predictions[(spec.name, task.name, run)] = _records(held, outputs[job])
            entry["cv"] = {"folds": fold_scores, "mean": float(np.mean(fold_scores)),
                           "sd": float(np.std(fold_scores, ddof=1)) if len(fold_scores) > 1 else 0.0}
            curve = []
            for run, job in runs.items():
                if run.startswith("curve/"):
                    gold, pred = _gold_and_pred(task, sentences(job.eval_docs), outputs[job]["predictions"])
                    curve.append({"train_documents": len(job.train_docs), "score": score(task, gold, pred)[task.headline]})
            curve.append({"train_documents": len(test_job.train_docs), "score": entry["test"][task.headline]})
            entry["learning_curve"] = sorted(curve, key=lambda point: point["train_documents"])
            entry["timing"] = {"fit_seconds": out["fit_seconds"], "predict_seconds": out["predict_seconds"]}
            task_result["models"][spec.name] = entry
        correct = ({n: _correct(predictions[(n, task.name, "test")]) for n in test_tables}
                   if task.kind == "multiclass" else None)
        task_result["comparison"] = compare(task, test_tables, correct, protocol)
        results["tasks"][task.name] = task_result
    return results, predictions


FLOOR = "keyword_rules"   # the codebook's cue words with its precedence, untrained


def _groups_all_correct(sentences, predictions, task) -> float:
    """Share of contrast groups (documents) whose every variant is predicted exactly right."""
    right = {}
    for s, p in zip(sentences, predictions):
        ok = (p == s[task.field]) if task.kind == "multiclass" else (sorted(p) == sorted(s[task.field]))
        right[s["doc_id"]] = right.get(s["doc_id"], True) and ok
    return float(np.mean(list(right.values()))) if right else 0.0


def compare(task, tables: dict, correct: dict | None = None, protocol=PROTOCOL) -> dict:
    """Paired CIs and significance of every system against the best one, and against the floor.

    ``tables`` maps a system name to its per-document count table on the same
    documents; ``correct`` (multi-class only) maps it to per-sentence correctness
    for McNemar's test on accuracy. When the untrained floor (:data:`FLOOR`) is
    among the systems, each other system is marked ``above_floor`` only when the
    paired-bootstrap CI of its difference from the floor lies above zero.
    """
    names = list(tables)
    headline = {n: float(macro_f1_from_counts(tables[n].sum(0))) for n in names}
    best = max(names, key=lambda n: (headline[n], n))
    ci = bootstrap(tables, best, n_resamples=protocol.bootstrap_resamples,
                   confidence=protocol.confidence, seed=protocol.seed)
    raw_p = {n: permutation_test(tables[n], tables[best], n_permutations=protocol.permutations,
                                 seed=protocol.seed) for n in names if n != best}
    adjusted = holm(raw_p) if raw_p else {}
    comparison = {"best": best, "test": "approximate randomisation over documents, Holm-adjusted",
                  "models": {}}
    for n in names:
        row = {**ci[n], "p_vs_best": raw_p.get(n), "p_holm": adjusted.get(n)}
        row["distinguishable_from_best"] = None if n == best else bool(adjusted[n] < protocol.significance)
        comparison["models"][n] = row
    if FLOOR in tables:
        floor_ci = bootstrap(tables, FLOOR, n_resamples=protocol.bootstrap_resamples,
                             confidence=protocol.confidence, seed=protocol.seed)
        comparison["floor"] = FLOOR
        for n in names:
            comparison["models"][n]["diff_from_floor"] = floor_ci[n]["diff_from_reference"]
            comparison["models"][n]["diff_from_floor_ci"] = floor_ci[n]["diff_ci"]
            comparison["models"][n]["above_floor"] = None if n == FLOOR else bool(floor_ci[n]["diff_ci"][0] > 0)
    if correct:
        mc = {n: mcnemar(correct[n], correct[best]) for n in names if n != best}
        mc_adj = holm(mc) if mc else {}
        for n in names:
            comparison["models"][n]["accuracy_mcnemar_p_vs_best"] = mc.get(n)
            comparison["models"][n]["accuracy_mcnemar_p_holm"] = mc_adj.get(n)
    return comparison


def _correct(records):
    return np.array([r["pred"] == r["gold"] for r in records if r["split"] == "test"])


def _records(eval_sentences, output):
    scores = output.get("scores")
    rows = []
    for i, (s, p) in enumerate(zip(eval_sentences, output["predictions"])):
        row = {"doc_id": s["doc_id"], "sent_id": s["sent_id"], "pred": p,
               "gold": s.get("rhetoric") if isinstance(p, str) else s.get("domains"),
               "split": s.get("_split")}
        if scores is not None:
            row["scores"] = scores[i]
        rows.append(row)
    return rows


def load_benchmark():
    """The corpus with each sentence tagged by its split, and the committed splits."""
    corpus = load_all()
    splits = load_splits()
    missing = [d for d in corpus.doc_ids if d not in splits["documents"]]
    if missing:
        raise SystemExit(f"{paths.splits_path()}:1: document '{missing[0]}' has no split "
                         f"({len(missing)} in all); run `make splits` after changing the corpus")
    for s in corpus.sentences:
        s["_split"] = splits["documents"][s["doc_id"]]
    return corpus, splits


def evaluate(specs, tasks=None, *, n_jobs=2, use_cache=True, backend=None, scheduler=None, log=sys.stderr):
    """Run the whole protocol for ``specs``; returns (results, predictions, timings, ngrams, corpus)."""
    tasks = tasks or list(TASKS.values())
    started = time.perf_counter()
    corpus, splits = load_benchmark()
    n_train = sum(p in ("train", "dev") for p in splits["documents"].values())
    if n_train < 20:
        print(f"[bench] warning: only {n_train} training documents; scores will be noisy "
              f"and confidence intervals wide", file=log)
    jobs = plan(specs, splits, tasks)
    planned = time.perf_counter()
    outputs = run_jobs(jobs, {s.name: s for s in specs}, corpus, n_jobs=n_jobs, use_cache=use_cache,
                       backend=backend, scheduler=scheduler, log=log)
    ran = time.perf_counter()
    results, predictions = summarise(jobs, outputs, corpus, splits, specs, tasks)
    summarised = time.perf_counter()
    results["corpus"] = {"sha256": corpus.sha256(), "documents": len(corpus.documents),
                         "sentences": len(corpus.sentences)}
    results["versions"] = library_versions()
    timings = {task.name: {spec.name: {"fit_seconds_total": sum(outputs[j]["fit_seconds"] for j in jobs
                                                                if j.model == spec.name and j.task == task.name),
                                       **results["tasks"][task.name]["models"][spec.name].pop("timing")}
                           for spec in specs} for task in tasks}
    timings["phases"] = {"load_and_plan_seconds": planned - started, "jobs_seconds": ran - planned,
                         "statistics_seconds": summarised - ran}
    ngrams = {(j.model, j.task): outputs[j].get("indicative_ngrams") for j in jobs if j.run == "test"}
    return results, predictions, timings, ngrams, corpus
