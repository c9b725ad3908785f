"""Count-based metrics agree with scikit-learn's on random and real-shaped data."""

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score, hamming_loss, matthews_corrcoef

from bench.metrics import domain_metrics, rhetoric_metrics
from bench.tasks import TASKS


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rhetoric_metrics_match_sklearn(seed):
    rng = np.random.default_rng(seed)
    labels = TASKS["rhetoric"].labels
    gold = rng.choice(labels[:6], size=300)          # one label never occurs in gold
    pred = np.where(rng.random(300) < 0.7, gold, rng.choice(labels, size=300))
    m = rhetoric_metrics(TASKS["rhetoric"].indicator(gold), TASKS["rhetoric"].indicator(pred), labels)
    assert m["macro_f1"] == pytest.approx(f1_score(gold, pred, average="macro", zero_division=0))
    assert m["weighted_f1"] == pytest.approx(f1_score(gold, pred, average="weighted", labels=list(labels), zero_division=0))
    assert m["accuracy"] == pytest.approx(accuracy_score(gold, pred))
    assert m["mcc"] == pytest.approx(matthews_corrcoef(gold, pred))
    assert np.array(m["confusion"]["matrix"]).sum() == 300


@pytest.mark.parametrize("seed", [0, 1])
def test_domain_metrics_match_sklearn(seed):
    rng = np.random.default_rng(seed)
    gold = (rng.random((200, 10)) < 0.2).astype(int)
    gold[:, 9] = 0                                     # a label nobody uses is left out of the macro average
    pred = np.where(rng.random((200, 10)) < 0.85, gold, 1 - gold)
    pred[:, 9] = 0
    m = domain_metrics(gold, pred, TASKS["domain"].labels)
    assert m["macro_f1"] == pytest.approx(f1_score(gold[:, :9], pred[:, :9], average="macro", zero_division=0))
    assert m["micro_f1"] == pytest.approx(f1_score(gold, pred, average="micro"))
    assert m["samples_f1"] == pytest.approx(f1_score(gold, pred, average="samples", zero_division=1.0))
    assert m["hamming_loss"] == pytest.approx(hamming_loss(gold, pred))
    assert m["exact_match"] == pytest.approx(accuracy_score(gold, pred))


def test_perfect_and_empty_predictions():
    task = TASKS["domain"]
    gold = task.indicator([["security"], [], ["trade_economy", "security"]])
    assert domain_metrics(gold, gold, task.labels)["macro_f1"] == 1.0
    empty = domain_metrics(gold, np.zeros_like(gold), task.labels)
    assert empty["macro_f1"] == 0.0 and empty["samples_f1"] == pytest.approx(1 / 3)
