"""Safe by construction: outputs never destroy data, artifacts never run code, readers verify.

Every destructive case is tried in a throw-away copy of the repository (with a
stand-in ``.git``), and the test checks that the command was refused with one
line, exit status 2, and that not one byte of the copy changed.
"""

import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

SENTINEL_NAME = "PLANTED_CODE_RAN"


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".pytest_cache" not in p.parts}


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    """A copy of the kit (sources, corpora, committed results) plus released models, to attack."""
    root = tmp_path_factory.mktemp("sandbox") / "kit"
    ignore = shutil.ignore_patterns(".venv", ".git", ".cache", "outputs", "trained", "__pycache__", ".pytest_cache")
    shutil.copytree(ROOT, root, ignore=ignore)
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "thesis").mkdir()
    (root / "thesis" / "chapter1.tex").write_text("years of work\n")
    run(root, "train", "--models", "tfidf_svm,keyword_rules")
    return root


def run(root, *args, env=None, input=None, check=True):
    result = subprocess.run([sys.executable, "-m", "bench", *map(str, args)], cwd=root, capture_output=True,
                            text=True, input=input, env={**os.environ, "PYTHONPATH": str(root), **(env or {})})
    if check and result.returncode != 0:
        raise AssertionError(result.stderr)
    return result


def refused(root, *args, needle, input=None):
    before = _snapshot(root)
    result = run(root, *args, input=input, check=False)
    assert result.returncode == 2, (args, result.stdout[-300:], result.stderr[-600:])
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and needle in last, last
    assert "Traceback" not in result.stderr
    assert _snapshot(root) == before, f"{args} changed the tree"
    return last


SEED = "corpora/seed/sentences.jsonl"


@pytest.mark.parametrize("args, needle", [
    (("eval", "--test", SEED, "--out", "."), "contains"),
    (("eval", "--test", SEED, "--out", ".."), "contains"),
    (("eval", "--test", SEED, "--out", "corpora"), "inside corpora/"),
    (("eval", "--test", SEED, "--out", "bench"), "inside bench/"),
    (("eval", "--test", SEED, "--out", "results"), "another kind of kit output"),
    (("eval", "--test", SEED, "--out", "thesis"), "did not create"),
    (("eval", "--test", SEED, "--out", "models"), "did not create"),
    (("score", "--pred", SEED, "--gold", SEED, "--out", "thesis"), "did not create"),
    (("score", "--pred", SEED, "--gold", SEED, "--name", "../../bench"), "NAME="),
    (("score", "--pred", SEED, "--gold", SEED, "--name", ".."), "NAME="),
    (("predict", SEED, "--out", SEED), "inside corpora/"),
    (("predict", SEED, "--out", "bench/cli.py"), "inside bench/"),
    (("predict", SEED, "--out", "models/tfidf_svm.py"), "model spec"),
    (("predict", SEED, "--out", "/dev/stdout"), "symbolic link"),
    (("predict", SEED, "--out", "/dev/null"), "device or special file"),
    (("predict", SEED, "--out", "thesis"), "is a folder"),
    (("predict", SEED, "--model", "../../x"), "not among the trained models"),
    (("predict", SEED, "--model", "/tmp/x"), "not among the trained models"),
    (("predict", SEED, "--model", "tfidf_sv"), "did you mean 'tfidf_svm'"),
])
def test_destructive_or_unsafe_requests_are_refused_and_change_nothing(sandbox, args, needle):
    refused(sandbox, *args, needle=needle)


def test_a_predictions_file_named_dotdot_jsonl_is_refused(sandbox, tmp_path):
    odd = tmp_path / "..jsonl"
    odd.write_text((sandbox / SEED).read_text())
    refused(sandbox, "score", "--pred", odd, "--gold", SEED, needle="predictions file name")


def test_predict_writes_to_stdout_with_dash_and_replaces_its_own_output(sandbox, tmp_path):
    out = run(sandbox, "predict", SEED, "--out", "-", "--model", "tfidf_svm")
    assert len(out.stdout.strip().splitlines()) == 12 and not (sandbox / "-").exists()
    target = tmp_path / "pred.jsonl"
    run(sandbox, "predict", SEED, "--out", target, "--model", "tfidf_svm")
    run(sandbox, "predict", SEED, "--out", target, "--model", "tfidf_svm")   # a regular file may be replaced
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert len(rows) == 12 and all("rhetoric_confidence" in r for r in rows)


class Planted:
    """A pickle payload that leaves a sentinel file behind if it is ever unpickled."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (Path(self.path), "ran"))


def _plant(path: Path, sentinel: Path):
    path.write_bytes(pickle.dumps(Planted(sentinel)))


def test_a_planted_pickle_never_runs_wherever_it_is_put(sandbox, tmp_path):
    sentinel = tmp_path / SENTINEL_NAME
    trained = sandbox / "models" / "trained"
    # 1. next to the released models, under a name the manifest does not list
    _plant(trained / "evil.rhetoric.joblib", sentinel)
    _plant(trained / "evil.rhetoric.skops", sentinel)
    refused(sandbox, "predict", SEED, "--model", "evil", needle="not among the trained models")
    # 2. in place of a listed artifact (the folder then fails verification)
    original = (trained / "tfidf_svm.rhetoric.skops").read_bytes()
    _plant(trained / "tfidf_svm.rhetoric.skops", sentinel)
    refused(sandbox, "predict", SEED, "--model", "tfidf_svm", needle="sha256")
    # ... even with the manifest rewritten to match: skops refuses to unpickle
    files = json.loads((trained / "FILES.sha256.json").read_text())
    files["tfidf_svm.rhetoric.skops"] = hashlib.sha256((trained / "tfidf_svm.rhetoric.skops").read_bytes()).hexdigest()
    (trained / "FILES.sha256.json").write_text(json.dumps(files))
    refused(sandbox, "predict", SEED, "--model", "tfidf_svm", needle="skops")
    (trained / "tfidf_svm.rhetoric.skops").write_bytes(original)
    files["tfidf_svm.rhetoric.skops"] = hashlib.sha256(original).hexdigest()
    (trained / "FILES.sha256.json").write_text(json.dumps(files))
    for name in ("evil.rhetoric.joblib", "evil.rhetoric.skops"):
        (trained / name).unlink()
    # 3. a results.json whose "best" names a path: only manifest names are loaded
    results = sandbox / "results" / "results.json"
    saved = results.read_text()
    data = json.loads(saved)
    data["tasks"]["rhetoric"]["comparison"]["best"] = str(tmp_path / "x")
    results.write_text(json.dumps(data))
    refused(sandbox, "predict", SEED, needle="sha256")          # results/ no longer verifies
    results.write_text(saved)
    assert not sentinel.exists()
    run(sandbox, "predict", SEED, "--model", "tfidf_svm")       # and all is well again


def test_train_with_models_keeps_the_other_released_models(sandbox):
    run(sandbox, "train", "--models", "tfidf_cnb")
    manifest = json.loads((sandbox / "models" / "trained" / "manifest.json").read_text())
    assert set(manifest["models"]) == {"tfidf_svm", "keyword_rules", "tfidf_cnb"}
    run(sandbox, "predict", SEED, "--model", "tfidf_svm")


def test_outputs_carry_the_marker_and_a_manifest_and_a_tampered_one_is_refused(sandbox, tmp_path):
    out = tmp_path / "scored"
    run(sandbox, "score", "--pred", SEED, "--gold", SEED, "--out", out)
    assert (out / ".readout-bench").is_file() and (out / "FILES.sha256.json").is_file()
    run(sandbox, "score", "--pred", SEED, "--gold", SEED, "--out", out)       # its own kind: replaced
    (sandbox / "results" / "leaderboard.md").write_text("tampered\n")
    refused(sandbox, "docs", needle="sha256")
    shutil.copy(ROOT / "results" / "leaderboard.md", sandbox / "results" / "leaderboard.md")
