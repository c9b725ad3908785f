"""TF-IDF word 1-2-grams + Complement Naive Bayes."""

from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import make_pipeline

from bench.features import word_tfidf


def build(task, seed):
    # ComplementNB is designed for imbalanced text classes; alpha=0.3 smooths less than the default.
    return make_pipeline(word_tfidf(), ComplementNB(alpha=0.3))
