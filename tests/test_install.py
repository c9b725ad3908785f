"""`pip install .` gives a working `readout-bench` command, from any directory, with no stray build/ folder.

The new virtual environment borrows the already installed dependencies (a .pth
file pointing at this interpreter's site-packages) and installs the kit itself
with ``pip install --no-deps .``, so the test only fetches the build backend (setuptools) and checks what
the wheel carries: the package, and the corpora, model specs and committed
results under ``<prefix>/share/readout-bench``.
"""

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow


def test_pip_install_then_the_command_works_from_another_directory(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = next((venv / "lib").glob("python3*/site-packages"))
    (site / "_readout_bench_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = venv / "bin" / "python"
    source = tmp_path / "source"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(source)], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--disable-pip-version-check", str(source)], check=True, cwd=tmp_path)
    assert not (source / "build").exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    command = venv / "bin" / "readout-bench"
    help_text = subprocess.run([command, "--help"], capture_output=True, text=True, check=True, cwd=elsewhere).stdout
    assert help_text.startswith("usage: readout-bench")
    result = subprocess.run([command, "eval", "--models", "dummy_prior,keyword_rules", "--out", elsewhere / "board"],
                            capture_output=True, text=True, cwd=elsewhere)
    assert result.returncode == 0, result.stderr[-800:]
    assert (elsewhere / "board" / "leaderboard.md").read_text().count("keyword_rules") >= 2
    validate = subprocess.run([command, "validate"], capture_output=True, text=True, cwd=elsewhere, check=True)
    assert "all corpora:" in validate.stdout
    # the committed results travel with the kit and verify: an outside system is ranked against them
    export = subprocess.run([command, "export", "--out", elsewhere / "export"], capture_output=True, text=True,
                            cwd=elsewhere, check=True)
    assert "without labels" in export.stdout
    import json

    rows = [json.loads(line) for line in (elsewhere / "export" / "sentences.jsonl").read_text().splitlines()]
    (elsewhere / "pred.jsonl").write_text("".join(json.dumps({"doc_id": r["doc_id"], "sent_id": r["sent_id"],
                                                              "rhetoric": "report"}) + "\n" for r in rows))
    scored = subprocess.run([command, "score", "--pred", elsewhere / "pred.jsonl", "--out", elsewhere / "scored"],
                            capture_output=True, text=True, cwd=elsewhere)
    assert scored.returncode == 0, scored.stderr[-800:]
    assert "word_char_svm" in (elsewhere / "scored" / "leaderboard.md").read_text()
    home = Path(subprocess.run([python, "-c", "from bench import paths; print(paths.ROOT)"], capture_output=True,
                               text=True, check=True, cwd=elsewhere).stdout.strip())
    assert home == venv / "share" / "readout-bench"
