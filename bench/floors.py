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

_TOKEN = re.compile(r"\w+")
_MATCHERS = {}                  # (patterns, prefilters) -> KeywordRules._matcher(): not part of the fitted model
MODALS = ("will", "would", "shall", "should", "must", "can", "could", "may", "might", "ought", "need",
          "not", "no", "never", "neither", "nor", "cannot", "without")


@lru_cache(maxsize=None)
def _compiled(source: str, flags: int = re.I) -> re.Pattern:
    return re.compile(source, flags)


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
        self.prefilters_ = {label: _prefilter(table.get(label, [])) for label in self.order_}
        return self

    def _matcher(self):
        """``(matches, keyed)``: ``matches(label, text, lowered, possible)`` says whether the label's cue regex
        matches ``text``; ``keyed(token)`` is the set of labels a lower-cased token is a key of.

        For an ASCII text (``possible`` is then the union of ``keyed`` over its
        lower-cased ``\\w+`` runs; None otherwise) two shortcuts give the regex's
        answer faster:

        - a cue can only match a text holding its key token (:func:`_prefilter`):
          when no token of the text is a key of the label, the regex cannot match;
        - an ASCII cue pattern matches case-insensitively exactly when its
          lower-cased pattern matches the lower-cased text, which ``re`` checks
          several times faster than ``re.IGNORECASE``.

        Other texts get the stored regex as is. A property-based test checks the
        labels equal those of the stored regexes alone.
        """
        filters = {label: f for label, f in (getattr(self, "prefilters_", None) or {}).items() if f is not None}
        by_exact, by_prefix = {}, {}
        for label, (exact, prefixes) in filters.items():
            for key in exact:
                by_exact.setdefault(key, set()).add(label)
            for key in prefixes:
                by_prefix.setdefault(key, set()).add(label)
        lengths = sorted({len(key) for key in by_prefix})
        memo = {}

        def keyed(token):
            labels = memo.get(token)
            if labels is None:
                labels = set(by_exact.get(token, ()))
                for n in lengths:
                    labels |= by_prefix.get(token[:n], set())
                labels = memo[token] = frozenset(labels)
            return labels

        patterns = {label: _compiled(source) for label, source in self.patterns_.items()}
        lowered = {label: _compiled(source.lower(), 0) for label, source in self.patterns_.items() if source.isascii()}

        def matches(label, text, low, possible):
            if possible is not None:
                if label in filters and label not in possible:
                    return False
                if label in lowered:
                    return lowered[label].search(low) is not None
            return patterns[label].search(text) is not None
        return matches, keyed

    def predict(self, X):
        key = (tuple(self.patterns_.items()), repr(getattr(self, "prefilters_", None)))
        if key not in _MATCHERS:            # one per process and fitted rule set, so its token memo is reused
            _MATCHERS[key] = self._matcher()
        matches, keyed = _MATCHERS[key]
        out = []
        for text in X:
            low = possible = None
            if text.isascii():
                low = text.lower()
                possible = frozenset().union(*map(keyed, set(_TOKEN.findall(low))))
            if self.task == "rhetoric":
                out.append(next((lab for lab in self.order_ if matches(lab, text, low, possible)), self.fallback_))
            else:
                out.append([int(matches(lab, text, low, possible)) for lab in self.order_])
        if self.task == "rhetoric":
            return np.array(out, dtype=object)
        return np.array(out, dtype=int).reshape(len(X), len(self.order_))


def _prefilter(phrases):
    """``[exact tokens, token prefixes]``, one of which an ASCII text must hold for a cue to match; or None.

    Every maximal run of word characters in a cue is a whole token of any ASCII
    text the cue's regex matches (it is bounded by whitespace, punctuation or
    ``\\b``), except the last run of a prefix cue (``"cooperat*"``), which starts a
    token. Each cue contributes its longest exact run (the most selective), or
    its prefix when it has no other run. None (always run the regex) when a cue
    is not ASCII or has no run at all.
    """
    exact, prefixes = set(), set()
    for phrase in phrases:
        body = phrase[:-1] if phrase.endswith("*") else phrase
        body = body.lower()
        runs = list(_TOKEN.finditer(body))
        if not runs or not phrase.isascii():
            return None
        last = runs[-1]
        prefix = last.group() if phrase.endswith("*") and last.end() == len(body) else None
        whole = [r.group() for r in runs if prefix is None or r is not last]
        if whole:
            exact.add(max(whole, key=lambda w: (len(w), w)))
        else:
            prefixes.add(prefix)
    return [sorted(exact), sorted(prefixes)]


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
