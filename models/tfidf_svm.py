"""TF-IDF word 1-2-grams + linear SVM (balanced class weights)."""

from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from bench.features import word_tfidf


def build(task, seed):
    return make_pipeline(word_tfidf(), LinearSVC(C=0.5, class_weight="balanced", tol=1e-2, random_state=seed))
