"""The shipped corpus: format, seed gold labels, coverage targets, no duplicates, ethics metadata."""

import json
from collections import Counter

import numpy as np
import pytest

from bench import paths
from bench.corpus import load_all
from bench.corpus_stats import describe
from bench.schema import load_schema


@pytest.fixture(scope="module")
def corpus():
    return load_all()


@pytest.fixture(scope="module")
def stats(corpus):
    return describe(corpus)


def test_every_corpus_validates_and_sent_ids_count_from_zero(corpus):
    assert {p.name for p in paths.corpus_dirs()} == {"constructed", "seed"}
    per_doc = {}
    for s in corpus.sentences:
        assert s["sent_id"] == per_doc.get(s["doc_id"], 0)
        per_doc[s["doc_id"]] = s["sent_id"] + 1


def test_seed_readout_is_gold_labelled_and_never_constructed(corpus):
    seed = corpus.where(provenance="seed")
    assert list(seed.documents) == ["seed_000"]
    assert len(seed) == 12
    assert [s["rhetoric"] for s in seed.sentences] == [
        "report", "solidarity", "solidarity", "solidarity", "call_appeal", "criticism",
        "call_appeal", "call_appeal", "praise_goodwill", "commitment", "criticism", "call_appeal"]
    assert seed.sentences[0]["domains"] == []
    codebook = (paths.CORPORA / "CODEBOOK.md").read_text(encoding="utf-8")
    for sent_id in range(12):
        assert f"| {sent_id} | {seed.sentences[sent_id]['rhetoric']} |" in codebook


def test_size_and_breadth_targets(stats):
    assert stats["documents"] >= 300
    assert stats["sentences"] >= 3000
    assert 3 <= stats["length_min"] and stats["length_max"] <= 25
    assert max(stats["genres"].values()) <= 0.30 * stats["documents"]
    assert set(stats["genres"]) == set(load_schema().genres)
    assert stats["parties"] >= 60
    assert set(stats["regions"]) >= {"africa", "americas", "europe", "middle_east", "central_south_asia",
                                     "east_southeast_asia", "oceania"}
    assert {"cordial", "neutral", "tense", "hostile"} <= set(stats["tones"])
    assert len(stats["house_styles"]) >= 3


def test_label_targets(stats):
    for label in load_schema().rhetoric:
        assert stats["rhetoric"][label] >= (100 if label == "warning_threat" else 150), label
    for label in load_schema().domains:
        assert stats["domains"][label] >= 200, label
    assert 0.05 <= stats["no_domain_share"] <= 0.15


def test_challenge_slice(corpus, stats):
    assert stats["phenomena_share"] >= 0.10
    assert set(stats["phenomena"]) == set(load_schema().phenomena)
    for s in corpus.sentences:
        if "long_sentence" in s.get("phenomena", []):
            assert len(s["text"].split()) > 50, s["text"]
        if "many_domains" in s.get("phenomena", []):
            assert len(s["domains"]) >= 4, s["text"]


def test_no_sentence_twice_and_no_near_duplicates_across_documents(corpus):
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [s["text"] for s in corpus.sentences]
    repeated = [t for t, n in Counter(texts).items() if n > 1]
    assert not repeated
    matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
    similarity = (matrix @ matrix.T).tocoo()
    docs = np.array([s["doc_id"] for s in corpus.sentences])
    close = (similarity.data >= 0.9) & (similarity.row < similarity.col) & (docs[similarity.row] != docs[similarity.col])
    pairs = [(texts[i], texts[j]) for i, j in zip(similarity.row[close], similarity.col[close])]
    assert not pairs, pairs[:3]


def test_constructed_documents_are_marked_and_licensed(corpus):
    for doc_id, meta in corpus.where(provenance="constructed").documents.items():
        assert meta["licence"] == "CC-BY-4.0", doc_id
        assert meta["date"] is None, doc_id     # events did not happen; no fake dates
    datasheet = (paths.CORPORA / "DATASHEET.md").read_text(encoding="utf-8")
    assert "constructed" in datasheet and "did not happen" in datasheet
