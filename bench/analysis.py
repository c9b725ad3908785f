"""Error analysis: indicative n-grams, misclassified sentences, scores by slice."""

from collections import defaultdict

import numpy as np

from bench.metrics import label_counts, score
from bench.protocol import PROTOCOL
from bench.stats import bootstrap, document_tables


def indicative_ngrams(estimator, task, k=8) -> dict | None:
    """The k features with the largest positive weight per label, for linear text pipelines."""
    steps = getattr(estimator, "steps", None)
    if not steps or not hasattr(steps[0][1], "get_feature_names_out"):
        return None
    names = steps[0][1].get_feature_names_out()
    final = steps[-1][1]
    if hasattr(final, "estimators_"):          # one-vs-rest: one binary model per label
        rows = [getattr(sub, "coef_", None) for sub in final.estimators_]
        labels = task.labels
    else:
        rows = [getattr(final, "coef_", None)]
        labels = [str(c) for c in final.classes_]
    if any(r is None for r in rows):
        return None
    coef = np.vstack([np.asarray(r.todense() if hasattr(r, "todense") else r) for r in rows])
    return {label: [str(names[i]) for i in np.argsort(-coef[row], kind="stable")[:k]]
            for row, label in enumerate(labels)}


def by_slice(task, records, sentences_by_key, documents, key) -> dict:
    """Headline metric per value of ``key`` ("genre" or a phenomenon), on the records given."""
    groups = defaultdict(list)
    for r in records:
        s = sentences_by_key[(r["doc_id"], r["sent_id"])]
        if key == "phenomena":
            values = s.get("phenomena") or ["(none)"]
        else:
            values = [documents[r["doc_id"]][key]]
        for value in values:
            groups[value].append(r)
    table = {}
    for value, rows in sorted(groups.items()):
        gold = task.indicator([r["gold"] for r in rows])
        pred = task.indicator([r["pred"] for r in rows])
        metrics = score(task, gold, pred)
        _, counts = document_tables([r["doc_id"] for r in rows], label_counts(gold, pred))
        ci = bootstrap({"m": counts}, "m", n_resamples=PROTOCOL.bootstrap_resamples,
                       confidence=PROTOCOL.confidence, seed=PROTOCOL.seed)["m"]["ci"]
        table[value] = {"n": len(rows), "documents": int(counts.shape[0]), task.headline: metrics[task.headline],
                        "ci": ci, "accuracy" if task.kind == "multiclass" else "exact_match":
                        metrics["accuracy" if task.kind == "multiclass" else "exact_match"]}
    return table


def misclassified(task, records, sentences_by_key) -> list[dict]:
    """Test sentences the model got wrong, with gold and predicted labels."""
    wrong = []
    for r in records:
        gold, pred = r["gold"], r["pred"]
        if (gold != pred) if task.kind == "multiclass" else (sorted(gold) != sorted(pred)):
            s = sentences_by_key[(r["doc_id"], r["sent_id"])]
            wrong.append({"doc_id": r["doc_id"], "sent_id": r["sent_id"], "text": s["text"],
                          "gold": gold, "pred": pred, "phenomena": s.get("phenomena", [])})
    return wrong
