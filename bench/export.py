"""Export a split for outside systems (``make export [PART=test]``): sentences without labels + a prompt-ready codebook.

The round trip for an LLM or any other system::

    make export                          # outputs/export/test/: sentences.jsonl, codebook_summary.md
    # run your system on sentences.jsonl; write one line per sentence:
    #   {"doc_id": ..., "sent_id": ..., "rhetoric": "...", "domains": [...]}
    make score PRED=my_predictions.jsonl NAME=my_llm

The summary gives the label ids with their glosses, the precedence order, the
codebook's decision procedure and the exact output format ``make score`` reads;
the full rules are ``corpora/CODEBOOK.md``.
"""

import json
import re

from bench import paths
from bench.atomic import atomic_folder
from bench.errors import KitError
from bench.outputs import check_output_folder

PARTS = ("train", "dev", "test", "seed", "contrast", "all")


def codebook_summary() -> str:
    """A compact, prompt-ready description of both tasks, from schema.json and the codebook."""
    schema = json.loads(paths.SCHEMA.read_text(encoding="utf-8"))
    codebook = paths.CODEBOOK.read_text(encoding="utf-8")
    procedure = re.search(r"## 0\. Decision procedure.*?\n(.*?)\n## ", codebook, re.S)
    version = re.search(r"Version:\s*(\S+)", codebook)
    lines = [f"# readout-bench labelling instructions (codebook {version.group(1) if version else '?'}, summary)", "",
             "You label one sentence of an official readout of a meeting between governments at a time, on two "
             "axes. Use the preceding sentences only to resolve pronouns.", "",
             "## RHETORIC — exactly one label: what the sentence does (the act of its main verb)", ""]
    lines += [f"- `{label['id']}`: {label['gloss']}" for label in schema["rhetoric"]["labels"]]
    lines += ["", "Two or more acts of equal weight: choose the first in this order: "
              + " > ".join(schema["rhetoric"]["precedence"]) + ".", "",
              "## DOMAIN — every policy domain the sentence explicitly names (possibly none)", ""]
    lines += [f"- `{label['id']}`: {label['gloss']}" for label in schema["domain"]["labels"]]
    if procedure:
        lines += ["", "## Decision procedure (from the codebook)", "", procedure.group(1).strip()]
    lines += ["", "## Output format", "",
              "One JSON object per line, one line per input sentence, keeping `doc_id` and `sent_id`:", "",
              '{"doc_id": "w1_001", "sent_id": 0, "rhetoric": "report", "domains": ["security"]}', "",
              "A system that predicts one task only may omit the other field on every line."]
    return "\n".join(lines) + "\n"


def export(part: str = "test", out=None) -> tuple:
    """Write ``part`` without labels plus the codebook summary; returns (folder, sentence count)."""
    from bench.api import load_sentences

    if part not in PARTS:
        raise KitError(f"PART={part!r}: use one of {', '.join(PARTS)}")
    folder = check_output_folder(out or paths.outputs_dir() / "export" / part, "export")
    rows = load_sentences(None if part == "all" else part, labels=False)
    with atomic_folder(folder, "export") as staging:
        with (staging / "sentences.jsonl").open("w", encoding="utf-8") as handle:
            for r in rows:
                handle.write(json.dumps({"doc_id": r["doc_id"], "sent_id": r["sent_id"], "text": r["text"]},
                                        ensure_ascii=False) + "\n")
        (staging / "codebook_summary.md").write_text(codebook_summary(), encoding="utf-8")
        (staging / "README.md").write_text(
            f"# readout-bench export: {part}\n\n{len(rows)} sentences without labels (`sentences.jsonl`) and the "
            "labelling instructions (`codebook_summary.md`). Score your predictions with\n\n"
            "    make score PRED=your_predictions.jsonl NAME=your_system"
            + ("" if part == "test" else f" GOLD=<labelled {part} file>") + "\n", encoding="utf-8")
    return folder, len(rows)
