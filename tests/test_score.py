"""Scoring an outside system's predictions file."""

import json

import pytest


from conftest import ROOT, run_cli

pytestmark = pytest.mark.slow


def _test_gold():
    splits = json.loads((ROOT / "corpora" / "splits.json").read_text())
    test_docs = {d for d, p in splits["documents"].items() if p == "test"}
    rows = [json.loads(l) for l in (ROOT / "corpora" / "constructed" / "sentences.jsonl").read_text().splitlines()]
    return [r for r in rows if r["doc_id"] in test_docs]


def _committed_predictions(model):
    by_task = {}
    for task in ("rhetoric", "domain"):
        path = ROOT / "results" / "predictions" / "test" / f"{model}.{task}.jsonl"
        by_task[task] = {(r["doc_id"], r["sent_id"]): r["pred"] for r in map(json.loads, path.read_text().splitlines())}
    return by_task


@pytest.fixture()
def outside_system(tmp_path):
    """An 'outside' system: the committed tfidf_svm test predictions, rewritten in the corpus format."""
    preds = _committed_predictions("tfidf_svm")
    rows = [{"doc_id": g["doc_id"], "sent_id": g["sent_id"], "rhetoric": preds["rhetoric"][(g["doc_id"], g["sent_id"])],
             "domains": preds["domain"][(g["doc_id"], g["sent_id"])]} for g in _test_gold()]
    path = tmp_path / "llm_x.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path, rows


def test_outside_predictions_are_scored_beside_the_leaderboard(outside_system, tmp_path):
    path, _ = outside_system
    out = tmp_path / "scored"
    result = run_cli("score", "--pred", path, "--out", out)
    scored = json.loads((out / "results.json").read_text())
    committed = json.loads((ROOT / "results" / "results.json").read_text())
    for task in ("rhetoric", "domain"):
        ours = scored[task]["models"]["llm_x"]["macro_f1"]
        assert ours == pytest.approx(committed["tasks"][task]["models"]["tfidf_svm"]["test"]["macro_f1"], abs=1e-6)
        assert set(scored[task]["models"]) >= {"llm_x", "tfidf_svm", "dummy_prior"}
        # identical predictions to tfidf_svm: the paired test cannot separate them
        row = scored[task]["comparison"]["models"]
        if scored[task]["comparison"]["best"] not in ("llm_x", "tfidf_svm"):
            assert row["llm_x"]["p_vs_best"] == pytest.approx(row["tfidf_svm"]["p_vs_best"])
    assert "llm_x" in result.stdout


@pytest.mark.parametrize("damage, message", [
    ("drop", "no prediction for 1 gold sentence(s)"),
    ("unknown", "unknown rhetoric label 'threatening'"),
    ("repeat", "duplicate (doc_id, sent_id)"),
    ("extra", "which is not in the gold file"),
])
def test_bad_prediction_files_are_rejected_with_one_line(outside_system, tmp_path, damage, message):
    path, rows = outside_system
    rows = [dict(r) for r in rows]
    if damage == "drop":
        rows = rows[1:]
    elif damage == "unknown":
        rows[5]["rhetoric"] = "threatening"
    elif damage == "repeat":
        rows.append(rows[3])
    elif damage == "extra":
        rows.append({**rows[0], "doc_id": "nowhere"})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "scored"
    result = run_cli("score", "--pred", path, "--out", out, check=False)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {path}:") and message in line
    assert not out.exists()


def test_score_against_an_explicit_gold_file(tmp_path):
    gold = ROOT / "corpora" / "seed" / "sentences.jsonl"
    out = tmp_path / "seed"
    run_cli("score", "--pred", gold, "--gold", gold, "--name", "oracle", "--out", out)
    scored = json.loads((out / "results.json").read_text())
    assert scored["rhetoric"]["models"]["oracle"]["macro_f1"] == 1.0
    assert scored["domain"]["models"]["oracle"]["exact_match"] == 1.0


def test_a_rhetoric_only_system_is_scored_on_rhetoric_alone(outside_system, tmp_path):
    path, rows = outside_system
    path.write_text("".join(json.dumps({k: v for k, v in r.items() if k != "domains"}) + "\n" for r in rows))
    out = tmp_path / "scored"
    result = run_cli("score", "--pred", path, "--out", out)
    scored = json.loads((out / "results.json").read_text())
    assert set(scored) == {"rhetoric"} and "llm_x" in scored["rhetoric"]["models"]
    assert "scored on rhetoric only" in result.stderr


def test_score_writes_a_report_and_warns_when_the_data_is_too_small(tmp_path):
    gold = ROOT / "corpora" / "seed" / "sentences.jsonl"
    out = tmp_path / "seed"
    result = run_cli("score", "--pred", gold, "--gold", gold, "--name", "oracle", "--out", out)
    assert "warning: only 1 document(s)" in result.stderr
    assert f"report: {out / 'report' / 'report.html'}" in result.stderr
    html = (out / "report" / "report.html").read_text()
    assert "<table>" in html and "only 1 document(s)" in html
    assert (out / "report" / "errors" / "oracle.rhetoric.jsonl").read_text() == ""       # an oracle errs nowhere
