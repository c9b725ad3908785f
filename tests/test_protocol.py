"""End to end: `eval` is deterministic, reproduces the committed leaderboard, and takes plug-ins.

These run the real protocol (every baseline, both tasks, all folds) from an
empty cache, so they take minutes on two cores (marked slow).
"""

import filecmp
import json
import shutil

import pytest


from conftest import ROOT, run_cli

pytestmark = pytest.mark.slow
COMPARED = ["results.json", "leaderboard.md", "leaderboard.tex", "report/report.md"]


def _files(folder):
    return sorted(p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and p.name != "timings.json")


def _committed_models():
    """The models on the committed board (optional comparators installed here would add more)."""
    return sorted(json.loads((ROOT / "results" / "results.json").read_text())["models"])


@pytest.fixture(scope="module")
def two_cold_runs(tmp_path_factory):
    """Two evaluations of the committed board's models, each from its own empty cache."""
    runs = []
    for name in ("first", "second"):
        base = tmp_path_factory.mktemp(name)
        env = {"READOUT_BENCH_CACHE": str(base / "cache")}
        result = run_cli("eval", "--models", ",".join(_committed_models()), "--out", base / "results", env=env)
        runs.append((base / "results", result))
    return runs


def test_eval_twice_writes_byte_identical_results(two_cold_runs):
    (first, _), (second, _) = two_cold_runs
    assert _files(first) == _files(second)
    match, mismatch, errors = filecmp.cmpfiles(first, second, [str(p) for p in _files(first)], shallow=False)
    assert not mismatch and not errors
    assert (first / "timings.json").exists()


def test_fresh_eval_reproduces_the_committed_leaderboard(two_cold_runs):
    fresh, _ = two_cold_runs[0]
    committed = ROOT / "results"
    for name in COMPARED:
        assert (fresh / name).read_text(encoding="utf-8") == (committed / name).read_text(encoding="utf-8"), name


def test_results_hold_every_model_task_metric_and_statistic(two_cold_runs):
    fresh, run = two_cold_runs[0]
    assert "[bench]" in run.stderr and "jobs" in run.stderr        # progress is shown
    results = json.loads((fresh / "results.json").read_text())
    models = set(_committed_models())
    assert {"dummy_prior", "tfidf_logreg", "tfidf_svm", "tfidf_cnb", "char_svm", "word_char_svm",
            "keyword_rules", "topic_only"} <= models
    for task, headline_extra in (("rhetoric", "mcc"), ("domain", "hamming_loss")):
        block = results["tasks"][task]
        assert set(block["models"]) == models
        comparison = block["comparison"]
        best = comparison["best"]
        for name, entry in block["models"].items():
            assert {"test", "seed", "contrast", "ood", "cv", "learning_curve"} <= set(entry)
            assert set(entry["ood"]) == {"region", "genre"}
            assert headline_extra in entry["test"] and entry["test"]["per_label"]
            assert len(entry["cv"]["folds"]) == results["protocol"]["cv_folds"] * results["protocol"]["cv_repeats"]
            row = comparison["models"][name]
            assert row["ci"][0] <= row["point"] <= row["ci"][1]
            if name != best:
                assert row["p_holm"] >= row["p_vs_best"]
                assert row["diff_ci"][0] <= row["diff_from_reference"] <= row["diff_ci"][1]
        assert comparison["models"]["dummy_prior"]["distinguishable_from_best"] is True
        assert comparison["floor"] == "keyword_rules" and comparison["models"]["dummy_prior"]["above_floor"] is False
        assert comparison["models"][best]["above_floor"] in (True, False)
        assert block["models"][best]["test"]["macro_f1"] > block["models"]["dummy_prior"]["test"]["macro_f1"] + 0.3
    assert "accuracy_mcnemar_p_holm" in results["tasks"]["rhetoric"]["comparison"]["models"]["dummy_prior"]


def test_predictions_are_saved_per_sentence_for_test_and_every_fold(two_cold_runs):
    fresh, _ = two_cold_runs[0]
    rows = [json.loads(l) for l in (fresh / "predictions" / "test" / "tfidf_svm.domain.jsonl").read_text().splitlines()]
    assert {r["split"] for r in rows} == {"test", "seed", "contrast"}
    assert all({"doc_id", "sent_id", "pred", "gold", "scores"} <= set(r) for r in rows)
    folds = sorted((fresh / "predictions" / "cv").glob("tfidf_svm.rhetoric.*.jsonl"))
    assert len(folds) == 15


def test_report_has_plots_tables_and_error_lists(two_cold_runs):
    fresh, _ = two_cold_runs[0]
    report = fresh / "report"
    for png in ("confusion_rhetoric.png", "per_label_domain.png", "leaderboard_rhetoric.png", "learning_curve_domain.png"):
        assert (report / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (report / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 7 and "<table>" in html and 'name="viewport"' in html
    markdown = (report / "report.md").read_text()
    assert markdown.split("\n## ")[1].startswith("Leaderboard: rhetoric")       # the answer comes first
    for heading in ("Test macro-F1 by phenomena", "Test macro-F1 by genre", "Most indicative n-grams",
                    "Misclassified test sentences", "Confusion matrix", "Leaderboard: domain", "How to read"):
        assert heading in markdown
    assert "| n (docs) |" in markdown and "bootstrap over documents" in markdown      # slices carry n and CIs
    assert r"\toprule" in (fresh / "leaderboard.tex").read_text()


def test_a_plugin_model_is_scored_under_the_same_protocol(tmp_path):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    shutil.copy(ROOT / "models" / "TEMPLATE.py", plugins / "my_ridge.py")
    env = {"READOUT_BENCH_EXTRA_MODELS": str(plugins), "READOUT_BENCH_CACHE": str(tmp_path / "cache")}
    out = tmp_path / "out"
    run_cli("eval", "--models", "my_ridge,tfidf_svm", "--out", out, env=env)
    results = json.loads((out / "results.json").read_text())
    for task in ("rhetoric", "domain"):
        block = results["tasks"][task]
        assert set(block["models"]) == {"my_ridge", "tfidf_svm"}
        assert block["models"]["my_ridge"]["test"]["macro_f1"] > 0.5
        assert "p_holm" in block["comparison"]["models"]["my_ridge"]
    assert "my_ridge" in (out / "leaderboard.md").read_text()
    assert results["models"]["my_ridge"]["description"].startswith("One line describing your model")


def test_an_interrupted_run_resumes_from_the_cache(tmp_path):
    env = {"READOUT_BENCH_CACHE": str(tmp_path / "cache")}
    args = ("eval", "--models", "dummy_prior,tfidf_svm", "--out")
    first = run_cli(*args, tmp_path / "a", env=env)
    assert "84 jobs: 0 cached, 84 to run" in first.stderr
    finished = sorted((tmp_path / "cache").rglob("*.json"))
    for path in finished[::2]:                     # lose half the finished jobs, as a kill would
        path.unlink()
    finished[1].write_text("")                     # and leave one entry empty, as a crash mid-write would
    second = run_cli(*args, tmp_path / "b", env=env)
    lost = len(finished[::2]) + 1
    assert f"84 jobs: {84 - lost} cached, {lost} to run" in second.stderr
    assert (tmp_path / "a" / "results.json").read_bytes() == (tmp_path / "b" / "results.json").read_bytes()


@pytest.mark.parametrize("source, message", [
    ("def make():\n    pass\n", "model spec defines no build(task, seed) function"),
    ("class Banana:\n    def fit(self, texts, y):\n        return self\n\n"
     "    def predict(self, texts):\n        return ['banana'] * len(texts)\n\n\n"
     "def build(task, seed):\n    return Banana()\n", "model 'broken'"),
])
def test_a_broken_plugin_gets_a_one_line_error(tmp_path, source, message):
    """A spec without build, or a model whose output breaks the contract (here on both tasks)."""
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "broken.py").write_text('"""A broken model."""\n' + source)
    env = {"READOUT_BENCH_EXTRA_MODELS": str(plugins), "READOUT_BENCH_CACHE": str(tmp_path / "cache")}
    result = run_cli("eval", "--models", "broken", "--out", tmp_path / "out", "--jobs", "1", env=env, check=False)
    assert result.returncode == 2
    assert message in result.stderr.strip().splitlines()[-1]
    assert not (tmp_path / "out").exists()
