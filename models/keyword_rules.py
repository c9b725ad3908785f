"""Floor: the codebook's cue words with its precedence order, untrained (corpora/cues.json)."""

from bench.floors import KeywordRules

MULTILABEL = True   # predicts the domain indicator matrix itself


def build(task, seed):
    return KeywordRules(task=task)
