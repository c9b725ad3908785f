"""Floors and diagnostics built from the codebook's cue words (``corpora/cues.json``).

- :class:`KeywordRules` applies the cue words with the codebook's precedence and
  learns nothing: a trained model that cannot beat it has learned no more than
  the codebook's tables say.
- :func:`strip_act_words` removes the act words (rhetoric cues, modals,
  negation) from a sentence, so that a model fit on what is left can only use
  topic and genre; ``models/topic_only.py`` measures how far that goes.
"""

import json
import re
from functools import lru_cache

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from bench import paths
from bench.schema import load_schema

MODALS = ("will", "would", "shall", "should", "must", "can", "could", "may", "might", "ought", "need",
          "not", "no", "never", "neither", "nor", "cannot", "without")


@lru_cache(maxsize=None)
def _compiled(source: str) -> re.Pattern:
    return re.compile(source, re.I)


def _pattern_source(phrases) -> str:
    """One regex (as text) for a list of cue phrases; a trailing ``*`` is a prefix match.

    Fitted models keep the text, not a compiled pattern, so they save safely; :func:`_compiled` caches.
    """
    parts = []
    for phrase in sorted(set(phrases), key=lambda p: (-len(p), p)):   # longest first, then fixed order
        prefix = phrase.endswith("*")
        words = phrase.rstrip("*").split()
        body = r"\s+".join(re.escape(w) for w in words)
        parts.append(body + (r"\w*" if prefix else r"\b"))
    return r"\b(?:" + "|".join(parts) + ")" if parts else r"(?!x)x"


@lru_cache(maxsize=None)
def cues(path=None) -> dict:
    """The cue lists, checked against the schema: {"rhetoric": {label: [..]}, "domain": {label: [..]}}."""
    path = path or paths.CUES
    data = json.loads(path.read_text(encoding="utf-8"))
    schema = load_schema()
    for axis, labels in (("rhetoric", schema.rhetoric), ("domain", schema.domains)):
        unknown = set(data.get(axis, {})) - set(labels)
        if unknown:
            raise ValueError(f"{path}: unknown {axis} label(s) {sorted(unknown)}")
    return data


class KeywordRules(ClassifierMixin, BaseEstimator):
    """The codebook's cue words and precedence; ``fit`` only records the label set.

    Parameters
    ----------
    task : {"rhetoric", "domain"}
        Rhetoric: the highest-precedence label whose cues occur (``report`` when
        none does). Domain: every label whose cues occur (an indicator matrix).
    """

    def __init__(self, task="rhetoric"):
        self.task = task

    def fit(self, X, y=None):
        if self.task not in ("rhetoric", "domain"):
            raise ValueError(f"task must be 'rhetoric' or 'domain', got {self.task!r}")
        schema = load_schema()
        table = cues()["rhetoric" if self.task == "rhetoric" else "domain"]
        if self.task == "rhetoric":
            self.classes_ = np.array(sorted(schema.rhetoric), dtype=object)
            self.order_ = [label for label in schema.precedence if label != "report"]
            self.fallback_ = "report"
        else:
            self.classes_ = np.array(schema.domains, dtype=object)
            self.order_ = list(schema.domains)
        self.patterns_ = {label: _pattern_source(table.get(label, [])) for label in self.order_}
        return self

    def predict(self, X):
        if self.task == "rhetoric":
            out = []
            for text in X:
                label = next((lab for lab in self.order_ if _compiled(self.patterns_[lab]).search(text)),
                             self.fallback_)
                out.append(label)
            return np.array(out, dtype=object)
        return np.array([[int(bool(_compiled(self.patterns_[lab]).search(text))) for lab in self.order_] for text in X],
                        dtype=int).reshape(len(X), len(self.order_))


_TOKEN = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _act_words() -> tuple[frozenset, tuple]:
    """(exact words, prefixes): the words of the rhetoric cue phrases, plus modals and negation.

    Function words ("the", "of") and topic words (any word of a domain cue) stay: only the act goes.
    """
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    topic = {w.rstrip("*") for label_cues in cues()["domain"].values() for p in label_cues for w in p.lower().split()}
    words = {w for label_cues in cues()["rhetoric"].values() for p in label_cues for w in p.lower().split()
             if w.rstrip("*") not in ENGLISH_STOP_WORDS and w.rstrip("*") not in topic}
    exact = frozenset(w for w in words if not w.endswith("*")) | frozenset(MODALS)
    prefixes = tuple(sorted(w.rstrip("*") for w in words if w.endswith("*")))
    return exact, prefixes


def strip_act_words(text: str) -> str:
    """``text`` lower-cased with every act word removed (a module-level function, so models save safely)."""
    exact, prefixes = _act_words()
    return " ".join(t for t in _TOKEN.findall(text.lower()) if t not in exact and not t.startswith(prefixes))
