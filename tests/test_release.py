"""Released models: train writes safe artifacts + manifests; predict and eval --test use them."""

import hashlib
import json

import pytest

from bench import paths

from conftest import ROOT, run_cli

pytestmark = pytest.mark.slow

SEED_SENTENCES = ROOT / "corpora" / "seed" / "sentences.jsonl"


def test_train_writes_artifacts_and_a_complete_manifest(trained):
    folder = paths.Path(trained["READOUT_BENCH_ARTIFACTS"])
    manifest = json.loads((folder / "manifest.json").read_text())
    files = json.loads((folder / "FILES.sha256.json").read_text())
    assert {f for f in files if f.endswith(".skops")} == {f"{m}.{t}.skops" for m in ("tfidf_logreg", "tfidf_svm")
                                                         for t in ("rhetoric", "domain")}
    assert set(files) >= {"manifest.json", ".readout-bench"}
    for name, digest in files.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert not list(folder.glob("*.joblib")) and not list(folder.glob("*.pkl"))
    assert len(manifest["corpus_sha256"]) == 64 and manifest["seed"]
    assert manifest["versions"]["scikit-learn"]
    params = manifest["models"]["tfidf_logreg"]["hyperparameters"]["rhetoric"]
    assert params["logisticregression__C"] == 10.0 and params["tfidfvectorizer__ngram_range"] == "(1, 2)"


def _artifact_digests(folder):
    files = json.loads((paths.Path(folder) / "FILES.sha256.json").read_text())
    return {name: digest for name, digest in files.items() if name.endswith(".skops")}


def test_train_twice_gives_identical_artifacts_for_one_or_two_blas_threads(trained, tmp_path):
    """Byte-identical models whatever the core count: BLAS and OpenMP are pinned to one thread during fit."""
    first = _artifact_digests(trained["READOUT_BENCH_ARTIFACTS"])
    for threads in ("1", "2"):
        env = {"READOUT_BENCH_ARTIFACTS": str(tmp_path / threads), "OMP_NUM_THREADS": threads,
               "OPENBLAS_NUM_THREADS": threads, "MKL_NUM_THREADS": threads}
        run_cli("train", "--models", "tfidf_logreg,tfidf_svm", "--jobs", "1", env=env)
        assert _artifact_digests(tmp_path / threads) == first


def test_predict_raw_readout_segments_and_labels_every_sentence(trained):
    result = run_cli("predict", paths.SEED_RAW, "--model", "tfidf_svm", env=trained)
    blocks = [line for line in result.stdout.splitlines() if line[:3].strip().isdigit()]
    assert len(blocks) == 12
    labels = {line.split()[1] for line in blocks}
    assert labels <= {"report", "praise_goodwill", "solidarity", "call_appeal", "commitment", "criticism", "warning_threat"}


def test_predict_raw_readout_to_jsonl_has_doc_ids_and_confidences(trained, tmp_path):
    out = tmp_path / "seed.jsonl"
    run_cli("predict", paths.SEED_RAW, "--out", out, "--model", "tfidf_logreg", env=trained)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["sent_id"] for r in rows] == list(range(12))
    assert {r["doc_id"] for r in rows} == {paths.SEED_RAW.stem}
    assert all(0 < r["rhetoric_confidence"] <= 1 for r in rows)


def test_predict_reads_stdin(trained):
    text = "The two ministers signed an agreement on rail freight. They condemned the attack on the port."
    result = run_cli("predict", "-", "--model", "tfidf_logreg", env=trained, input=text)
    assert result.stdout.count("\n     ") == 2


def test_predict_jsonl_replaces_labels_and_keeps_extra_keys(trained, tmp_path):
    source = tmp_path / "in.jsonl"
    rows = [json.loads(l) for l in SEED_SENTENCES.read_text().splitlines()]
    rows = [{"doc_id": r["doc_id"], "sent_id": r["sent_id"], "text": r["text"], "speaker": "x",
             "rhetoric": "warning_threat", "domains": ["health_humanitarian"]} for r in rows]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out.jsonl"
    run_cli("predict", source, "--out", out, "--model", "tfidf_svm", env=trained)
    predicted = [json.loads(l) for l in out.read_text().splitlines()]
    assert [(p["doc_id"], p["sent_id"], p["speaker"]) for p in predicted] == [(r["doc_id"], r["sent_id"], "x") for r in rows]
    assert sum(p["rhetoric"] == "warning_threat" for p in predicted) < 12


def test_predict_defaults_to_the_leaderboards_best_model_per_task(tmp_path):
    results = json.loads((ROOT / "results" / "results.json").read_text())
    best = {task: results["tasks"][task]["comparison"]["best"] for task in ("rhetoric", "domain")}
    env = {"READOUT_BENCH_ARTIFACTS": str(tmp_path / "best")}
    run_cli("train", "--models", ",".join(sorted(set(best.values()))), env=env)
    result = run_cli("predict", "-", env=env, input="The ministers agreed to reopen the rail link.")
    assert result.stdout.startswith("  0  ")
    assert f"rhetoric: {best['rhetoric']}, domain: {best['domain']}" in result.stderr     # says which models
    # with only other models trained, the error names the missing default model and what is trained
    missing = {"READOUT_BENCH_ARTIFACTS": str(tmp_path / "other")}
    run_cli("train", "--models", "dummy_prior", env=missing)
    failed = run_cli("predict", "-", env=missing, input="The ministers met.", check=False)
    assert failed.returncode == 2
    [line] = failed.stderr.strip().splitlines()
    assert "was not trained" in line and "dummy_prior" in line


def test_eval_on_an_external_labelled_file(trained, tmp_path):
    out = tmp_path / "ext"
    result = run_cli("eval", "--test", SEED_SENTENCES, "--out", out, env=trained)
    assert "## rhetoric" in result.stdout and "tfidf_svm" in result.stdout
    # the seed readout is part of what the released models were trained on, and it is one document
    assert "12 of 12 sentences (100%) are in the data the released models were trained on" in result.stderr
    assert "warning: only 1 document(s)" in result.stderr
    assert (out / "report" / "report.html").exists()
    scored = json.loads((out / "results.json").read_text())
    assert set(scored["rhetoric"]["models"]) == {"tfidf_logreg", "tfidf_svm"}
    assert scored["domain"]["models"]["tfidf_svm"]["n"] == 12
