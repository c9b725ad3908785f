"""Agreement statistics: a published example, MASI, and the committed figures."""

import json

import pytest

from bench import agreement, paths


def test_krippendorff_nominal_matches_published_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", 4 coders x 12 units,
    # nominal alpha = 0.743 (missing values omitted from each unit).
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
        [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
    ]
    units = [[c[u] for c in coders if c[u] is not None] for u in range(12)]
    assert agreement.krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)


def test_alpha_is_one_for_perfect_and_near_zero_for_chance():
    assert agreement.krippendorff_alpha([["a", "a"], ["b", "b"], ["c", "c"]]) == 1.0
    import numpy as np

    rng = np.random.default_rng(0)
    units = [list(rng.choice(["a", "b", "c"], size=2)) for _ in range(3000)]
    assert abs(agreement.krippendorff_alpha(units)) < 0.05


def test_masi_distance():
    assert agreement.masi({"a"}, {"a"}) == 0.0
    assert agreement.masi(set(), set()) == 0.0
    assert agreement.masi({"a"}, {"b"}) == 1.0
    assert agreement.masi({"a"}, {"a", "b"}) == pytest.approx(1 - 0.5 * 2 / 3)
    assert agreement.masi({"a", "c"}, {"a", "b"}) == pytest.approx(1 - (1 / 3) * (1 / 3))


def test_agreement_command_reproduces_committed_figures():
    result = agreement.compute()
    committed = json.loads((paths.ANNOTATIONS / "agreement.json").read_text(encoding="utf-8"))
    from bench.report import rounded

    assert json.loads(json.dumps(rounded(result))) == committed
    assert (paths.ANNOTATIONS / "AGREEMENT.md").read_text(encoding="utf-8") == agreement.to_markdown(result)


def test_every_sentence_is_double_annotated_blind_and_meets_the_agreement_target():
    """Corpus v2: both annotators labelled every constructed and contrast sentence; alpha >= 0.80 per axis."""
    from bench.corpus import load_all

    corpus = load_all()
    labelled = {(s["doc_id"], s["sent_id"]) for s in corpus.sentences if corpus.documents[s["doc_id"]]["provenance"]
                in ("constructed", "contrast")}
    for name in agreement.ANNOTATORS:
        assert set(agreement.load_annotations(name)) == labelled
    result = agreement.compute()
    assert result["rhetoric"]["alpha_nominal"] >= 0.80 and result["domain"]["alpha_masi"] >= 0.80
    assert (paths.ANNOTATIONS / "ANNOTATORS.md").read_text(encoding="utf-8") == agreement.annotators_markdown()
