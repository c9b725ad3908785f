"""fastText supervised, word bigrams, 50-d, 50 epochs (optional extra)."""

from bench.comparators import FastTextClassifier

REQUIRES = ["fasttext"]
MULTILABEL = True   # trains one-vs-all itself (loss="ova") on the 0/1 domain matrix


def build(task, seed):
    # lr=1.0 and 50 epochs, and for domains a 0.3 threshold, were chosen on the dev split
    # (fit on train only); fastText's defaults underfit the ten one-vs-all outputs.
    return FastTextClassifier(epoch=50, lr=1.0, word_ngrams=2, dim=50,
                              threshold=0.3 if task == "domain" else 0.5, seed=seed)
