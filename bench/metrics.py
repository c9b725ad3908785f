"""Metrics for both tasks.

Headline metrics are computed from per-label true-positive / false-positive /
false-negative counts, which makes them additive over sentences and documents:
the bootstrap and permutation tests in :mod:`bench.stats` resample documents by
summing count tables instead of re-running scikit-learn millions of times.

Macro-F1 averages over the labels that occur in the gold *or* the predictions
of the scored set, which is scikit-learn's behaviour for multi-class
``f1_score(average="macro")``; applying the same rule to the multi-label task
keeps small evaluation sets (the seed readout) from being scored on labels that
neither side uses. ``tests/test_metrics.py`` checks these against scikit-learn.
"""

import numpy as np


def label_counts(gold: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """Per-sentence counts, shape (n, labels, 3): [tp, fp, fn] from 0/1 matrices."""
    gold, pred = gold.astype(bool), pred.astype(bool)
    return np.stack([gold & pred, pred & ~gold, gold & ~pred], axis=-1).astype(np.int32)


def macro_f1_from_counts(counts: np.ndarray) -> np.ndarray:
    """Macro-F1 from summed counts (..., labels, 3); leading axes are kept (resamples)."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    denom = 2 * tp + fp + fn
    used = denom > 0
    f1 = np.divide(2 * tp, denom, out=np.zeros(denom.shape, dtype=float), where=used)
    n_used = used.sum(axis=-1)
    return np.divide(f1.sum(axis=-1), n_used, out=np.zeros(n_used.shape, dtype=float), where=n_used > 0)


def micro_f1_from_counts(counts: np.ndarray) -> np.ndarray:
    tp, fp, fn = (counts[..., k].sum(axis=-1) for k in range(3))
    denom = 2 * tp + fp + fn
    return np.divide(2 * tp, denom, out=np.zeros(np.shape(denom), dtype=float), where=denom > 0)


def per_label_table(gold: np.ndarray, pred: np.ndarray, labels) -> dict:
    """Precision, recall, F1 and support for every label in schema order."""
    tp, fp, fn = label_counts(gold, pred).sum(axis=0).T
    table = {}
    for j, label in enumerate(labels):
        p = tp[j] / (tp[j] + fp[j]) if tp[j] + fp[j] else 0.0
        r = tp[j] / (tp[j] + fn[j]) if tp[j] + fn[j] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        table[label] = {"precision": p, "recall": r, "f1": f, "support": int(tp[j] + fn[j])}
    return table


def rhetoric_metrics(gold: np.ndarray, pred: np.ndarray, labels) -> dict:
    """Multi-class metrics from one-hot matrices: macro-F1 (headline), accuracy, weighted-F1, MCC."""
    from sklearn.metrics import matthews_corrcoef

    counts = label_counts(gold, pred).sum(axis=0)
    per_label = per_label_table(gold, pred, labels)
    support = np.array([per_label[label]["support"] for label in labels])
    f1s = np.array([per_label[label]["f1"] for label in labels])
    g, p = gold.argmax(axis=1), pred.argmax(axis=1)
    return {
        "macro_f1": float(macro_f1_from_counts(counts)),
        "accuracy": float((g == p).mean()),
        "weighted_f1": float((f1s * support).sum() / support.sum()),
        "mcc": float(matthews_corrcoef(g, p)),
        "per_label": per_label,
        "confusion": {"labels": list(labels),
                      "matrix": confusion_matrix(g, p, len(labels)).tolist()},
        "n": int(len(gold)),
    }


def domain_metrics(gold: np.ndarray, pred: np.ndarray, labels) -> dict:
    """Multi-label metrics: macro-F1 over labels (headline), micro-F1, samples-F1, Hamming loss, exact match."""
    counts = label_counts(gold, pred)
    tp, fp, fn = counts[..., 0].sum(1), counts[..., 1].sum(1), counts[..., 2].sum(1)
    denom = 2 * tp + fp + fn
    # A sentence with no gold and no predicted domain is a perfect match (F1 = 1).
    samples_f1 = np.where(denom > 0, np.divide(2 * tp, np.maximum(denom, 1)), 1.0)
    return {
        "macro_f1": float(macro_f1_from_counts(counts.sum(axis=0))),
        "micro_f1": float(micro_f1_from_counts(counts.sum(axis=0))),
        "samples_f1": float(samples_f1.mean()),
        "hamming_loss": float((gold != pred).mean()),
        "exact_match": float((gold == pred).all(axis=1).mean()),
        "per_label": per_label_table(gold, pred, labels),
        "n": int(len(gold)),
    }


def confusion_matrix(gold_ids: np.ndarray, pred_ids: np.ndarray, n_labels: int) -> np.ndarray:
    """Rows are gold labels, columns predictions (scikit-learn's convention)."""
    matrix = np.zeros((n_labels, n_labels), dtype=int)
    np.add.at(matrix, (gold_ids, pred_ids), 1)
    return matrix


def score(task, gold: np.ndarray, pred: np.ndarray) -> dict:
    """All metrics of ``task`` for 0/1 matrices of gold and predicted labels."""
    scorer = rhetoric_metrics if task.kind == "multiclass" else domain_metrics
    return scorer(gold, pred, task.labels)
