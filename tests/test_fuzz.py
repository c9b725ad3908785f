"""Property-based fuzzing of every reader: only the kit's own error type ever escapes.

Hypothesis generates malformed and adversarial input (arbitrary bytes, JSON of
every shape, lone surrogates, 5,000-digit integers, deep nesting, byte-order
marks, CRLF, zero-width text, CSV and TSV) with a fixed seed
(``derandomize=True``), so every run tries the same inputs. Together the
in-process properties try 10,500 inputs per run; a smaller set goes through the
real command line, where the promise is exit status 0 or 2 and never a traceback.
"""

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.annotation import read_tsv
from bench.corpus import iter_sentences, load_documents, load_sentences
from bench.errors import KitError
from bench.predict import is_jsonl, read_raw_readout
from bench.schema import load_schema

from conftest import run_cli

SCHEMA = load_schema()
FIELDS = ["doc_id", "sent_id", "text", "domains", "rhetoric", "phenomena", "title", "genre", "parties",
          "region", "provenance", "licence", "date"]
LABELS = list(SCHEMA.rhetoric) + list(SCHEMA.domains) + list(SCHEMA.genres) + list(SCHEMA.regions)

pytestmark = pytest.mark.slow      # about a minute for the 10,500 inputs; `make test` runs it, `make test-fast` not
FUZZ = dict(derandomize=True, deadline=None, database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20)
    | st.sampled_from(LABELS),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=5),
                                                                 inner, max_size=6),
    max_leaves=12)

sentence_like = st.fixed_dictionaries(
    {}, optional={"doc_id": st.text(max_size=6) | st.integers(), "sent_id": st.integers(-3, 3) | st.text(max_size=2),
                  "text": st.text(max_size=30) | st.sampled_from(["\u200b\u200b", " ", "\ufeff", "x"]),
                  "domains": st.lists(st.sampled_from(LABELS) | st.text(max_size=4), max_size=3) | json_values,
                  "rhetoric": st.sampled_from(LABELS) | st.text(max_size=8) | json_values,
                  "phenomena": st.lists(st.text(max_size=5), max_size=2) | json_values})

SPECIAL_LINES = [
    b'{"doc_id": "d", "sent_id": ' + b"9" * 5000 + b', "text": "x", "domains": [], "rhetoric": "report"}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"doc_id": "d", "sent_id": 0, "text": "\\ud800", "domains": [], "rhetoric": "report"}',
    b'\xef\xbb\xbf{"doc_id": "d", "sent_id": 0, "text": "x", "domains": [], "rhetoric": "report"}',
    b'{"doc_id": "d", "sent_id": 0, "text": "x", "domains": [], "rhetoric": "report"}\r',
    b"doc_id,sent_id,text\nd,0,hello",
    b"doc_id\tsent_id\ttext\nd\t0\thello",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"",
    b"\n\n\n",
    b'{"doc_id": "d", "sent_id": 0, "text": "\\u200b\\u200c", "domains": [], "rhetoric": "report"}',
]

lines = (st.builds(lambda o: json.dumps(o, ensure_ascii=False).encode("utf-8", "surrogatepass"), sentence_like)
         | st.builds(lambda o: json.dumps(o).encode(), json_values)
         | st.binary(max_size=40) | st.sampled_from(SPECIAL_LINES))
files = st.lists(lines, min_size=0, max_size=6).map(lambda ls: b"\n".join(ls))


def _only_kit_errors(call, *args, **kwargs):
    try:
        result = call(*args, **kwargs)
        if hasattr(result, "__next__"):
            list(result)
    except KitError as err:
        assert "\n" not in str(err), "errors are one line"


@settings(max_examples=4000, **FUZZ)
@given(files)
def test_sentence_reader_raises_only_kit_errors(data):
    _only_kit_errors(load_sentences, "fuzz.jsonl", data=data)
    _only_kit_errors(load_sentences, "fuzz.jsonl", data=data, need_labels=False)
    _only_kit_errors(iter_sentences, "fuzz.jsonl", data=data, need_text=False)


@settings(max_examples=2000, **FUZZ)
@given(files)
def test_document_reader_raises_only_kit_errors(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "documents.jsonl"
        path.write_bytes(data)
        _only_kit_errors(load_documents, path)


@settings(max_examples=2500, **FUZZ)
@given(st.binary(max_size=300) | files | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_raw_readout_reader_raises_only_kit_errors(data):
    _only_kit_errors(read_raw_readout, "<stdin>", data)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input"
        path.write_bytes(data)
        is_jsonl("input", path)                 # must never raise


tsv_cells = st.lists(st.text(max_size=12) | st.sampled_from(LABELS + ["-", "precedence", "7"]), max_size=6)


@settings(max_examples=2000, **FUZZ)
@given(st.lists(tsv_cells.map("\t".join), max_size=5).map("\n".join))
def test_annotation_tsv_reader_raises_only_kit_errors(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "labels.tsv"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _only_kit_errors(read_tsv, path)


@settings(max_examples=12, **FUZZ)
@given(files)
def test_command_line_exits_0_or_2_and_never_with_a_traceback(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "input.jsonl"
    path.write_bytes(data)
    env = {"READOUT_BENCH_OUTPUTS": str(folder / "outputs")}
    for args in (("validate", path), ("score", "--pred", path, "--gold", path),
                 ("eval", "--test", path, "--models", "tfidf_svm")):
        result = run_cli(*args, env=env, check=False)
        assert result.returncode in (0, 2), (args, result.stderr[-500:])
        assert "Traceback" not in result.stderr, result.stderr[-800:]
        if result.returncode == 2:
            assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert not any(p.name.startswith(".staging-") for p in folder.rglob("*"))
