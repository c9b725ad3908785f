"""Paired statistics for comparing systems on the same sentences.

The resampling unit is the *document*: sentences of one readout share author,
topic and style, so resampling sentences would understate the variance. Every
routine works on per-document count tables (documents x labels x [tp, fp, fn])
from :func:`bench.metrics.label_counts`, which makes a resample a weighted sum
and thousands of resamples cheap.

- :func:`bootstrap`: percentile confidence intervals for each system's metric
  and for its difference from a reference system, with the *same* resampled
  documents for all systems (paired).
- :func:`permutation_test`: approximate randomisation; under the null the two
  systems' outputs on a document are exchangeable, so each document's pair is
  swapped with probability 1/2.
- :func:`mcnemar`: exact McNemar test on per-sentence correctness (accuracy).
- :func:`holm`: Holm-Bonferroni step-down adjustment across the comparisons.
"""

import numpy as np

from bench.metrics import macro_f1_from_counts


def document_tables(doc_ids, sentence_counts: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Sum per-sentence counts (n, labels, 3) into per-document tables, docs in first-seen order."""
    order = list(dict.fromkeys(doc_ids))
    index = {d: i for i, d in enumerate(order)}
    tables = np.zeros((len(order),) + sentence_counts.shape[1:], dtype=np.int64)
    np.add.at(tables, np.array([index[d] for d in doc_ids]), sentence_counts)
    return order, tables


def _resample_weights(n_docs: int, n_resamples: int, seed: int) -> np.ndarray:
    """How often each document is drawn in each bootstrap resample (multinomial counts)."""
    rng = np.random.default_rng(seed)
    return rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=n_resamples)


def bootstrap(tables: dict[str, np.ndarray], reference: str, *, metric=macro_f1_from_counts,
              n_resamples=1000, confidence=0.95, seed=0) -> dict[str, dict]:
    """Paired document bootstrap: each system's CI and the CI of (system - reference)."""
    n_docs = next(iter(tables.values())).shape[0]
    weights = _resample_weights(n_docs, n_resamples, seed)
    tail = (1 - confidence) / 2 * 100
    samples = {name: metric(np.einsum("bd,dlk->blk", weights, t)) for name, t in tables.items()}
    out = {}
    for name, values in samples.items():
        diff = values - samples[reference]
        out[name] = {
            "point": float(metric(tables[name].sum(0))),
            "ci": [float(np.percentile(values, tail)), float(np.percentile(values, 100 - tail))],
            "diff_from_reference": float(metric(tables[name].sum(0)) - metric(tables[reference].sum(0))),
            "diff_ci": [float(np.percentile(diff, tail)), float(np.percentile(diff, 100 - tail))],
        }
    return out


def permutation_test(table_a: np.ndarray, table_b: np.ndarray, *, metric=macro_f1_from_counts,
                     n_permutations=5000, seed=0) -> float:
    """Two-sided approximate-randomisation p-value for metric(a) - metric(b), swapping documents."""
    observed = abs(metric(table_a.sum(0)) - metric(table_b.sum(0)))
    rng = np.random.default_rng(seed)
    swap = rng.integers(0, 2, size=(n_permutations, table_a.shape[0]))
    a = np.einsum("rd,dlk->rlk", 1 - swap, table_a) + np.einsum("rd,dlk->rlk", swap, table_b)
    b = np.einsum("rd,dlk->rlk", swap, table_a) + np.einsum("rd,dlk->rlk", 1 - swap, table_b)
    permuted = np.abs(metric(a) - metric(b))
    # Add-one correction: the observed assignment is one of the permutations.
    return float((np.sum(permuted >= observed - 1e-12) + 1) / (n_permutations + 1))


def mcnemar(correct_a: np.ndarray, correct_b: np.ndarray) -> float:
    """Exact two-sided McNemar p-value from per-sentence correctness of two systems."""
    from scipy.stats import binomtest

    a_only = int(np.sum(correct_a & ~correct_b))
    b_only = int(np.sum(~correct_a & correct_b))
    if a_only + b_only == 0:
        return 1.0
    return float(binomtest(a_only, a_only + b_only, 0.5).pvalue)


def holm(pvalues: dict[str, float]) -> dict[str, float]:
    """Holm-Bonferroni adjusted p-values (monotone, capped at 1)."""
    ordered = sorted(pvalues.items(), key=lambda item: (item[1], item[0]))
    m, running, adjusted = len(ordered), 0.0, {}
    for rank, (name, p) in enumerate(ordered):
        running = max(running, min(1.0, (m - rank) * p))
        adjusted[name] = running
    return adjusted
