"""How the gold labels of corpus v2 are made: writers' drafts → blind packets → two annotations → adjudication → gold.

Writers never label. The pipeline keeps every step apart and on disk:

1. ``assemble``: writers' drafts (one JSON object per document, sentences in
   paragraphs, no labels) become the corpus text, ``sentences.jsonl`` with
   empty labels, and ``documents.jsonl`` with per-document provenance.
2. ``packets``: the text is cut into plain-text packets, the only thing an
   annotator sees besides the frozen codebook (no writer, no labels).
3. Two annotators label every packet blind (``doc_id, sent_id, rhetoric,
   domains, flags`` as TSV); :func:`read_tsv` validates what they return.
4. ``queue``: the sentences where the two disagree on an axis, with the two
   readings in a seeded random order, go to an adjudicator who sees only the
   codebook, the document and the two readings (not who said what). Where
   exactly one annotator set the ``precedence`` flag, another adjudicator
   decides the flag (``flag_adjudication.jsonl``).
5. :func:`gold`: agreement stands; each disagreement takes the adjudicator's
   decision. The committed ``sentences.jsonl`` must equal this (a test checks).

``python -m bench.annotation gold`` rebuilds the corpus labels from
``corpora/annotations/``; the other verbs were used once to build corpus v2
and are kept so the procedure can be repeated.
"""

import hashlib
import json
import random
import re
import sys
from pathlib import Path

from bench import paths
from bench.corpus import CorpusError
from bench.schema import load_schema

FLAGS = ("precedence", "figurative_domain", "polite_criticism")
ANNOTATORS = ("annotator_a", "annotator_b")
_NEGATION = re.compile(r"\b(?:not|never|neither|nor|cannot)\b|n[’']t\b", re.I)
_QUOTE = re.compile(r"[“”\"]")


def codebook_version(path=None) -> dict:
    """The frozen codebook's version line and sha256 (recorded in every document's metadata)."""
    path = path or paths.CODEBOOK
    data = path.read_bytes()
    match = re.search(rb"Version:\s*([0-9.]+)", data)
    return {"version": match.group(1).decode() if match else "unknown",
            "sha256": hashlib.sha256(data).hexdigest()}


def assemble(draft_files, provenance="constructed", licence="CC-BY-4.0", codebook=None):
    """(documents, sentences) from writers' draft files; sentences carry no labels yet."""
    codebook = codebook or codebook_version()
    documents, sentences = [], []
    for path in draft_files:
        path = Path(path)
        writer = path.parent.name
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            raw = json.loads(line)
            if provenance == "contrast":
                doc = {"doc_id": raw["group_id"], "title": f"contrast group {raw['group_id']}",
                       "date": None, "genre": "contrast_set", "parties": [], "region": "international",
                       "provenance": "contrast", "licence": licence, "kind": raw["kind"],
                       "context": raw.get("context"), "writer": "writer_contrast"}
                texts = [[v["text"] for v in raw["variants"]]]
            else:
                doc = {"doc_id": raw["doc_id"], "title": raw["title"], "date": None, "genre": raw["genre"],
                       "parties": raw["parties"], "region": raw["region"], "provenance": provenance,
                       "licence": licence, "house_style": raw["house_style"], "tone": raw["tone"],
                       "issuer": raw["issuer"], "writer": f"writer_{writer.lstrip('w')}"}
                texts = raw["paragraphs"]
            doc["codebook"] = codebook
            doc["source"] = f"{writer}/{path.name}:{number}"
            documents.append(doc)
            sent_id = 0
            for paragraph, block in enumerate(texts):
                for text in block:
                    sentences.append({"doc_id": doc["doc_id"], "sent_id": sent_id, "text": " ".join(text.split()),
                                      "paragraph": paragraph, "domains": [], "rhetoric": "report"})
                    sent_id += 1
    return documents, sentences


def packet_text(documents, sentences) -> str:
    """What an annotator sees: title (and context for contrast groups) and numbered sentences."""
    by_doc = {}
    for s in sentences:
        by_doc.setdefault(s["doc_id"], []).append(s)
    out = []
    for doc in documents:
        out.append(f"=== DOC {doc['doc_id']} | {doc['title']}")
        if doc.get("context"):
            out.append(f"(context, not to be labelled: {doc['context']})")
        last = None
        for s in by_doc[doc["doc_id"]]:
            if last is not None and s.get("paragraph") != last:
                out.append("")
            last = s.get("paragraph")
            out.append(f"[{s['doc_id']} {s['sent_id']}] {s['text']}")
        out.append("")
    return "\n".join(out)


def read_tsv(path, expected_keys=None) -> dict:
    """An annotator's TSV (doc_id, sent_id, rhetoric, domains or '-', flags or '-'), validated."""
    schema = load_schema()
    rows = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) < 4:
            raise CorpusError(path, number, f"expected 4 or 5 tab-separated fields, got {len(cells)}")
        doc_id, sent_id, rhetoric, domains = cells[:4]
        flags = cells[4] if len(cells) > 4 else "-"
        if not sent_id.isdigit():
            raise CorpusError(path, number, f"sent_id {sent_id!r} is not a number")
        if rhetoric not in schema.rhetoric:
            raise CorpusError(path, number, f"unknown rhetoric label {rhetoric!r}")
        labels = [] if domains in ("-", "") else [d.strip() for d in domains.split(",") if d.strip()]
        bad = [d for d in labels if d not in schema.domains]
        if bad:
            raise CorpusError(path, number, f"unknown domain label {bad[0]!r}")
        marks = [] if flags in ("-", "") else [f.strip() for f in flags.split(",") if f.strip()]
        bad = [f for f in marks if f not in FLAGS]
        if bad:
            raise CorpusError(path, number, f"unknown flag {bad[0]!r}")
        key = (doc_id, int(sent_id))
        if key in rows:
            raise CorpusError(path, number, f"sentence {key} labelled twice")
        order = {d: i for i, d in enumerate(schema.domains)}
        rows[key] = {"doc_id": doc_id, "sent_id": int(sent_id), "rhetoric": rhetoric,
                     "domains": sorted(set(labels), key=order.get), "flags": sorted(set(marks))}
    if expected_keys is not None:
        missing = [k for k in expected_keys if k not in rows]
        extra = [k for k in rows if k not in set(expected_keys)]
        if missing or extra:
            raise CorpusError(path, 0, f"{len(missing)} sentences missing (first {missing[:1]}), "
                                       f"{len(extra)} unknown (first {extra[:1]})")
    return rows


def disagreements(a: dict, b: dict, seed: int) -> list[dict]:
    """Adjudication queue: per sentence, the axes on which A and B differ, readings in a seeded order."""
    rng = random.Random(seed)
    queue = []
    for key in sorted(a):
        x, y = a[key], b[key]
        axes = [axis for axis in ("rhetoric", "domains") if x[axis] != y[axis]]
        if not axes:
            continue
        readings = [x, y]
        rng.shuffle(readings)
        queue.append({"doc_id": key[0], "sent_id": key[1], "axes": axes,
                      "readings": [{axis: r[axis] for axis in axes} for r in readings]})
    return queue


def derived_phenomena(text: str, domains: list, flags_a: list, flags_b: list, precedence=None) -> list[str]:
    """Phenomenon tags of a gold sentence: annotator flags both set, plus surface tags.

    ``precedence`` is an adjudicator's decision on the ``precedence`` flag where
    the two annotators disagreed on it (None where they agreed).
    """
    tags = set(flags_a) & set(flags_b)
    if precedence is True:
        tags.add("precedence")
    if _NEGATION.search(text):
        tags.add("negation")
    if len(_QUOTE.findall(text)) >= 2:
        tags.add("quotation")
    if len(domains) >= 4:
        tags.add("many_domains")
    if len(text.split()) > 50:
        tags.add("long_sentence")
    schema = load_schema()
    return [p for p in schema.phenomena if p in tags]


def gold(sentences, a: dict, b: dict, decisions: dict, flag_decisions=None) -> list[dict]:
    """Gold sentences: where A and B agree their label, else the adjudicator's decision.

    The ``precedence`` flag is treated the same way: kept where both annotators set
    it, decided by ``flag_decisions`` where exactly one did.
    """
    flag_decisions = flag_decisions or {}
    out = []
    for s in sentences:
        key = (s["doc_id"], s["sent_id"])
        x, y = a[key], b[key]
        row = {k: v for k, v in s.items() if k not in ("domains", "rhetoric", "phenomena")}
        for axis in ("rhetoric", "domains"):
            if x[axis] == y[axis]:
                row[axis] = x[axis]
            else:
                decided = decisions.get(key, {}).get(axis)
                if decided is None:
                    raise CorpusError(paths.ANNOTATIONS / "adjudication.jsonl", 0,
                                      f"no decision on {axis} for {key}, where the annotators disagree")
                row[axis] = decided
        split = ("precedence" in x["flags"]) != ("precedence" in y["flags"])
        if split and key not in flag_decisions and flag_decisions:
            raise CorpusError(paths.ANNOTATIONS / "flag_adjudication.jsonl", 0,
                              f"no decision on the precedence flag for {key}, where the annotators disagree")
        tags = derived_phenomena(s["text"], row["domains"], x["flags"], y["flags"],
                                 flag_decisions.get(key) if split else None)
        if tags:
            row["phenomena"] = tags
        out.append(row)
    return out


def load_flag_decisions(folder=None) -> dict:
    """(doc_id, sent_id) -> True/False: the adjudicated ``precedence`` flag where the annotators split."""
    path = (folder or paths.ANNOTATIONS) / "flag_adjudication.jsonl"
    if not path.exists():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out[(r["doc_id"], r["sent_id"])] = bool(r["precedence"])
    return out


def load_decisions(folder=None) -> dict:
    path = (folder or paths.ANNOTATIONS) / "adjudication.jsonl"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out[(r["doc_id"], r["sent_id"])] = r["decision"]
    return out


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def rebuild_gold(check_only=False) -> list[Path]:
    """Recompute every annotated corpus's labels from the committed raw annotations."""
    from bench.agreement import load_annotations

    a, b = (load_annotations(name) for name in ANNOTATORS)
    decisions = load_decisions()
    flags = load_flag_decisions()
    changed = []
    for name in ("constructed", "contrast"):
        path = paths.CORPORA / name / paths.SENTENCES_FILE
        current = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        rebuilt = gold(current, a, b, decisions, flags if name == "constructed" else None)
        if rebuilt != current:
            changed.append(path)
            if not check_only:
                _write_jsonl(path, rebuilt)
    return changed


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["gold"]:
        changed = rebuild_gold(check_only="--check" in argv)
        for path in changed:
            print(f"{path}: {'differs from' if '--check' in argv else 'rebuilt from'} the raw annotations")
        print("gold labels in sync" if not changed else f"{len(changed)} file(s) {'out of sync' if '--check' in argv else 'rewritten'}")
        sys.exit(1 if changed and "--check" in argv else 0)
    print("usage: python -m bench.annotation gold [--check]", file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    main()
