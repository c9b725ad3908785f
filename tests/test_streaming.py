"""Large-file prediction on several processes (bench.streaming) and the compact vocabulary of released models.

The parallel path must write exactly what the one-process path writes, and fail
exactly as it fails: the first bad line in file order, its true line number,
nothing left behind.
"""

import io
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench import artifacts, predict, streaming
from bench.corpus import CorpusError, iter_sentences
from bench.errors import KitError
from bench.features import pack_vocabulary, unpack_vocabulary, word_tfidf

from conftest import ROOT

SENTENCES = ROOT / "corpora" / "constructed" / "sentences.jsonl"


# -- chunking ------------------------------------------------------------------------------------

@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")), max_size=30),
       terminated=st.booleans(), size=st.integers(1, 64))
def test_chunks_cover_the_file_at_line_ends_with_true_line_numbers(tmp_path, lines, terminated, size):
    data = b"\n".join(lines) + (b"\n" if terminated and lines else b"")
    path = tmp_path / "f.jsonl"
    path.write_bytes(data)
    bounds = list(streaming.chunk_bounds(path, size))
    assert b"".join(data[o:o + n] for o, n, _ in bounds) == data             # contiguous, complete
    assert all(n > 0 for _, n, _ in bounds)
    for offset, length, first_line in bounds[:-1]:
        assert data[offset + length - 1:offset + length] == b"\n"              # cut after a newline
    for offset, _, first_line in bounds:
        assert first_line == data[:offset].count(b"\n") + 1


# -- the vocabulary as released ------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(terms=st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=40), numpy_ids=st.booleans(),
       seed=st.integers(0, 2**32 - 1))
def test_packed_vocabularies_unpack_to_the_same_dict_in_the_same_order(terms, numpy_ids, seed):
    ids = np.random.default_rng(seed).permutation(len(terms))
    vocabulary = dict(zip(terms, (np.int64(i) for i in ids) if numpy_ids else ids.tolist()))
    back = unpack_vocabulary(pack_vocabulary(vocabulary))
    assert list(back.items()) == list(vocabulary.items())
    assert {type(v) for v in back.values()} <= ({np.int64} if numpy_ids else {int})


@pytest.mark.parametrize("damage", ["short ends", "ids repeat", "ends past text", "term repeats", "not arrays"])
def test_a_damaged_packed_vocabulary_is_refused(damage):
    encoded, ends, ids, numpy_ids = pack_vocabulary({"ab": 0, "c": 1, "de": 2})
    packed = {"short ends": (encoded, ends[:2], ids, numpy_ids),
              "ids repeat": (encoded, ends, np.array([0, 0, 1]), numpy_ids),
              "ends past text": (encoded, ends + 1, ids, numpy_ids),
              "term repeats": (np.frombuffer(b"ababab", np.uint8), np.array([2, 4, 6]), ids, numpy_ids),
              "not arrays": ("x", None)}[damage]
    with pytest.raises(ValueError, match="malformed packed vocabulary"):
        unpack_vocabulary(packed)


def test_a_released_vectoriser_round_trips_through_skops_and_a_tampered_one_is_refused():
    texts = [json.loads(l)["text"] for l in SENTENCES.read_text(encoding="utf-8").splitlines()[:400]]
    fitted = word_tfidf().fit(texts)
    data = artifacts.dumps(fitted)
    loaded = artifacts.loads(data)
    assert list(loaded.vocabulary_.items()) == list(fitted.vocabulary_.items())
    assert (loaded.transform(texts) != fitted.transform(texts)).nnz == 0
    assert "vocabulary_" in vars(fitted) and artifacts.dumps(fitted) == data     # packing leaves the model alone
    forged = word_tfidf()                        # a file whose packed vocabulary names one column twice
    vars(forged).update({**vars(fitted), "vocabulary_": (np.frombuffer(b"abc", np.uint8), np.array([1, 3]),
                                                         np.array([0, 0]), False)})
    with pytest.raises(artifacts.UnsafeArtifact, match="malformed packed vocabulary"):
        artifacts.loads(artifacts.dumps(forged))


# -- prediction on several processes -------------------------------------------------------------

def _input(tmp_path, n=1500):
    """Corpus sentences with every kind of line predict accepts: extra keys, gold labels, non-ASCII, blanks, CRLF."""
    rows = [json.loads(l) for l in SENTENCES.read_text(encoding="utf-8").splitlines()[:n]]
    lines = []
    for i, r in enumerate(rows):
        row = {"doc_id": r["doc_id"], "sent_id": r["sent_id"], "text": r["text"]}
        if i % 7 == 0:
            row.update(rhetoric=r["rhetoric"], domains=r["domains"])          # gold labels are replaced
        if i % 11 == 0:
            row["note"] = ["é", 1.5, None]
        if i % 13 == 0:
            row["text"] = "Les ministres se sont réjouis — «coopération» " + row["text"]
        lines.append(json.dumps(row, ensure_ascii=i % 2 == 0) + ("\r\n" if i % 17 == 0 else "\n"))
        if i % 97 == 0:
            lines.append("   \n")
    path = tmp_path / "in.jsonl"
    path.write_text("\ufeff" + "".join(lines), encoding="utf-8")
    return path


@pytest.fixture()
def small_chunks(monkeypatch):
    monkeypatch.setattr(streaming, "CHUNK_BYTES", 20_000)       # ~100 sentences a chunk: many chunks


@pytest.mark.slow
def test_several_processes_write_exactly_what_one_process_writes(trained, tmp_path, monkeypatch, small_chunks):
    for key, value in trained.items():
        monkeypatch.setenv(key, value)
    source = _input(tmp_path)
    assert len(list(streaming.chunk_bounds(source))) > 10
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    assert predict.run(source, one, "tfidf_svm", workers=1) == 1500
    assert predict.run(source, two, "tfidf_svm", workers=2) == 1500
    assert two.read_bytes() == one.read_bytes()
    # and what both write is the merge of each input object with its labels, as json.dumps writes it
    predictor = predict.Predictor("tfidf_svm")
    sentences = [{k: v for k, v in s.items() if k != "_line"} for s in iter_sentences(source, need_labels=False)]
    labels = predictor([s["text"] for s in sentences])
    reference = "".join(json.dumps({**s, **p}, ensure_ascii=False) + "\n" for s, p in zip(sentences, labels))
    assert one.read_text(encoding="utf-8") == reference
    rows = [json.loads(l) for l in one.read_text(encoding="utf-8").splitlines()]
    assert all(set(r) >= {"rhetoric", "rhetoric_confidence", "domains", "domain_scores"} for r in rows)
    assert any("note" in r for r in rows)


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["bad line late", "duplicate across chunks", "bad line in the first chunk"])
def test_bad_input_in_any_chunk_fails_on_its_true_line_and_writes_nothing(trained, tmp_path, monkeypatch,
                                                                          small_chunks, damage):
    for key, value in trained.items():
        monkeypatch.setenv(key, value)
    source = _input(tmp_path)
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    if damage == "bad line late":
        target = len(lines) - 40
        lines[target] = '{"doc_id": "x", "sent_id": -1, "text": "A sentence."}\n'
        expected = f"{source}:{target + 1}: field 'sent_id' must be >= 0"
    elif damage == "duplicate across chunks":
        first = json.loads(lines[5])
        target = len(lines) - 3
        lines[target] = json.dumps({"doc_id": first["doc_id"], "sent_id": first["sent_id"], "text": "Again."}) + "\n"
        expected = f"{source}:{target + 1}: duplicate (doc_id, sent_id)"
    else:
        lines[3] = "not json\n"
        expected = f"{source}:4: malformed JSON"
    source.write_text("".join(lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    with pytest.raises(CorpusError) as raised:
        predict.run(source, out, "tfidf_svm", workers=2)
    assert str(raised.value).startswith(expected)
    assert not out.exists() and not list(tmp_path.glob(".staging-*"))


def _die_on_the_second_chunk(path, offset, length, first_line, _work=streaming._work):
    import os
    import signal

    if first_line > 1:
        os.kill(os.getpid(), signal.SIGKILL)       # as the out-of-memory killer would
    return _work(path, offset, length, first_line)


@pytest.mark.slow
def test_a_worker_that_dies_stops_the_run_with_an_error_not_a_wait(trained, tmp_path, monkeypatch, small_chunks):
    for key, value in trained.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(streaming, "_work", _die_on_the_second_chunk)
    source, out = _input(tmp_path), tmp_path / "out.jsonl"
    with pytest.raises(KitError, match="a worker process died"):
        predict.run(source, out, "tfidf_svm", workers=2)
    assert not out.exists() and not list(tmp_path.glob(".staging-*"))


@pytest.mark.slow
def test_workers_are_never_more_than_chunks(trained, tmp_path, monkeypatch, small_chunks):
    for key, value in trained.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(streaming, "CHUNK_BYTES", 200_000)
    source, out = _input(tmp_path), tmp_path / "out.jsonl"
    chunks = len(list(streaming.chunk_bounds(source)))
    assert chunks == 2
    log = io.StringIO()
    predict.run(source, out, "tfidf_svm", workers=40, log=log)
    assert "2 chunks on 2 processes" in log.getvalue()
