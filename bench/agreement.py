"""Inter-annotator agreement of the blind double annotation (every sentence of corpus v2).

Raw labels of both annotators live in ``corpora/annotations/`` so anyone can
recompute these figures (``make agreement``):

- RHETORIC: Krippendorff's alpha, nominal distance.
- DOMAIN: per-label alpha (nominal, on 0/1) and Cohen's kappa, plus a set-level
  alpha with the MASI distance (Passonneau 2006), which gives partial credit
  for overlapping label sets.
- RHETORIC per label: alpha on each label against the rest.
- Each annotator's macro-F1 against the adjudicated gold, the metric the
  leaderboard uses.

Alpha is computed from the coincidence of values within units (Krippendorff
2011), for any number of coders with missing values, and any distance.
"""

import json
from collections import Counter
from itertools import permutations

import numpy as np

from bench import paths
from bench.corpus import load_sentences
from bench.metrics import score
from bench.tasks import TASKS

ANNOTATORS = ("annotator_a", "annotator_b")


def nominal(a, b) -> float:
    return 0.0 if a == b else 1.0


def masi(a, b) -> float:
    """MASI distance between two label sets: 1 - Jaccard x monotonicity."""
    a, b = frozenset(a), frozenset(b)
    if a == b:
        return 0.0
    union = a | b
    jaccard = len(a & b) / len(union)
    if a <= b or b <= a:
        monotonicity = 2 / 3
    elif a & b:
        monotonicity = 1 / 3
    else:
        monotonicity = 0.0
    return 1.0 - jaccard * monotonicity


def krippendorff_alpha(units, distance=nominal) -> float:
    """Alpha for ``units``: a list of per-unit value lists (missing values omitted).

    Values must be hashable (use frozensets for label sets). Units with fewer
    than two values are not pairable and are ignored.
    """
    pairable = [list(u) for u in units if len(u) >= 2]
    n = sum(len(u) for u in pairable)
    if n < 2:
        raise ValueError("alpha needs at least one unit coded twice")
    observed = 0.0
    for unit in pairable:
        observed += sum(distance(a, b) for a, b in permutations(unit, 2)) / (len(unit) - 1)
    observed /= n
    counts = Counter(v for u in pairable for v in u)
    values = list(counts)
    expected = sum(counts[a] * counts[b] * distance(a, b) for a in values for b in values if a != b)
    expected /= n * (n - 1)
    if expected == 0:
        return 1.0
    return 1.0 - observed / expected


def _by_key(rows):
    return {(r["doc_id"], r["sent_id"]): r for r in rows}


def load_annotations(name: str, folder=None, *, labelled=True) -> dict:
    """A file of ``corpora/annotations/`` keyed by (doc_id, sent_id), validated like any corpus file.

    ``labelled=False`` reads the logs, whose labels are nested (adjudication) or per field (consistency pass).
    """
    path = (folder or paths.ANNOTATIONS) / f"{name}.jsonl"
    return _by_key(load_sentences(path, need_text=False, need_labels=labelled))


def _rhetoric_figures(a, b) -> dict:
    per_label = {}
    for label in TASKS["rhetoric"].labels:
        xs = [int(x["rhetoric"] == label) for x in a]
        ys = [int(y["rhetoric"] == label) for y in b]
        per_label[label] = {"alpha": krippendorff_alpha([[p, q] for p, q in zip(xs, ys)]),
                            "a_count": sum(xs), "b_count": sum(ys)}
    return {
        "alpha_nominal": krippendorff_alpha([[x["rhetoric"], y["rhetoric"]] for x, y in zip(a, b)]),
        "raw_agreement": float(np.mean([x["rhetoric"] == y["rhetoric"] for x, y in zip(a, b)])),
        "per_label": per_label,
        "confusions": [[pair[0], pair[1], n] for pair, n in Counter(
            tuple(sorted((x["rhetoric"], y["rhetoric"]))) for x, y in zip(a, b)
            if x["rhetoric"] != y["rhetoric"]).most_common(12)],
    }


def _domain_figures(a, b) -> dict:
    from sklearn.metrics import cohen_kappa_score

    per_label = {}
    for label in TASKS["domain"].labels:
        xs = [int(label in x["domains"]) for x in a]
        ys = [int(label in y["domains"]) for y in b]
        per_label[label] = {
            "alpha": krippendorff_alpha([[p, q] for p, q in zip(xs, ys)]),
            "kappa": float(cohen_kappa_score(xs, ys)) if len(set(xs) | set(ys)) > 1 else 1.0,
            "a_count": sum(xs), "b_count": sum(ys),
        }
    return {
        "alpha_masi": krippendorff_alpha([[frozenset(x["domains"]), frozenset(y["domains"])]
                                          for x, y in zip(a, b)], distance=masi),
        "exact_set_agreement": float(np.mean([set(x["domains"]) == set(y["domains"]) for x, y in zip(a, b)])),
        "per_label": per_label,
        "mean_label_alpha": float(np.mean([v["alpha"] for v in per_label.values()])),
    }


def compute(folder=None, gold_rows=None) -> dict:
    """All agreement figures from the committed raw annotations and gold.

    Every sentence of the constructed corpus and of the contrast set is labelled
    by both annotators; the figures are over all of them, and per corpus.
    """
    from bench.corpus import load_all

    folder = folder or paths.ANNOTATIONS
    raw = {name: load_annotations(name, folder) for name in ANNOTATORS}
    gold_rows = gold_rows if gold_rows is not None else load_all().sentences
    gold = _by_key(gold_rows)
    keys = [k for k in raw[ANNOTATORS[0]] if k in raw[ANNOTATORS[1]]]
    if not keys:
        raise ValueError(f"{folder}: the annotators share no sentence")
    a, b = ([raw[name][k] for k in keys] for name in ANNOTATORS)
    g = [gold[k] for k in keys]
    out = {"sentences": len(keys), "documents": len({k[0] for k in keys}),
           "rhetoric": _rhetoric_figures(a, b), "domain": _domain_figures(a, b)}
    provenance = _provenance_of(gold_rows)
    out["by_corpus"] = {}
    for name in sorted({provenance[k[0]] for k in keys}):
        idx = [i for i, k in enumerate(keys) if provenance[k[0]] == name]
        sub_a, sub_b = [a[i] for i in idx], [b[i] for i in idx]
        out["by_corpus"][name] = {"sentences": len(idx),
                                  "rhetoric_alpha": _rhetoric_figures(sub_a, sub_b)["alpha_nominal"],
                                  "domain_alpha_masi": _domain_figures(sub_a, sub_b)["alpha_masi"]}
    ceiling = {}
    for name, rows in zip(ANNOTATORS, (a, b)):
        ceiling[name] = {}
        for task in TASKS.values():
            gold_m = task.indicator([r[task.field] for r in g])
            pred_m = task.indicator([r[task.field] for r in rows])
            ceiling[name][task.name] = score(task, gold_m, pred_m)[task.headline]
    out["annotator_vs_gold_macro_f1"] = ceiling
    return out


def _provenance_of(gold_rows) -> dict:
    from bench.corpus import load_all

    docs = load_all().documents
    return {r["doc_id"]: docs[r["doc_id"]]["provenance"] if r["doc_id"] in docs else "other" for r in gold_rows}


def to_markdown(result: dict) -> str:
    r, d = result["rhetoric"], result["domain"]
    lines = ["# Inter-annotator agreement", "",
             "Written by `make agreement` from `corpora/annotations/` and the adjudicated gold; "
             "do not edit by hand. Who the annotators were: `corpora/annotations/ANNOTATORS.md`.", "",
             f"Double-annotated, blind: {result['documents']} documents (contrast groups count as documents), "
             f"{result['sentences']} sentences — every sentence of the constructed corpus and of the contrast set.", "",
             "| axis | measure | value |", "|---|---|---:|",
             f"| RHETORIC | Krippendorff's alpha (nominal) | {r['alpha_nominal']:.3f} |",
             f"| RHETORIC | raw agreement | {r['raw_agreement']:.3f} |",
             f"| DOMAIN | Krippendorff's alpha (MASI, label sets) | {d['alpha_masi']:.3f} |",
             f"| DOMAIN | mean per-label alpha (nominal, 0/1) | {d['mean_label_alpha']:.3f} |",
             f"| DOMAIN | exact set agreement | {d['exact_set_agreement']:.3f} |", "",
             "## By corpus", "", "| corpus | sentences | rhetoric alpha | domain alpha (MASI) |", "|---|---:|---:|---:|"]
    for name, v in result["by_corpus"].items():
        lines.append(f"| {name} | {v['sentences']} | {v['rhetoric_alpha']:.3f} | {v['domain_alpha_masi']:.3f} |")
    lines += ["", "## RHETORIC per label (alpha on label vs rest)", "", "| label | alpha | A | B |", "|---|---:|---:|---:|"]
    for label, v in r["per_label"].items():
        lines.append(f"| {label} | {v['alpha']:.3f} | {v['a_count']} | {v['b_count']} |")
    lines += ["", "## DOMAIN per label", "", "| label | alpha | Cohen's kappa | A | B |", "|---|---:|---:|---:|---:|"]
    for label, v in d["per_label"].items():
        lines.append(f"| {label} | {v['alpha']:.3f} | {v['kappa']:.3f} | {v['a_count']} | {v['b_count']} |")
    lines += ["", "## Each annotator's macro-F1 against the adjudicated gold", "",
              "Not a human ceiling: the annotators are language-model sessions (see ANNOTATORS.md), and the gold "
              "is made of their agreements plus the adjudicator's decisions, so these figures are biased upwards.", "",
              "| annotator | rhetoric | domain |", "|---|---:|---:|"]
    for name, v in result["annotator_vs_gold_macro_f1"].items():
        lines.append(f"| {name} | {v['rhetoric']:.3f} | {v['domain']:.3f} |")
    lines += ["", "## Most frequent RHETORIC disagreements", "", "| label | label | sentences |", "|---|---|---:|"]
    lines += [f"| {x} | {y} | {n} |" for x, y, n in r["confusions"]]
    return "\n".join(lines) + "\n"


def annotators_markdown(folder=None) -> str:
    """Who wrote, annotated and adjudicated each packet (from ``annotators.json``)."""
    folder = folder or paths.ANNOTATIONS
    record = json.loads((folder / "annotators.json").read_text(encoding="utf-8"))
    sizes = Counter(record["documents"].values())
    lines = ["# Who wrote and who labelled corpus v2", "",
             "Written by `make agreement` from `annotators.json`; do not edit by hand.", "",
             record["note"], "",
             "Every writer, annotator and adjudicator is a separate session, named here by its session id. "
             "No session labelled text it wrote; the two annotators of a packet and its adjudicator are three "
             "different sessions (`tests/test_corpus.py` checks both). All sessions are instances of the same "
             "language model, so the agreement figures measure how consistently that model applies the frozen "
             "codebook, not how far human coders would agree: read them as an upper bound.", "",
             "| packet | documents | writer | annotator A | annotator B | adjudicator |", "|---|---:|---|---|---|---|"]
    for name, roles in record["packets"].items():
        writer = roles["writer"]
        lines.append(f"| {name} | {sizes[name]} | {writer} ({record['sessions'][writer]}) | {roles['annotator_a']} | "
                     f"{roles['annotator_b']} | {roles['adjudicator']} |")
    lines += ["", f"Codebook: written by {record['sessions']['codebook_author']} before any text was labelled, "
              "frozen as version 2.0 (sha256 in every document's metadata)."]
    if record.get("flag_adjudicators"):
        lines += ["", record["flag_adjudicators"] + "."]
    return "\n".join(lines) + "\n"


def write(result: dict, folder=None):
    from bench.report import dump_json

    folder = folder or paths.ANNOTATIONS
    dump_json(folder / "agreement.json", result)
    (folder / "AGREEMENT.md").write_text(to_markdown(result), encoding="utf-8")
    (folder / "ANNOTATORS.md").write_text(annotators_markdown(folder), encoding="utf-8")
