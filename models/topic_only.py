"""Diagnostic: TF-IDF word 1-2-grams + linear SVM with the act words (cues, modals, negation) removed."""

from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from bench.features import word_tfidf
from bench.floors import strip_act_words


def build(task, seed):
    # What topic and genre alone predict: a high rhetoric score here means the corpus leaks the act.
    return make_pipeline(word_tfidf(preprocessor=strip_act_words),
                         LinearSVC(C=0.5, class_weight="balanced", tol=1e-2, random_state=seed))
