"""Shared text featurisers for the baseline model specs in ``models/``.

Hyperparameters are fixed a priori, not tuned on the test split:
- word 1-2-grams, sublinear TF, min_df=2: readout sentences are short and
  formulaic, so bigrams ("called on", "need to", "will not") carry the act;
  min_df=2 drops one-off names.
- character 2-4-grams within word boundaries (``char_wb``): robust to
  inflection ("condemn", "condemned", "condemnation") and to unseen names.
"""

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion


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
