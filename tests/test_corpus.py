"""The shipped corpus v2: format, seed gold labels, size and label floors, register, provenance, no duplicates."""

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
    assert {p.name for p in paths.corpus_dirs()} == {"constructed", "contrast", "seed"}
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
    assert stats["documents"] >= 1000
    assert stats["sentences"] >= 10000
    assert 2 <= stats["length_min"] and stats["length_max"] <= 45
    assert max(stats["genres"].values()) <= 0.30 * stats["documents"]
    assert set(stats["genres"]) == set(load_schema().genres) - {"contrast_set"}
    assert stats["parties"] >= 60
    assert set(stats["regions"]) >= {"africa", "americas", "europe", "middle_east", "central_south_asia",
                                     "east_southeast_asia", "oceania"}
    assert {"cordial", "neutral", "tense", "hostile"} <= set(stats["tones"])
    assert len(stats["house_styles"]) >= 3


def test_label_floors(stats):
    from bench.style import LABEL_FLOORS

    for label in load_schema().rhetoric:
        assert stats["rhetoric"][label] >= LABEL_FLOORS.get(label, LABEL_FLOORS["rhetoric"]), label
    for label in load_schema().domains:
        assert stats["domains"][label] >= LABEL_FLOORS["domain"], label
    assert 0.05 <= stats["no_domain_share"] <= 0.30


def test_register_meets_the_targets_of_real_readouts(corpus):
    """`make style`: every register figure of the constructed corpus is in its target range."""
    from bench import style

    figures = style.figures(corpus.where(provenance="constructed").sentences)
    assert not style.failures(figures), style.render(figures)
    assert figures["two_acts"] >= 20.0, style.render(figures)


def test_gold_is_rebuilt_from_the_raw_annotations():
    """Writers never label: gold = both blind annotators' agreement, else the adjudicator's decision."""
    from bench import annotation

    assert annotation.rebuild_gold(check_only=True) == []


def test_every_document_records_its_writer_and_the_frozen_codebook(corpus):
    from bench import annotation

    frozen = annotation.codebook_version()
    assert frozen["version"] == "2.0"
    annotators = json.loads((paths.ANNOTATIONS / "annotators.json").read_text(encoding="utf-8"))
    for doc_id, meta in corpus.documents.items():
        if meta["provenance"] == "seed":
            continue
        assert meta["codebook"] == frozen, doc_id
        assert meta["writer"].startswith("writer_"), doc_id
        roles = annotators["packets"][annotators["documents"][doc_id]]
        writer = annotators["sessions"][meta["writer"]]
        labellers = {roles["annotator_a"], roles["annotator_b"], roles["adjudicator"]}
        assert writer not in labellers, doc_id                   # writers never label their own text
        assert len(labellers) == 3, doc_id                       # three different sessions


def test_contrast_set_is_minimal_pairs_kept_out_of_training(corpus):
    contrast = corpus.where(provenance="contrast")
    assert len(contrast.documents) >= 300
    sizes = Counter(s["doc_id"] for s in contrast.sentences)
    assert min(sizes.values()) >= 2
    kinds = Counter(m["kind"] for m in contrast.documents.values())
    assert set(kinds) == {"act_swap", "domain_swap", "negation", "reported_vs_own", "hedge"}


def test_challenge_slice(corpus, stats):
    assert stats["phenomena_share"] >= 0.10
    assert set(stats["phenomena"]) == set(load_schema().phenomena)
    for s in corpus.sentences:
        if "long_sentence" in s.get("phenomena", []):
            assert len(s["text"].split()) > 50, s["text"]
        if "many_domains" in s.get("phenomena", []):
            assert len(s["domains"]) >= 4, s["text"]


@pytest.mark.slow
def test_near_duplicates_across_documents_are_rare(corpus):
    """Real readouts repeat formulae ("They agreed to remain in close contact."), so v2 allows some repeats
    across documents; but at most 2% of constructed sentences may have a near-duplicate (TF-IDF cosine
    >= 0.9) in another document, so train and test cannot share much text. Within a document, none."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    sentences = corpus.where(provenance="constructed").sentences
    texts = [s["text"] for s in sentences]
    per_doc = Counter((s["doc_id"], s["text"]) for s in sentences)
    assert max(per_doc.values()) == 1
    matrix = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
    similarity = (matrix @ matrix.T).tocoo()
    docs = np.array([s["doc_id"] for s in sentences])
    close = (similarity.data >= 0.9) & (similarity.row < similarity.col) & (docs[similarity.row] != docs[similarity.col])
    involved = set(similarity.row[close]) | set(similarity.col[close])
    assert len(involved) <= 0.02 * len(texts), len(involved)


def test_constructed_documents_are_marked_and_licensed(corpus):
    for doc_id, meta in {**corpus.where(provenance="constructed").documents,
                         **corpus.where(provenance="contrast").documents}.items():
        assert meta["licence"] == "CC-BY-4.0", doc_id
        assert meta["date"] is None, doc_id     # events did not happen; no fake dates
    datasheet = (paths.CORPORA / "DATASHEET.md").read_text(encoding="utf-8")
    assert "constructed" in datasheet and "did not happen" in datasheet
