"""Majority/prior dummy: the floor every real model must beat."""

from sklearn.dummy import DummyClassifier


def build(task, seed):
    # "prior" predicts the most frequent class (per label for the domain task).
    return DummyClassifier(strategy="prior")
