"""Reading and validating corpora in the kit's JSONL format.

A corpus is a folder with ``sentences.jsonl`` (one sentence per line)::

    {"doc_id": str, "sent_id": int, "text": str, "domains": [str, ...], "rhetoric": str}

and ``documents.jsonl`` (one metadata object per document). Extra keys are
kept. Every problem is reported as one line, ``<file>:<line>: <problem>``, by
raising :class:`CorpusError`; callers validate all input before writing
anything, so a bad file never leaves half-written outputs.
"""

import hashlib
import json
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bench import paths
from bench.schema import LabelSchema, load_schema
from bench.errors import KitError

DOCUMENT_FIELDS = {"doc_id": str, "title": str, "genre": str, "parties": list,
                   "region": str, "provenance": str, "licence": str}


class CorpusError(KitError):
    """A problem in an input file, located by file and line."""

    def __init__(self, path, line: int, problem: str):
        self.path, self.line, self.problem = Path(path), line, problem
        super().__init__(f"{path}:{line}: {problem}")


def has_visible(text: str) -> bool:
    """Whether ``text`` has a visible character (a letter, digit, punctuation or symbol)."""
    return any(unicodedata.category(c)[0] in "LNPS" for c in text)


def _open_lines(path, data):
    """Byte lines of a file (or of ``data``), without reading a file into memory at once."""
    if data is not None:
        return iter(data.splitlines(keepends=True))
    path = Path(path)
    try:
        if path.is_dir():
            raise CorpusError(path, 0, "is a folder, not a file")
        handle = path.open("rb")
    except CorpusError:
        raise
    except OSError as err:
        raise CorpusError(path, 0, f"cannot read file ({err.strerror or type(err).__name__})") from None
    return handle


def _parse_line(path, number: int, raw: bytes):
    """One JSONL line as a dict, or None for a blank line; every failure is a CorpusError."""
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]                                           # a UTF-8 byte-order mark
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise CorpusError(path, number, f"not valid UTF-8 (byte {err.start})") from None
    if not line.strip():
        return None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as err:
        stripped = line.strip()
        hint = ""
        if "\t" in stripped and not stripped.startswith(("{", "[")):
            hint = "; this looks like TSV: the kit reads JSON Lines (one JSON object per line)"
        elif "," in stripped and not stripped.startswith(("{", "[")):
            hint = "; this looks like CSV: the kit reads JSON Lines (one JSON object per line)"
        raise CorpusError(path, number, f"malformed JSON ({err.msg}, column {err.colno}){hint}") from None
    except (ValueError, RecursionError) as err:                 # 4,300-digit integers, deep nesting
        raise CorpusError(path, number, f"unreadable JSON ({type(err).__name__}: {str(err)[:80]})") from None
    if not isinstance(obj, dict):
        raise CorpusError(path, number, f"expected a JSON object, got {type(obj).__name__}")
    if b"\\u" not in raw and raw.count(b"[") + raw.count(b"{") < 64:
        return obj          # decoded UTF-8 holds no lone surrogate, and the nesting is shallow: nothing to check
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise CorpusError(path, number, "contains a lone surrogate (\\ud800-\\udfff), not valid text") from None
    except (ValueError, RecursionError):
        raise CorpusError(path, number, "JSON too deeply nested") from None
    return obj


def read_jsonl(path, data: bytes | None = None):
    """Yield ``(line_number, object)`` for each non-blank line of a JSONL file, streaming.

    Decodes line by line so that non-UTF-8 bytes are reported on their own line;
    accepts a UTF-8 byte-order mark and CRLF line ends. ``data`` supplies the
    bytes directly (stdin), ``path`` then only names them.
    """
    lines = _open_lines(path, data)
    seen_any = False
    try:
        for number, raw in enumerate(lines, start=1):
            obj = _parse_line(path, number, raw)
            if obj is not None:
                seen_any = True
                yield number, obj
    except OSError as err:
        raise CorpusError(path, 0, f"cannot read file ({err.strerror or type(err).__name__})") from None
    finally:
        if hasattr(lines, "close"):
            lines.close()
    if not seen_any:
        raise CorpusError(path, 1, "file holds no JSON objects")


def _typed(path, number, obj, key, kind, *, required=True):
    if key not in obj:
        if required:
            raise CorpusError(path, number, f"missing field '{key}'")
        return None
    value = obj[key]
    if kind is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise CorpusError(path, number, f"field '{key}' must be {kind.__name__}, got {type(value).__name__}")
    return value


def _unknown(path, number, axis: str, label, valid) -> CorpusError:
    from difflib import get_close_matches

    hint = get_close_matches(str(label), valid, n=1, cutoff=0.5)
    return CorpusError(path, number, f"unknown {axis} label {label!r}"
                       + (f" (did you mean '{hint[0]}'?)" if hint else "")
                       + f"; valid: {', '.join(valid)}")


def _check_labels(path, number, obj, schema: LabelSchema, need=("domains", "rhetoric")):
    if "domains" in need:
        domains = _typed(path, number, obj, "domains", list)
        for label in domains:
            if not isinstance(label, str):
                raise CorpusError(path, number, f"field 'domains' must hold strings, got {label!r}")
            if label not in schema.domains:
                raise _unknown(path, number, "domain", label, schema.domains)
        repeated = [label for label, n in Counter(domains).items() if n > 1]
        if repeated:
            raise CorpusError(path, number, f"domain label '{repeated[0]}' repeated")
    if "rhetoric" in need:
        rhetoric = _typed(path, number, obj, "rhetoric", str)
        if rhetoric not in schema.rhetoric:
            raise _unknown(path, number, "rhetoric", rhetoric, schema.rhetoric)


def check_sentence(path, number, obj, schema, *, need_text=True, need_labels=True):
    """Validate one sentence object in place; returns its (doc_id, sent_id) key."""
    doc_id = _typed(path, number, obj, "doc_id", str)
    if not has_visible(doc_id):
        raise CorpusError(path, number, "field 'doc_id' is empty")
    sent_id = _typed(path, number, obj, "sent_id", int)
    if sent_id < 0:
        raise CorpusError(path, number, f"field 'sent_id' must be >= 0, got {sent_id} (sent_id counts from 0 "
                                        "within each document)")
    text = _typed(path, number, obj, "text", str, required=need_text)
    if text is not None and not has_visible(text):
        raise CorpusError(path, number, "field 'text' has no visible characters")
    if need_labels:
        _check_labels(path, number, obj, schema, need=need_labels if isinstance(need_labels, tuple)
                      else ("domains", "rhetoric"))
    phenomena = obj.get("phenomena", [])
    unknown = [p for p in phenomena if p not in schema.phenomena] if isinstance(phenomena, list) else [phenomena]
    if unknown:
        raise CorpusError(path, number, f"unknown phenomenon {unknown[0]!r}; valid: {', '.join(schema.phenomena)}")
    return doc_id, sent_id


def iter_sentences(path, *, need_text=True, need_labels=True, schema=None, data=None):
    """Stream validated sentence objects (each with ``_line``); duplicates of (doc_id, sent_id) are refused."""
    schema = schema or load_schema()
    seen = {}                           # 64-bit hash of the key -> line: a million keys in ~100 MB
    for number, obj in read_jsonl(path, data):
        key = check_sentence(path, number, obj, schema, need_text=need_text, need_labels=need_labels)
        digest = hash(key)
        if digest in seen:
            raise CorpusError(path, number, f"duplicate (doc_id, sent_id) {key}, first on line {seen[digest]}")
        seen[digest] = number
        obj["_line"] = number
        yield obj


def load_sentences(path, *, need_text=True, need_labels=True, schema=None, data=None) -> list[dict]:
    """Load and validate a sentences file.

    ``need_labels=False`` reads files whose labels are absent or to be ignored
    (input to ``predict``); ``need_text=False`` reads prediction files, where
    ``text`` is optional; ``need_labels=("rhetoric",)`` needs one axis only.
    Returns the objects in file order, each with a private ``_line`` key giving
    its line number for later error messages.
    """
    sentences = list(iter_sentences(path, need_text=need_text, need_labels=need_labels, schema=schema, data=data))
    first_ids = {}
    for s in sentences:
        first_ids.setdefault(s["doc_id"], s["sent_id"])
    if first_ids and all(v == 1 for v in first_ids.values()):
        first = sentences[0]
        raise CorpusError(path, first["_line"], "every document starts at sent_id 1; sent_id counts from 0 "
                                                "within each document")
    return sentences


def load_documents(path, schema=None) -> dict[str, dict]:
    """Load and validate per-document metadata, keyed by ``doc_id``."""
    schema = schema or load_schema()
    documents = {}
    for number, obj in read_jsonl(path):
        for key, kind in DOCUMENT_FIELDS.items():
            _typed(path, number, obj, key, kind)
        if "date" in obj and obj["date"] is not None and not isinstance(obj["date"], str):
            raise CorpusError(path, number, "field 'date' must be a string or null")
        for key, allowed in (("genre", schema.genres), ("region", schema.regions),
                             ("provenance", schema.provenances)):
            if obj[key] not in allowed:
                raise CorpusError(path, number, f"unknown {key} '{obj[key]}'")
        if obj["doc_id"] in documents:
            raise CorpusError(path, number, f"duplicate doc_id '{obj['doc_id']}'")
        documents[obj["doc_id"]] = obj
    return documents


@dataclass
class Corpus:
    """Sentences (in document order) with the metadata of their documents."""

    sentences: list[dict]
    documents: dict[str, dict]
    files: list[Path] = field(default_factory=list)
    _by_doc: dict = field(default=None, init=False, repr=False, compare=False)

    def __len__(self):
        return len(self.sentences)

    def sentences_of(self, doc_ids) -> list[dict]:
        """The sentences of ``doc_ids``, document by document in the order given."""
        if self._by_doc is None:
            self._by_doc = {}
            for s in self.sentences:
                self._by_doc.setdefault(s["doc_id"], []).append(s)
        return [s for d in doc_ids for s in self._by_doc[d]]

    @property
    def doc_ids(self) -> list[str]:
        """Document ids in first-appearance order."""
        return list(dict.fromkeys(s["doc_id"] for s in self.sentences))

    def subset(self, doc_ids) -> "Corpus":
        keep = set(doc_ids)
        return Corpus([s for s in self.sentences if s["doc_id"] in keep],
                      {d: m for d, m in self.documents.items() if d in keep}, self.files)

    def where(self, **metadata) -> "Corpus":
        """Documents whose metadata equal all given values, e.g. ``where(provenance="seed")``."""
        return self.subset(d for d, m in self.documents.items()
                           if all(m.get(k) == v for k, v in metadata.items()))

    def sha256(self) -> str:
        """Hash of the files the corpus was read from (identifies the data in manifests)."""
        digest = hashlib.sha256()
        for path in sorted(self.files):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()


def _check_document_order(path, sentences, documents):
    """Gold corpora: sent_ids count 0, 1, 2 … in file order, and every doc has metadata."""
    expected = {}
    for s in sentences:
        want = expected.get(s["doc_id"], 0)
        if s["sent_id"] != want:
            raise CorpusError(path, s["_line"], f"sent_id {s['sent_id']} out of order in '{s['doc_id']}' (expected {want})")
        expected[s["doc_id"]] = want + 1
        if s["doc_id"] not in documents:
            raise CorpusError(path, s["_line"], f"doc_id '{s['doc_id']}' has no entry in {paths.DOCUMENTS_FILE}")


def load_corpus(folder) -> Corpus:
    """Load one corpus folder strictly (gold data: order and metadata enforced)."""
    folder = Path(folder)
    schema = load_schema()
    sentence_path, document_path = folder / paths.SENTENCES_FILE, folder / paths.DOCUMENTS_FILE
    sentences = load_sentences(sentence_path, schema=schema)
    documents = load_documents(document_path, schema=schema)
    _check_document_order(sentence_path, sentences, documents)
    return Corpus(sentences, documents, [sentence_path, document_path])


def load_all() -> Corpus:
    """Every corpus under ``corpora/``, concatenated (doc_ids must be unique across them)."""
    sentences, documents, files = [], {}, []
    for folder in paths.corpus_dirs():
        part = load_corpus(folder)
        clash = set(part.documents) & set(documents)
        if clash:
            raise CorpusError(folder / paths.DOCUMENTS_FILE, 1, f"doc_id '{sorted(clash)[0]}' also in another corpus")
        sentences += part.sentences
        documents.update(part.documents)
        files += part.files
    return Corpus(sentences, documents, files)
