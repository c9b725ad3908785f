"""The evaluation protocol: every number that decides splits, folds and statistics.

Kept as one frozen record so that it can be written into the results and
the splits file, and so that changing any value changes the cache key.
"""

import json
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Protocol:
    seed: int = 20261127
    test_fraction: float = 0.2          # of constructed documents
    dev_fraction: float = 0.1
    split_candidates: int = 400         # random genre-stratified draws; the best-balanced one is kept
    cv_folds: int = 5
    cv_repeats: int = 3                 # each repeat reshuffles documents with seed + repeat
    # Out-of-distribution runs: train without these documents, test on them.
    ood_holdouts: tuple = (("region", "americas"), ("genre", "press_briefing"))
    learning_curve: tuple = (0.1, 0.25, 0.5)   # fractions of training documents; 1.0 is the test run
    bootstrap_resamples: int = 1000
    permutations: int = 5000
    confidence: float = 0.95
    significance: float = 0.05          # Holm-adjusted threshold for "distinguishable from the best"

    def as_dict(self) -> dict:
        return json.loads(json.dumps(asdict(self)))   # tuples become lists, as in the JSON files


PROTOCOL = Protocol()
