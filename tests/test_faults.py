"""Fault injection: `train`, `eval` and `predict` killed at 51 seeded random moments (17 each).

Each command runs in a throw-away copy of the kit and is interrupted with
SIGINT or SIGKILL after a random delay within its normal running time. After
every kill the test checks that nothing committed changed, that the output is
either absent, the previous complete version, or the new complete version (a
published folder always verifies), that no worker process outlives its parent,
and that the next run succeeds and writes exactly the reference bytes.
"""

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.atomic import IntegrityError, verify

from conftest import ROOT

pytestmark = pytest.mark.slow
KILLS_PER_COMMAND = int(os.environ.get("READOUT_BENCH_KILLS", "17"))   # 3 commands x 17 = 51 kills
SEED = 20261130


def _tree(folder: Path, skip=()) -> dict:
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        leftover = any(part.startswith((".staging-", ".old-")) for part in p.relative_to(folder).parts)
        if p.is_file() and not leftover and not any(rel.startswith(s) for s in skip) and "__pycache__" not in rel:
            out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def kit(tmp_path_factory):
    """A copy of the kit whose commands run on a small corpus (70 documents), so 51 kills take minutes.

    Publication, recovery and verification do not depend on the corpus's size.
    """
    root = tmp_path_factory.mktemp("faults") / "kit"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(".venv", ".git", ".cache", "outputs", "trained",
                                                              "__pycache__", ".pytest_cache"))
    small = root / "small-corpus"
    for part, keep in (("constructed", 70), ("seed", None)):
        docs = (root / "corpora" / part / "documents.jsonl").read_text().splitlines()[:keep]
        ids = {json.loads(d)["doc_id"] for d in docs}
        sents = [s for s in (root / "corpora" / part / "sentences.jsonl").read_text().splitlines()
                 if json.loads(s)["doc_id"] in ids]
        (small / part).mkdir(parents=True)
        (small / part / "documents.jsonl").write_text("\n".join(docs) + "\n")
        (small / part / "sentences.jsonl").write_text("\n".join(sents) + "\n")
    _finish(root, ["splits"], {"READOUT_BENCH_CORPUS": str(small)})
    return root


def _start(root, args, env):
    return subprocess.Popen([sys.executable, "-m", "bench", *map(str, args)], cwd=root, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(root), **env},
                            start_new_session=True)


def _finish(root, args, env):
    proc = _start(root, args, env)
    _, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err.decode()[-800:]


def _descendants_gone(pid_group: int, deadline: float = 15.0):
    """Every process of the killed command's session has ended (workers end with their parent).

    A worker still importing when its parent dies starts watching once booted; 15 s covers that on a
    loaded two-core machine.
    """
    end = time.time() + deadline
    while time.time() < end:
        alive = subprocess.run(["pgrep", "-s", str(pid_group)], capture_output=True, text=True).stdout.split()
        if not alive:
            return True
        time.sleep(0.2)
    return False


OUTPUTS = ("models/trained", "eval-out", "pred.jsonl", ".cache")
COMMANDS = {
    "train": (["train", "--models", "tfidf_svm,keyword_rules", "--jobs", "2"], "models/trained", "models"),
    "eval": (["eval", "--models", "dummy_prior,keyword_rules,tfidf_svm", "--out", "eval-out"], "eval-out", "results"),
    "predict": (["predict", "small-corpus/constructed/sentences.jsonl", "--out", "pred.jsonl", "--model", "tfidf_svm"],
                "pred.jsonl", None),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_killed_at_random_moments_nothing_is_lost_or_half_trusted(kit, tmp_path, name):
    args, output, kind = COMMANDS[name]
    env = {"READOUT_BENCH_CACHE": str(tmp_path / "cache"), "READOUT_BENCH_CORPUS": str(kit / "small-corpus")}
    if name == "predict":
        _finish(kit, ["train", "--models", "tfidf_svm"], env)
    committed = _tree(kit, skip=OUTPUTS)
    started = time.time()
    _finish(kit, args, env)                                   # the reference run, and its duration
    duration = time.time() - started
    target = kit / output
    reference = _tree(target) if target.is_dir() else hashlib.sha256(target.read_bytes()).hexdigest()
    rng = random.Random(SEED + len(name))
    for attempt in range(KILLS_PER_COMMAND):
        if attempt % 5 == 0:
            shutil.rmtree(tmp_path / "cache", ignore_errors=True)     # sometimes from cold
        proc = _start(kit, args, env)
        time.sleep(rng.uniform(0.05, max(0.2, duration)))
        sig = signal.SIGKILL if attempt % 2 else signal.SIGINT
        try:
            os.killpg(proc.pid, sig) if sig == signal.SIGINT else os.kill(proc.pid, sig)
        except ProcessLookupError:
            pass
        proc.wait(timeout=120)
        assert _descendants_gone(proc.pid), f"{name}: workers outlived their parent (attempt {attempt})"
        assert _tree(kit, skip=OUTPUTS) == committed
        if kind:                                              # a folder: verifies, or is absent/recoverable
            try:
                verify(target)
            except IntegrityError as err:
                assert not target.exists(), f"{name}: published folder failed verification: {err}"
        elif target.exists():                                 # a file: whole or absent, never a prefix
            assert hashlib.sha256(target.read_bytes()).hexdigest() == reference
        _finish(kit, args, env)                               # the next run succeeds ...
        now = _tree(target) if target.is_dir() else hashlib.sha256(target.read_bytes()).hexdigest()
        if kind:
            now = {k: v for k, v in now.items() if k != "timings.json" and k != "FILES.sha256.json"}
            want = {k: v for k, v in reference.items() if k != "timings.json" and k != "FILES.sha256.json"}
            if name == "train":                               # the manifest records the git commit only
                now.pop("manifest.json", None), want.pop("manifest.json", None)
            assert now == want, f"{name}: rerun after a kill is not byte-identical"
        else:
            assert now == reference                           # ... and writes the reference bytes
