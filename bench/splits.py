"""Fixed document-level splits and grouped cross-validation folds.

No document is ever in two parts: every split is an assignment of *documents*.
The seed readout is its own part (``seed``) and so is the contrast set
(``contrast``); neither ever trains a benchmark model.
Constructed documents are drawn into train/dev/test within each genre (so every
genre is in every part), and of ``split_candidates`` seeded draws the one whose
label proportions in dev and test are closest to the whole corpus is kept.
Cross-validation folds over train+dev come from scikit-learn's
``StratifiedGroupKFold`` (stratified on rhetoric, grouped by document) and are
written into ``corpora/splits.json`` too, so that they stay fixed even if a
library changes its shuffling.
"""

import json

import numpy as np

from bench import paths
from bench.protocol import PROTOCOL
from bench.tasks import TASKS

PARTS = ("train", "dev", "test")
HELD_OUT = ("seed", "contrast")      # provenances that are their own part, never trained on


def _label_profile(corpus, doc_ids) -> np.ndarray:
    """Label counts per document: rhetoric one-hot sums, then domain sums."""
    rows = [np.concatenate([TASKS["rhetoric"].indicator([s["rhetoric"] for s in sents]).sum(0),
                            TASKS["domain"].indicator([s["domains"] for s in sents]).sum(0)])
            for sents in (corpus.sentences_of([d]) for d in doc_ids)]
    return np.array(rows, dtype=float)


def _imbalance(profile, assignment) -> float:
    """Largest L1 gap between a part's label distribution and the whole's."""
    whole = profile.sum(0) / profile.sum()
    gaps = []
    for part in (1, 2):
        counts = profile[assignment == part].sum(0)
        gaps.append(np.abs(counts / counts.sum() - whole).sum())
    return max(gaps)


def assign_documents(corpus, protocol=PROTOCOL) -> dict[str, str]:
    """doc_id -> train/dev/test/seed, balanced on labels within genres."""
    pool = [d for d in corpus.doc_ids if corpus.documents[d]["provenance"] not in HELD_OUT]
    genres = sorted({corpus.documents[d]["genre"] for d in pool})
    profile = _label_profile(corpus, pool)
    index = {d: i for i, d in enumerate(pool)}
    rng = np.random.default_rng(protocol.seed)
    by_genre = {genre: [] for genre in genres}       # built once: each draw is linear in the pool
    for d in pool:
        by_genre[corpus.documents[d]["genre"]].append(index[d])
    by_genre = {genre: np.array(members) for genre, members in by_genre.items()}
    best, best_score = None, np.inf
    for _ in range(protocol.split_candidates):
        assignment = np.zeros(len(pool), dtype=int)   # 0 train, 1 dev, 2 test
        for genre in genres:
            members = by_genre[genre]
            members = members[rng.permutation(len(members))]
            n_test = int(round(protocol.test_fraction * len(members)))
            n_dev = int(round(protocol.dev_fraction * len(members)))
            assignment[members[:n_test]] = 2
            assignment[members[n_test:n_test + n_dev]] = 1
        score = _imbalance(profile, assignment)
        if score < best_score:
            best, best_score = assignment, score
    parts = {d: PARTS[best[index[d]]] for d in pool}
    parts.update({d: corpus.documents[d]["provenance"] for d in corpus.doc_ids
                  if corpus.documents[d]["provenance"] in HELD_OUT})
    return dict(sorted(parts.items()))


def cv_folds(corpus, train_docs, protocol=PROTOCOL) -> list[dict[str, int]]:
    """One doc_id -> fold map per repeat, grouped by document and stratified on rhetoric."""
    from sklearn.model_selection import StratifiedGroupKFold

    members = corpus.sentences_of(train_docs)
    y = [s["rhetoric"] for s in members]
    groups = [s["doc_id"] for s in members]
    repeats = []
    for repeat in range(protocol.cv_repeats):
        splitter = StratifiedGroupKFold(n_splits=protocol.cv_folds, shuffle=True,
                                        random_state=protocol.seed + repeat)
        fold_of = {}
        for fold, (_, held_out) in enumerate(splitter.split(np.zeros(len(y)), y, groups)):
            fold_of.update({groups[i]: fold for i in held_out})
        repeats.append(dict(sorted(fold_of.items())))
    return repeats


def build_splits(corpus, protocol=PROTOCOL) -> dict:
    """The full committed split record for ``corpus``."""
    parts = assign_documents(corpus, protocol)
    pool = [d for d, p in parts.items() if p in ("train", "dev")]
    if len(pool) < protocol.cv_folds:
        raise ValueError(f"only {len(pool)} training documents: too few for {protocol.cv_folds}-fold cross-validation")
    return {
        "protocol": {k: protocol.as_dict()[k] for k in
                     ("seed", "test_fraction", "dev_fraction", "split_candidates", "cv_folds", "cv_repeats",
                      "ood_holdouts")},
        "corpus_sha256": corpus.sha256(),
        "documents": parts,
        "ood": [{"name": f"held-out {key}: {value}", "key": key, "value": value,
                 "documents": sorted(d for d in parts if parts[d] not in HELD_OUT
                                     and corpus.documents[d].get(key) == value)}
                for key, value in protocol.ood_holdouts],
        "cv": cv_folds(corpus, pool, protocol),
    }


def write_splits(record, path=None):
    path = path or paths.splits_path()
    path.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_splits(path=None) -> dict:
    return json.loads((path or paths.splits_path()).read_text(encoding="utf-8"))
