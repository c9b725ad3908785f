"""Shared text featurisers for the baseline model specs in ``models/``.

Hyperparameters are fixed a priori, not tuned on the test split:
- word 1-2-grams, sublinear TF, min_df=2: readout sentences are short and
  formulaic, so bigrams ("called on", "need to", "will not") carry the act;
  min_df=2 drops one-off names.
- character 2-4-grams within word boundaries (``char_wb``): robust to
  inflection ("condemn", "condemned", "condemnation") and to unseen names.

**Shared featurisation.** A vectoriser does not look at the labels, so within
one protocol run (one set of training documents) every model with the same
analyser settings would fit the very same vocabulary and matrices. Inside
:func:`sharing` — the harness opens it around each run — :class:`TfidfVectorizer`
remembers what it fitted and transformed, keyed by its parameters and a hash of
the texts, and hands the same result to the next model that asks: the
character n-grams are fitted once per run instead of once per model and task,
and the evaluation texts are transformed once. Outside :func:`sharing` (released
models, user code) it is scikit-learn's ``TfidfVectorizer`` unchanged. The
results are the same objects either way, so the board is byte-identical.
"""

import hashlib
from contextlib import contextmanager

import numpy as np
from sklearn.feature_extraction import text as sk_text
from sklearn.pipeline import FeatureUnion

_MEMO: dict | None = None       # active only inside sharing(); one run's fits and transforms


@contextmanager
def sharing():
    """Share fitted vectorisers and transformed matrices between the models of one run."""
    global _MEMO
    previous, _MEMO = _MEMO, {}
    try:
        yield
    finally:
        _MEMO = previous


def _texts_key(texts) -> str:
    digest = hashlib.sha256()
    for t in texts:
        digest.update(t.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class TfidfVectorizer(sk_text.TfidfVectorizer):
    """scikit-learn's ``TfidfVectorizer``, sharing its work across models inside :func:`sharing`."""

    def _params_key(self) -> str:
        return repr(sorted((k, repr(v)) for k, v in self.get_params().items()))

    def fit_transform(self, raw_documents, y=None):
        if _MEMO is None:
            return super().fit_transform(raw_documents, y)
        texts = list(raw_documents)
        key = ("fit", self._params_key(), _texts_key(texts))
        if key not in _MEMO:
            X = super().fit_transform(texts, y)
            _MEMO[key] = (dict(vars(self)), X)
        state, X = _MEMO[key]
        vars(self).update(state)
        self._shared_key = key
        return X

    def fit(self, raw_documents, y=None):
        self.fit_transform(raw_documents, y)
        return self

    def transform(self, raw_documents):
        fitted = getattr(self, "_shared_key", None)
        if _MEMO is None or fitted not in _MEMO:      # fitted outside this run: compute as usual
            return super().transform(raw_documents)
        texts = list(raw_documents)
        key = ("transform", fitted, _texts_key(texts))
        if key not in _MEMO:
            _MEMO[key] = super().transform(texts)
        return _MEMO[key]

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_shared_key", None)      # a run-local handle, not part of the fitted model
        return state


def word_tfidf(**overrides) -> TfidfVectorizer:
    params = dict(ngram_range=(1, 2), min_df=2, sublinear_tf=True, strip_accents="unicode",
                  lowercase=True, token_pattern=r"(?u)\b\w+\b", dtype=np.float64)
    return TfidfVectorizer(**{**params, **overrides})


def char_tfidf(**overrides) -> TfidfVectorizer:
    params = dict(analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True,
                  strip_accents="unicode", lowercase=True, dtype=np.float64)
    return TfidfVectorizer(**{**params, **overrides})


def word_char_union() -> FeatureUnion:
    return FeatureUnion([("word", word_tfidf()), ("char", char_tfidf())])
