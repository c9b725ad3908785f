"""Shared featurisation changes nothing: a run's models fit together give the same bytes as fit alone."""

import json

from bench.corpus import load_all
from bench.harness import fit_predict, run_group
from bench.registry import select
from bench.tasks import TASKS


def test_sharing_vectorisers_across_models_and_tasks_gives_identical_outputs():
    corpus = load_all().where(provenance="constructed")
    docs = corpus.doc_ids
    train, evaluate = corpus.sentences_of(docs[:60]), corpus.sentences_of(docs[60:90])
    specs = select("tfidf_svm,tfidf_logreg,char_svm,word_char_svm,topic_only")
    items = [(spec, task) for spec in specs for task in TASKS]
    shared = run_group(items, train, evaluate, 7, True)
    for (spec, task), together in zip(items, shared):
        alone = fit_predict(spec, TASKS[task], train, evaluate, 7, explain=True)
        for key in ("predictions", "scores", "indicative_ngrams"):
            assert json.dumps(together[key]) == json.dumps(alone[key]), (spec.name, task, key)


# --- The per-process n-gram store gives scikit-learn's matrices, bit for bit -------------------------------

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer as SkTfidf  # noqa: E402

from bench import features  # noqa: E402
from bench.fast_features import WordNgramTransform, fast_transformer  # noqa: E402
from bench.floors import strip_act_words  # noqa: E402


def _same(a, b):
    a, b = a.tocsr(), b.tocsr()
    return (a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices) and np.array_equal(a.data, b.data))


SETTINGS = {
    "word": dict(),
    "char": dict(analyzer="char_wb", ngram_range=(2, 4)),
    "topic_only": dict(preprocessor=strip_act_words),
    "max_features": dict(max_features=2000),
    "max_df": dict(max_df=0.2, min_df=0.002),
    "binary": dict(binary=True, min_df=1, sublinear_tf=False),
}


@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.slow) if n in ("char", "binary") else n
                                  for n in SETTINGS])
def test_shared_store_fits_and_transforms_exactly_like_scikit_learn(name):
    texts = [s["text"] for s in load_all().sentences]
    rng = np.random.default_rng(5)
    features.clear_analyses()
    for fold in range(2):          # the second fold reuses the store, including texts first seen as evaluation
        order = rng.permutation(len(texts))
        train = [texts[i] for i in order[:3000]]
        evaluate = [texts[i] for i in order[3000:4000]] + ["An unseen sentence about zyxwv.", train[0]]
        plain = features.word_tfidf(**SETTINGS[name])
        X, T = plain.fit_transform(train), plain.transform(evaluate)
        with features.sharing():
            shared = features.word_tfidf(**SETTINGS[name])
            Xs, Ts = shared.fit_transform(train), shared.transform(evaluate)
            state = {k: v for k, v in vars(shared).items() if k != "_shared_key"}
        assert _same(X, Xs) and _same(T, Ts), name
        assert set(state) == set(vars(plain))
        assert state["vocabulary_"] == plain.vocabulary_
        assert [type(v) for v in state["vocabulary_"].values()] == [type(v) for v in plain.vocabulary_.values()]
        assert np.array_equal(state["_tfidf"].idf_, plain._tfidf.idf_)
    # Apart from sorted indices, the plain path is scikit-learn's own vectoriser.
    reference = SkTfidf(**features.word_tfidf(**SETTINGS[name]).get_params()).fit(train)
    assert reference.vocabulary_ == plain.vocabulary_
    expected = reference.transform(evaluate)
    expected.sort_indices()
    assert np.allclose(expected.toarray(), T.toarray(), rtol=0, atol=1e-12)


# --- The vectorised prediction transform equals the vectoriser's transform ---------------------------------

WORDS = st.sampled_from(["the", "minister", "Minister", "called", "for", "a", "I", "ceasefire", "Café", "café",
                         "ΟΔΟΣ", "İstanbul", "naïve", "x_y", "42", "don't", "\x01", "co-operation", "ß", "東京"])
TEXTS = st.lists(st.one_of(st.text(max_size=40), st.lists(WORDS, max_size=12).map(" ".join),
                           st.lists(WORDS, max_size=12).map(lambda ws: "\x01".join(ws) + ".")), max_size=25)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(train=TEXTS, evaluate=TEXTS.filter(bool), pattern=st.sampled_from([r"(?u)\b\w+\b", r"(?u)\b\w\w+\b"]),
       ngrams=st.sampled_from([(1, 1), (1, 2), (2, 2)]), lowercase=st.booleans(),
       accents=st.sampled_from([None, "unicode", "ascii"]), binary=st.booleans())
def test_fast_word_transform_equals_the_vectoriser_on_any_text(train, evaluate, pattern, ngrams, lowercase,
                                                               accents, binary):
    corpus_like = ["The minister called for a ceasefire.", "the Minister called for calm in İstanbul",
                   "Café talks: naïve co-operation, don't 42 x_y ß 東京"] * 2
    vectorizer = features.word_tfidf(token_pattern=pattern, ngram_range=ngrams, lowercase=lowercase,
                                     strip_accents=accents, binary=binary, min_df=1)
    vectorizer.fit(corpus_like + train)
    fast = fast_transformer(vectorizer)
    assert isinstance(fast, WordNgramTransform)
    assert _same(vectorizer.transform(evaluate), fast.transform(evaluate))


def test_fast_transform_declines_what_it_cannot_reproduce():
    assert fast_transformer(features.char_tfidf().fit(["some text", "more text"])) is None
    assert fast_transformer(features.word_tfidf(ngram_range=(1, 3), min_df=1).fit(["a b c d"])) is None
    assert fast_transformer(features.word_tfidf()) is None            # not fitted


def test_fast_transform_of_a_word_and_char_union_equals_the_union():
    texts = [s["text"] for s in load_all().where(provenance="constructed").sentences[:600]]
    union = features.word_char_union().fit(texts[:400])
    fast = fast_transformer(union)
    assert fast is not None
    assert _same(union.transform(texts[400:]), fast.transform(texts[400:]))
