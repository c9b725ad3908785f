"""fastText supervised, word bigrams, 50-d (optional extra)."""

from bench.comparators import FastTextClassifier

REQUIRES = ["fasttext"]
MULTILABEL = True   # trains one-vs-all itself (loss="ova") on the 0/1 domain matrix


def build(task, seed):
    return FastTextClassifier(epoch=30, lr=0.5, word_ngrams=2, dim=50, seed=seed)
