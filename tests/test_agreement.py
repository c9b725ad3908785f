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


def test_double_annotation_covers_a_quarter_of_documents_in_every_genre():
    from bench.corpus import load_all

    corpus = load_all()
    sample = agreement.load_sample()
    assert sample["documents"] == agreement.sample_documents(corpus, sample["fraction"], sample["seed"])
    constructed = corpus.where(provenance="constructed")
    assert len(sample["documents"]) >= 0.25 * len(constructed.documents)
    genres = {constructed.documents[d]["genre"] for d in sample["documents"]}
    assert genres == {m["genre"] for m in constructed.documents.values()}
    for name in agreement.ANNOTATORS:
        rows = [json.loads(l) for l in (paths.ANNOTATIONS / f"{name}.jsonl").read_text().splitlines()]
        assert {r["doc_id"] for r in rows} == set(sample["documents"])


def test_agreement_meets_the_reliability_target():
    result = json.loads((paths.ANNOTATIONS / "agreement.json").read_text(encoding="utf-8"))
    assert result["rhetoric"]["alpha_nominal"] >= 0.667
    assert result["domain"]["alpha_masi"] >= 0.667


def test_gold_of_double_annotated_documents_is_agreement_or_logged_adjudication():
    from bench.corpus import load_all

    gold = {(s["doc_id"], s["sent_id"]): s for s in load_all().sentences}
    a, b = (agreement.load_annotations(name) for name in agreement.ANNOTATORS)
    log = agreement.load_annotations("adjudication", labelled=False)
    disagreements = {k for k in a if a[k]["rhetoric"] != b[k]["rhetoric"] or set(a[k]["domains"]) != set(b[k]["domains"])}
    assert set(log) == disagreements
    for key in a:
        expected = log[key]["gold"] if key in log else a[key]
        assert gold[key]["rhetoric"] == expected["rhetoric"], key
        assert set(gold[key]["domains"]) == set(expected["domains"]), key
        if key in log:
            assert log[key]["rule"], key


def test_consistency_pass_touched_only_single_annotated_documents_and_is_in_the_gold():
    from bench.corpus import load_all

    gold = {(s["doc_id"], s["sent_id"]): s for s in load_all().sentences}
    sample = set(agreement.load_sample()["documents"])
    changes = [json.loads(l) for l in (paths.ANNOTATIONS / "consistency_pass.jsonl").read_text().splitlines()]
    assert changes
    for change in changes:
        assert change["doc_id"] not in sample and change["rule"]
        current = gold[(change["doc_id"], change["sent_id"])][change["field"]]
        assert (set(current) == set(change["new"])) if change["field"] == "domains" else current == change["new"]
