"""The statistics behave as they must on known cases."""

import numpy as np
import pytest

from bench.metrics import label_counts
from bench.stats import bootstrap, document_tables, holm, mcnemar, permutation_test
from bench.tasks import TASKS

TASK = TASKS["rhetoric"]


def _tables(gold, pred, docs):
    return document_tables(docs, label_counts(TASK.indicator(gold), TASK.indicator(pred)))[1]


@pytest.fixture(scope="module")
def systems():
    rng = np.random.default_rng(42)
    n, labels = 600, TASK.labels
    docs = [f"d{i // 10}" for i in range(n)]
    gold = rng.choice(labels, size=n)
    good = np.where(rng.random(n) < 0.9, gold, rng.choice(labels, size=n))
    bad = np.where(rng.random(n) < 0.5, gold, rng.choice(labels, size=n))
    return docs, gold, good, bad


def test_identical_systems_give_p_one_and_zero_width_difference(systems):
    docs, gold, good, _ = systems
    table = _tables(gold, good, docs)
    ci = bootstrap({"a": table, "b": table.copy()}, "a", n_resamples=500, seed=1)
    assert ci["b"]["diff_ci"] == [0.0, 0.0]
    assert ci["b"]["diff_from_reference"] == 0.0
    assert permutation_test(table, table.copy(), n_permutations=500, seed=1) == 1.0
    assert mcnemar(gold == good, gold == good) == 1.0


def test_clearly_better_system_is_significant_and_ci_excludes_zero(systems):
    docs, gold, good, bad = systems
    a, b = _tables(gold, good, docs), _tables(gold, bad, docs)
    ci = bootstrap({"good": a, "bad": b}, "good", n_resamples=1000, seed=3)
    assert ci["bad"]["diff_ci"][1] < 0
    lo, hi = ci["good"]["ci"]
    assert lo < ci["good"]["point"] < hi
    assert permutation_test(a, b, n_permutations=1000, seed=3) < 0.01
    assert mcnemar(gold == good, gold == bad) < 1e-6


def test_bootstrap_is_deterministic_for_a_seed(systems):
    docs, gold, good, bad = systems
    tables = {"good": _tables(gold, good, docs), "bad": _tables(gold, bad, docs)}
    assert bootstrap(tables, "good", n_resamples=200, seed=9) == bootstrap(tables, "good", n_resamples=200, seed=9)


def test_small_differences_are_not_significant(systems):
    docs, gold, good, _ = systems
    rng = np.random.default_rng(5)
    flipped = good.copy()
    idx = rng.choice(len(good), size=3, replace=False)
    flipped[idx] = gold[idx]
    p = permutation_test(_tables(gold, good, docs), _tables(gold, flipped, docs), n_permutations=2000, seed=2)
    assert p > 0.2


def test_holm_matches_hand_computation():
    adjusted = holm({"a": 0.01, "b": 0.04, "c": 0.03})
    assert adjusted == pytest.approx({"a": 0.03, "c": 0.06, "b": 0.06})
    assert holm({"a": 0.6, "b": 0.9}) == pytest.approx({"a": 1.0, "b": 1.0})


def test_mcnemar_exact_binomial():
    a = np.array([True] * 10 + [False] * 0 + [True] * 5)
    b = np.array([False] * 10 + [False] * 0 + [True] * 5)
    assert mcnemar(a, b) == pytest.approx(2 * 0.5 ** 10)
