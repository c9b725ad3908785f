"""The rule floor's shortcuts (token keys, lower-cased patterns) give exactly the labels of its stored regexes."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.corpus import load_all
from bench.floors import KeywordRules, _compiled, _prefilter, cues


def _regex_only(model, texts):
    """The labels of the stored case-insensitive regexes, with no shortcut."""
    hit = lambda label, text: _compiled(model.patterns_[label]).search(text) is not None  # noqa: E731
    if model.task == "rhetoric":
        return np.array([next((lab for lab in model.order_ if hit(lab, t)), model.fallback_) for t in texts], dtype=object)
    return np.array([[int(hit(lab, t)) for lab in model.order_] for t in texts], dtype=int).reshape(len(texts), -1)


@pytest.fixture(scope="module")
def fitted():
    return {task: KeywordRules(task).fit(["x"]) for task in ("rhetoric", "domain")}


def test_the_corpus_gets_the_labels_of_the_regexes_alone(fitted):
    texts = [s["text"] for s in load_all().sentences][::7]
    for model in fitted.values():
        assert np.array_equal(model.predict(texts), _regex_only(model, texts))


CUE_WORDS = sorted({w for axis in ("rhetoric", "domain") for phrases in cues()[axis].values() for p in phrases
                    for w in re.split(r"(\s+)", p.rstrip("*"))} - {""})
PIECES = st.one_of(st.sampled_from(CUE_WORDS), st.sampled_from(CUE_WORDS).map(str.upper),
                   st.sampled_from(CUE_WORDS).map(str.title), st.sampled_from([" ", "  ", "\t", "\n", "-", ".", ",",
                   "'", "_", "s", "ing", "ed", "ation", "\u017f", "\u212a", "\u0130", "é", "x"]), st.text(max_size=3))


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(PIECES, max_size=14))
def test_any_text_gets_the_labels_of_the_regexes_alone(fitted, pieces):
    text = "".join(pieces)
    for model in fitted.values():
        assert np.array_equal(model.predict([text]), _regex_only(model, [text]))


@pytest.mark.parametrize("phrases, keys", [
    (["agree*"], [[], ["agree"]]),
    (["the two sides agreed"], [["agreed"], []]),
    (["like-minded", "non-prolif*"], [["minded", "non"], []]),
    (["Cooperat*", "trade"], [["trade"], ["cooperat"]]),
    (["café"], None),
    (["--"], None),
])
def test_each_cue_contributes_its_most_selective_token(phrases, keys):
    assert _prefilter(phrases) == keys
