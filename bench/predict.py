"""Prediction on new text with the released models.

Input is either a raw readout (segmented with :mod:`bench.segment`) or a JSONL
file in the corpus format, whose gold labels (if any) are ignored and replaced.
"""

import json
import sys
from pathlib import Path

from bench.atomic import write_text_atomic
from bench.corpus import load_sentences
from bench.release import best_model, load_model
from bench.segment import split_sentences
from bench.tasks import TASKS


def looks_like_jsonl(path: str | None, text: str) -> bool:
    if path and path != "-" and Path(path).suffix == ".jsonl":
        return True
    first = text.lstrip()[:1]
    return first == "{"


def predict_texts(texts, model=None) -> list[dict]:
    """Predicted ``domains`` and ``rhetoric`` for each text, with the chosen (or best) model per task."""
    out = [{} for _ in texts]
    for task in TASKS.values():
        estimator = load_model(model or best_model(task.name), task.name)
        for row, label in zip(out, task.decode(estimator.predict(list(texts)))):
            row[task.field] = label
    return out


def run(in_path=None, out_path=None, model=None, stdout=sys.stdout):
    """Predict for a file (or stdin): raw text prints a table, JSONL writes JSONL."""
    if in_path in (None, "-"):
        text = sys.stdin.read()
    else:
        try:
            text = Path(in_path).read_bytes().decode("utf-8")
        except UnicodeDecodeError as err:
            line = Path(in_path).read_bytes()[:err.start].count(b"\n") + 1
            raise SystemExit(f"{in_path}:{line}: not valid UTF-8") from None
    if looks_like_jsonl(in_path, text):
        stdin = in_path in (None, "-")
        sentences = load_sentences("<stdin>" if stdin else in_path, need_labels=False,
                                   data=text.encode("utf-8") if stdin else None)
        predicted = predict_texts([s["text"] for s in sentences], model)
        rows = [{**{k: v for k, v in s.items() if k != "_line"}, **p} for s, p in zip(sentences, predicted)]
        lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        if out_path:
            write_text_atomic(out_path, lines)
        else:
            stdout.write(lines)
        return rows
    sentences = split_sentences(text)
    if not sentences:
        raise SystemExit(f"{in_path or '<stdin>'}:1: no sentences found")
    predicted = predict_texts(sentences, model)
    rows = [{"sent_id": i, "text": t, **p} for i, (t, p) in enumerate(zip(sentences, predicted))]
    if out_path:
        write_text_atomic(out_path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    else:
        for r in rows:
            domains = ", ".join(r["domains"]) or "-"
            stdout.write(f"{r['sent_id']:>3}  {r['rhetoric']:<15}  [{domains}]\n     {r['text']}\n")
    return rows
