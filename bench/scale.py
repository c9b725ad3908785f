"""Resampled corpora for scaling benchmarks (``python -m bench.scale resample --factor 10 --out DIR``).

A resampled corpus holds ``factor`` copies of every constructed document of the
shipped corpus (new doc_ids ``<doc_id>~r<k>``; copy k >= 1 appends " (copy k)" to
every sentence, so that no text repeats and the kit's per-text n-gram store gains
nothing from the copies), plus the seed
readout and the contrast set once, in the kit's corpus format. It exists to time
the harness at 10x or 50x the shipped size (``make benchmark-scale``); it is not
a benchmark corpus (its copies leak across any split) and is never committed.
Point the kit at it with ``CORPUS=DIR`` after ``make splits CORPUS=DIR``.
"""

import argparse
import json
import sys
from pathlib import Path

from bench import paths
from bench.atomic import atomic_folder
from bench.corpus import load_all
from bench.outputs import check_output_folder


def source_document(doc_id: str) -> str:
    """The shipped document a resampled copy came from."""
    return doc_id.split("~r", 1)[0]


def resample(factor: int, out) -> Path:
    """Write a corpus of ``factor`` copies of every constructed document to ``out``; returns it."""
    if not 1 <= factor <= 1000:
        raise SystemExit(f"--factor {factor}: use 1 to 1000")
    out = check_output_folder(out, "corpus")
    corpus = load_all()
    clean = lambda row: {k: v for k, v in row.items() if k != "_line"}  # noqa: E731
    with atomic_folder(out, "corpus") as staging:
        for provenance in ("constructed", "seed", "contrast"):
            part = corpus.where(provenance=provenance)
            if not part.documents:
                continue
            copies = range(factor) if provenance == "constructed" else [None]
            folder = staging / provenance
            folder.mkdir()
            with (folder / paths.DOCUMENTS_FILE).open("w", encoding="utf-8") as docs, \
                    (folder / paths.SENTENCES_FILE).open("w", encoding="utf-8") as sents:
                for k in copies:
                    for doc_id, meta in part.documents.items():
                        new_id = doc_id if k is None else f"{doc_id}~r{k}"
                        docs.write(json.dumps({**meta, "doc_id": new_id}, ensure_ascii=False) + "\n")
                        for s in part.sentences_of([doc_id]):
                            row = {**clean(s), "doc_id": new_id}
                            if k:           # distinct texts, so featurisation is timed at full size
                                row["text"] = f"{row['text']} (copy {k})"
                            sents.write(json.dumps(row, ensure_ascii=False) + "\n")
    return out


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("resample", help="write a resampled corpus")
    s.add_argument("--factor", type=int, required=True)
    s.add_argument("--out", required=True)
    args = p.parse_args(argv)
    from bench.errors import KitError

    try:
        out = resample(args.factor, args.out)
    except KitError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    print(f"wrote {out} ({args.factor}x the constructed corpus)")


if __name__ == "__main__":
    main()
