"""Union of word 1-2-gram and character 2-4-gram TF-IDF + linear SVM (balanced)."""

from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from bench.features import word_char_union


def build(task, seed):
    return make_pipeline(word_char_union(), LinearSVC(C=0.5, class_weight="balanced", tol=1e-2, random_state=seed))
