"""TF-IDF character 2-4-grams (within words) + linear SVM (balanced class weights)."""

from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from bench.features import char_tfidf


def build(task, seed):
    return make_pipeline(char_tfidf(), LinearSVC(C=0.5, class_weight="balanced", tol=1e-2, random_state=seed))
