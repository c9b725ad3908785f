"""Scoring outside data: a labelled test file, or another system's predictions.

- :func:`eval_file` (``make eval TEST=file.jsonl``) scores every released model
  (from ``make train``) on any file in the corpus format.
- :func:`score_predictions` (``make score PRED=pred.jsonl [GOLD=gold.jsonl]``)
  scores an outside system's predictions against a gold file (default: the
  benchmark test split) and, on the test split, ranks it beside the committed
  leaderboard models with the same paired statistics. A system that predicts
  one task only (``rhetoric`` or ``domains`` missing from every line) is scored
  on that task alone.

Both write ``results.json``, ``leaderboard.md`` and a report (Markdown and
self-contained HTML, with per-label tables and every misclassified sentence),
and print warnings where the numbers deserve less trust than they seem to:
fewer than :data:`MIN_DOCUMENTS` documents, test sentences the released models
were trained on, or a comparison whose data cannot separate the systems.
"""

import hashlib
import json
import sys
from pathlib import Path

from bench import paths
from bench.corpus import CorpusError, load_sentences
from bench.harness import compare
from bench.metrics import label_counts, score
from bench.outputs import check_output_folder, safe_name
from bench.stats import document_tables
from bench.tasks import TASKS

MIN_DOCUMENTS = 10


def board(gold_sentences, systems: dict[str, dict[str, list]], tasks=None) -> dict:
    """Metrics and paired comparison for systems' predictions on the same gold sentences.

    ``systems`` maps a name to {task: predicted labels in gold order}; ``tasks``
    (default: both) limits the board to the tasks predicted.
    """
    doc_ids = [s["doc_id"] for s in gold_sentences]
    out = {}
    for task in tasks or TASKS.values():
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


def board_markdown(title: str, source: str, result: dict, warnings=()) -> str:
    lines = [f"# {title}", "", source, ""]
    lines += [f"> **Warning:** {w}" for w in warnings] + ([""] if warnings else [])
    for task_name, task_result in result.items():
        extra = ("accuracy", "mcc") if task_name == "rhetoric" else ("micro_f1", "exact_match")
        comparison = task_result["comparison"]
        order = sorted(task_result["models"], key=lambda n: (-task_result["models"][n]["macro_f1"], n))
        lines += [f"## {task_name} — macro-F1", "",
                  f"| model | macro-F1 [95% CI] | Δ best [95% CI] | p (Holm) | vs best | n | {extra[0]} | {extra[1]} |",
                  "|---|---|---|---:|---|---:|---:|---:|"]
        for name in order:
            c, m = comparison["models"][name], task_result["models"][name]
            verdict = "best" if name == comparison["best"] else ("worse" if c["distinguishable_from_best"] else "≈ best")
            p = "–" if c["p_holm"] is None else f"{c['p_holm']:.3f}"
            lines.append(f"| {name} | {c['point']:.3f} [{c['ci'][0]:.3f}, {c['ci'][1]:.3f}] | "
                         f"{c['diff_from_reference']:.3f} [{c['diff_ci'][0]:.3f}, {c['diff_ci'][1]:.3f}] | "
                         f"{p} | {verdict} | {m['n']} | {m[extra[0]]:.3f} | {m[extra[1]]:.3f} |")
        lines.append("")
    return "\n".join(lines)


def _text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8", "surrogatepass")).hexdigest()


def guardrails(gold, result, *, trained_on=None) -> list[str]:
    """Warnings about how far ``result`` on ``gold`` can be trusted (also printed to stderr)."""
    warnings = []
    docs = len({s["doc_id"] for s in gold})
    if docs < MIN_DOCUMENTS:
        warnings.append(f"only {docs} document(s): confidence intervals resample documents, so with fewer than "
                        f"{MIN_DOCUMENTS} they are unreliable and differences between systems mean little")
    if trained_on is not None:
        seen = sum(_text_hash(s["text"]) in trained_on for s in gold)
        if seen:
            warnings.append(f"{seen} of {len(gold)} sentences ({seen / len(gold):.0%}) are in the data the released "
                            "models were trained on (by text): their scores on them are inflated; use held-out text")
    for task_name, task_result in result.items():
        rows = task_result["comparison"]["models"]
        if len(rows) > 1 and all(r["distinguishable_from_best"] is not True for r in rows.values()):
            warnings.append(f"{task_name}: no system can be told apart from the best on this data; "
                            "it is too small (or the systems too close) to rank them")
    return warnings


def _training_hashes():
    from bench.corpus import load_all

    corpus = load_all()
    return {_text_hash(s["text"]) for s in corpus.sentences if corpus.documents[s["doc_id"]]["provenance"] != "contrast"}


def _write(out_dir: Path, kind: str, result: dict, markdown: str, gold, systems):
    from bench.analysis import misclassified
    from bench.atomic import atomic_folder
    from bench.report import _markdown_to_html, dump_json, dump_jsonl

    with atomic_folder(out_dir, kind) as staging:       # out_dir was checked before any work was done
        dump_json(staging / "results.json", result)
        (staging / "leaderboard.md").write_text(markdown, encoding="utf-8")
        report = staging / "report"
        (report / "errors").mkdir(parents=True)
        lines = [markdown, ""]
        by_key = {(g["doc_id"], g["sent_id"]): g for g in gold}
        for task_name, task_result in result.items():
            task = TASKS[task_name]
            best = task_result["comparison"]["best"]
            per_label = task_result["models"][best]["per_label"]
            lines += [f"## {task_name}: per-label scores of {best}", "",
                      "| label | precision | recall | F1 | support |", "|---|---:|---:|---:|---:|"]
            lines += [f"| {l} | {v['precision']:.3f} | {v['recall']:.3f} | {v['f1']:.3f} | {v['support']} |"
                      for l, v in per_label.items()]
            for name, by_task in systems.items():
                records = [{"doc_id": g["doc_id"], "sent_id": g["sent_id"], "gold": g[task.field], "pred": p}
                           for g, p in zip(gold, by_task[task_name])]
                dump_jsonl(report / "errors" / f"{safe_name(name)}.{task_name}.jsonl",
                           misclassified(task, records, by_key))
            lines += ["", f"Misclassified sentences of every system: `errors/<system>.{task_name}.jsonl`.", ""]
        text = "\n".join(lines)
        (report / "report.md").write_text(text, encoding="utf-8")
        (report / "report.html").write_text(_markdown_to_html(text, report), encoding="utf-8")


def _announce(out: Path, warnings, log):
    for w in warnings:
        print(f"warning: {w}", file=log)
    print(f"[bench] wrote {out} (report: {out / 'report' / 'report.html'})", file=log)


def eval_file(test_path, models=None, out_dir=None, log=sys.stderr) -> tuple[dict, str]:
    """Score released models on a labelled file in the corpus format."""
    from bench.release import load_model, trained_models

    out = check_output_folder(out_dir or paths.outputs_dir() / "eval" / safe_name(Path(test_path).stem, "TEST"),
                              "eval-file", inputs=[test_path])
    gold = load_sentences(test_path)
    manifest = trained_models()
    names = models or list(manifest["models"])
    texts = [s["text"] for s in gold]
    systems = {}
    for name in names:
        systems[name] = {t: TASKS[t].decode(load_model(name, t, manifest).predict(texts)) for t in TASKS}
    result = board(gold, systems)
    warnings = guardrails(gold, result, trained_on=_training_hashes())
    markdown = board_markdown(f"Released models on {Path(test_path).name}",
                              f"{len(gold)} sentences from `{test_path}`; models from `make train` "
                              f"(trained on all shipped data; corpus sha256 `{manifest['corpus_sha256'][:12]}`).",
                              result, warnings)
    _write(out, "eval-file", result, markdown, gold, systems)
    _announce(out, warnings, log)
    return result, markdown


def _predicted_tasks(pred_path, rows):
    """The tasks a predictions file covers: a field present on every line (rhetoric, domains or both)."""
    present = [t for t in TASKS.values() if all(t.field in r for r in rows)]
    partial = [t.field for t in TASKS.values() if t not in present and any(t.field in r for r in rows)]
    if partial:
        first = next(r for r in rows if partial[0] not in r)
        raise CorpusError(pred_path, first["_line"], f"missing field '{partial[0]}' (other lines have it)")
    if not present:
        raise CorpusError(pred_path, rows[0]["_line"] if rows else 1,
                          "missing fields 'rhetoric' and 'domains': predict at least one task")
    return present


def _align(pred_path, pred_sentences, gold_sentences, tasks) -> dict[str, list]:
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
    return {t.name: [p[t.field] for p in ordered] for t in tasks}


def _leaderboard_test_predictions(gold_sentences, tasks) -> dict:
    """The committed leaderboard models' predictions on the test split, in gold order."""
    from bench.results import verified_results_dir

    folder = verified_results_dir() / "predictions" / "test"
    systems = {}
    for path in sorted(folder.glob("*.jsonl")):
        model, task = path.stem.rsplit(".", 1)
        rows = {(r["doc_id"], r["sent_id"]): r["pred"] for r in map(json.loads, path.read_text().splitlines())}
        systems.setdefault(model, {})[task] = [rows[(g["doc_id"], g["sent_id"])] for g in gold_sentences]
    return {m: v for m, v in systems.items() if {t.name for t in tasks} <= set(v)}


def score_predictions(pred_path, gold_path=None, name=None, out_dir=None, log=sys.stderr) -> tuple[dict, str]:
    """Score an outside system; on the default test split, rank it with the leaderboard models."""
    name = safe_name(name if name is not None else Path(pred_path).stem,
                     "NAME" if name is not None else "predictions file name")
    out = check_output_folder(out_dir or paths.outputs_dir() / "score" / name, "score",
                              inputs=[p for p in (pred_path, gold_path) if p])
    raw = load_sentences(pred_path, need_text=False, need_labels=False)
    tasks = _predicted_tasks(pred_path, raw)
    pred = load_sentences(pred_path, need_text=False, need_labels=tuple(t.field for t in tasks))
    if gold_path:
        gold = load_sentences(gold_path)
        source = f"gold: `{gold_path}`"
    else:
        from bench.harness import load_benchmark

        corpus, _ = load_benchmark()
        gold = [s for s in corpus.sentences if s["_split"] == "test"]
        source = "gold: the benchmark test split"
    systems = {name: _align(pred_path, pred, gold, tasks)}
    if not gold_path:
        systems.update(_leaderboard_test_predictions(gold, tasks))
    result = board(gold, systems, tasks)
    warnings = guardrails(gold, result)
    if len(tasks) == 1:
        warnings.append(f"scored on {tasks[0].name} only: the predictions have no '{'domains' if tasks[0].name == 'rhetoric' else 'rhetoric'}' field")
    markdown = board_markdown(f"Scored system: {name}", f"{len(gold)} sentences; {source}; predictions: "
                              f"`{pred_path}`.", result, warnings)
    _write(out, "score", result, markdown, gold, systems)
    _announce(out, warnings, log)
    return result, markdown
