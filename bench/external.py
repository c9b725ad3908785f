"""Scoring outside data: a labelled test file, or another system's predictions.

- :func:`eval_file` (``make eval TEST=file.jsonl``) scores every released model
  (from ``make train``) on any file in the corpus format.
- :func:`score_predictions` (``make score PRED=pred.jsonl [GOLD=gold.jsonl]``)
  scores an outside system's predictions against a gold file (default: the
  benchmark test split) and, on the test split, ranks it beside the committed
  leaderboard models with the same paired statistics.
"""

import json
from pathlib import Path

from bench import paths
from bench.corpus import CorpusError, load_sentences
from bench.harness import compare
from bench.metrics import label_counts, score
from bench.stats import document_tables
from bench.tasks import TASKS


def board(gold_sentences, systems: dict[str, dict[str, list]]) -> dict:
    """Metrics and paired comparison for systems' predictions on the same gold sentences.

    ``systems`` maps a name to {task: predicted labels in gold order}.
    """
    doc_ids = [s["doc_id"] for s in gold_sentences]
    out = {}
    for task in TASKS.values():
        gold = task.indicator([s[task.field] for s in gold_sentences])
        metrics, tables, correct = {}, {}, {}
        for name, by_task in systems.items():
            pred = task.indicator(by_task[task.name])
            metrics[name] = score(task, gold, pred)
            _, tables[name] = document_tables(doc_ids, label_counts(gold, pred))
            correct[name] = (gold.argmax(1) == pred.argmax(1))
        comparison = compare(task, tables, correct if task.kind == "multiclass" else None)
        out[task.name] = {"models": metrics, "comparison": comparison}
    return out


def board_markdown(title: str, source: str, result: dict) -> str:
    lines = [f"# {title}", "", source, ""]
    for task_name, task_result in result.items():
        extra = ("accuracy", "mcc") if task_name == "rhetoric" else ("micro_f1", "exact_match")
        comparison = task_result["comparison"]
        order = sorted(task_result["models"], key=lambda n: (-task_result["models"][n]["macro_f1"], n))
        lines += [f"## {task_name} — macro-F1", "",
                  f"| model | macro-F1 [95% CI] | Δ best [95% CI] | p (Holm) | vs best | {extra[0]} | {extra[1]} |",
                  "|---|---|---|---:|---|---:|---:|"]
        for name in order:
            c, m = comparison["models"][name], task_result["models"][name]
            verdict = "best" if name == comparison["best"] else ("worse" if c["distinguishable_from_best"] else "≈ best")
            p = "–" if c["p_holm"] is None else f"{c['p_holm']:.3f}"
            lines.append(f"| {name} | {c['point']:.3f} [{c['ci'][0]:.3f}, {c['ci'][1]:.3f}] | "
                         f"{c['diff_from_reference']:.3f} [{c['diff_ci'][0]:.3f}, {c['diff_ci'][1]:.3f}] | "
                         f"{p} | {verdict} | {m[extra[0]]:.3f} | {m[extra[1]]:.3f} |")
        lines.append("")
    return "\n".join(lines)


def _write(out_dir: Path, result: dict, markdown: str):
    from bench.atomic import atomic_folder
    from bench.report import dump_json

    with atomic_folder(out_dir) as staging:
        dump_json(staging / "results.json", result)
        (staging / "leaderboard.md").write_text(markdown, encoding="utf-8")


def eval_file(test_path, models=None, out_dir=None) -> tuple[dict, str]:
    """Score released models on a labelled file in the corpus format."""
    from bench.release import load_model, trained_models

    gold = load_sentences(test_path)
    manifest = trained_models()
    names = models or list(manifest["models"])
    texts = [s["text"] for s in gold]
    systems = {}
    for name in names:
        systems[name] = {t: TASKS[t].decode(load_model(name, t).predict(texts)) for t in TASKS}
    result = board(gold, systems)
    markdown = board_markdown(f"Released models on {Path(test_path).name}",
                              f"{len(gold)} sentences from `{test_path}`; models from `make train` "
                              f"(trained on all shipped data; corpus sha256 `{manifest['corpus_sha256'][:12]}`).",
                              result)
    _write(Path(out_dir or paths.outputs_dir() / "eval" / Path(test_path).stem), result, markdown)
    return result, markdown


def _align(pred_path, pred_sentences, gold_sentences) -> dict[str, list]:
    """Predictions in gold order; every gold sentence needs exactly one prediction."""
    by_key = {(p["doc_id"], p["sent_id"]): p for p in pred_sentences}
    gold_keys = {(g["doc_id"], g["sent_id"]) for g in gold_sentences}
    for p in pred_sentences:
        if (p["doc_id"], p["sent_id"]) not in gold_keys:
            raise CorpusError(pred_path, p["_line"], f"prediction for ({p['doc_id']!r}, {p['sent_id']}) "
                                                     "which is not in the gold file")
    missing = [g for g in gold_sentences if (g["doc_id"], g["sent_id"]) not in by_key]
    if missing:
        first = missing[0]
        raise CorpusError(pred_path, 0, f"no prediction for {len(missing)} gold sentence(s), first "
                                        f"({first['doc_id']!r}, {first['sent_id']})")
    ordered = [by_key[(g["doc_id"], g["sent_id"])] for g in gold_sentences]
    return {t.name: [p[t.field] for p in ordered] for t in TASKS.values()}


def _leaderboard_test_predictions(gold_sentences) -> dict:
    """The committed leaderboard models' predictions on the test split, in gold order."""
    folder = paths.results_dir() / "predictions" / "test"
    systems = {}
    for path in sorted(folder.glob("*.jsonl")):
        model, task = path.stem.rsplit(".", 1)
        rows = {(r["doc_id"], r["sent_id"]): r["pred"] for r in map(json.loads, path.read_text().splitlines())}
        systems.setdefault(model, {})[task] = [rows[(g["doc_id"], g["sent_id"])] for g in gold_sentences]
    return {m: v for m, v in systems.items() if set(v) == set(TASKS)}


def score_predictions(pred_path, gold_path=None, name=None, out_dir=None) -> tuple[dict, str]:
    """Score an outside system; on the default test split, rank it with the leaderboard models."""
    pred = load_sentences(pred_path, need_text=False)
    if gold_path:
        gold = [s for s in load_sentences(gold_path)]
        source = f"gold: `{gold_path}`"
    else:
        from bench.harness import load_benchmark

        corpus, _ = load_benchmark()
        gold = [s for s in corpus.sentences if s["_split"] == "test"]
        source = "gold: the benchmark test split"
    name = name or Path(pred_path).stem
    systems = {name: _align(pred_path, pred, gold)}
    if not gold_path:
        systems.update(_leaderboard_test_predictions(gold))
    result = board(gold, systems)
    markdown = board_markdown(f"Scored system: {name}", f"{len(gold)} sentences; {source}; predictions: "
                              f"`{pred_path}`.", result)
    _write(Path(out_dir or paths.outputs_dir() / "score" / name), result, markdown)
    return result, markdown
