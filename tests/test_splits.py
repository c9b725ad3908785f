"""Committed splits: document-level, fixed, balanced; seed and contrast set kept out of training."""

from collections import Counter

import pytest

from bench.corpus import load_all
from bench.protocol import PROTOCOL
from bench.splits import build_splits, load_splits


@pytest.fixture(scope="module")
def corpus():
    return load_all()


@pytest.fixture(scope="module")
def splits():
    return load_splits()


def test_every_document_has_exactly_one_part(corpus, splits):
    assert set(splits["documents"]) == set(corpus.documents)
    assert set(splits["documents"].values()) == {"train", "dev", "test", "seed", "contrast"}
    assert splits["documents"]["seed_000"] == "seed"
    for doc_id, meta in corpus.documents.items():
        if meta["provenance"] in ("seed", "contrast"):
            assert splits["documents"][doc_id] == meta["provenance"], doc_id


def test_test_split_holds_at_least_a_fifth_of_constructed_documents_in_every_genre(corpus, splits):
    parts = Counter(p for d, p in splits["documents"].items() if p in ("train", "dev", "test"))
    assert parts["test"] >= 0.2 * sum(parts.values()) - 1
    constructed = {d: m for d, m in corpus.documents.items() if m["provenance"] == "constructed"}
    for genre in {m["genre"] for m in constructed.values()}:
        in_genre = [d for d, m in constructed.items() if m["genre"] == genre]
        assert any(splits["documents"][d] == "test" for d in in_genre), genre


def test_label_distribution_of_test_is_natural(corpus, splits):
    """Test keeps the corpus's own proportions (no rebalancing): within 2 points for every label."""
    pool = {d for d, p in splits["documents"].items() if p in ("train", "dev", "test")}
    whole = Counter(s["rhetoric"] for s in corpus.sentences if s["doc_id"] in pool)
    test = Counter(s["rhetoric"] for s in corpus.sentences if splits["documents"][s["doc_id"]] == "test")
    for label, n in whole.items():
        assert abs(test[label] / sum(test.values()) - n / sum(whole.values())) < 0.02, label
    whole_d = Counter(d for s in corpus.sentences if s["doc_id"] in pool for d in s["domains"])
    test_d = Counter(d for s in corpus.sentences if splits["documents"][s["doc_id"]] == "test" for d in s["domains"])
    for label, n in whole_d.items():
        assert abs(test_d[label] / sum(test_d.values()) - n / sum(whole_d.values())) < 0.02, label


def test_cv_folds_cover_training_documents_and_never_the_test_split(splits):
    pool = {d for d, p in splits["documents"].items() if p in ("train", "dev")}
    assert len(splits["cv"]) == PROTOCOL.cv_repeats
    for fold_of in splits["cv"]:
        assert set(fold_of) == pool
        assert set(fold_of.values()) == set(range(PROTOCOL.cv_folds))
    assert splits["cv"][0] != splits["cv"][1]      # repeats reshuffle


def test_ood_splits_are_a_whole_region_and_a_whole_genre(corpus, splits):
    assert [o["key"] for o in splits["ood"]] == ["region", "genre"]
    for ood in splits["ood"]:
        key, value = ood["key"], ood["value"]
        expected = sorted(d for d, m in corpus.documents.items()
                          if m.get(key) == value and m["provenance"] == "constructed")
        assert ood["documents"] == expected and len(expected) >= 60


def test_split_procedure_is_deterministic(corpus):
    assert build_splits(corpus)["documents"] == build_splits(corpus)["documents"]
