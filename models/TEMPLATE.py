"""One line describing your model: it becomes the leaderboard's description.

Copy this file to ``models/<your_name>.py`` (the file name is the model's
name), edit ``build``, then run ``make eval MODELS=<your_name>``: the model is
scored with exactly the splits, metrics and statistics of the baselines.

``build(task, seed)`` returns an unfitted estimator with ``fit(texts, y)`` and
``predict(texts)``; inputs are lists of sentence strings. ``task`` is
"rhetoric" (y: array of label ids) or "domain" (y: 0/1 matrix, one column per
domain). For "domain" the harness wraps your estimator in
``OneVsRestClassifier`` unless you set ``MULTILABEL = True``. Use ``seed`` for
every random choice. If the model needs an optional package, list its import
name in ``REQUIRES`` so that machines without it skip the model cleanly.
"""

from sklearn.linear_model import RidgeClassifier
from sklearn.pipeline import make_pipeline

from bench.features import word_tfidf

REQUIRES = []       # e.g. ["fasttext"]
MULTILABEL = False  # True if your estimator handles a 0/1 label matrix itself


def build(task, seed):
    return make_pipeline(word_tfidf(), RidgeClassifier(alpha=1.0, class_weight="balanced"))
