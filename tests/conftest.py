"""Shared helpers: run the real CLI in a subprocess with outputs redirected to tmp folders."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args, env=None, input=None, check=True):
    """``python -m bench <args>``; returns the CompletedProcess."""
    full_env = {**os.environ, **(env or {})}
    result = subprocess.run([sys.executable, "-m", "bench", *map(str, args)], cwd=ROOT, env=full_env,
                            capture_output=True, text=True, input=input)
    if check and result.returncode != 0:
        raise AssertionError(f"bench {' '.join(map(str, args))} failed:\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    """Released models (two fast ones) trained once into a temporary folder."""
    folder = tmp_path_factory.mktemp("artifacts")
    env = {"READOUT_BENCH_ARTIFACTS": str(folder)}
    run_cli("train", "--models", "tfidf_logreg,tfidf_svm", env=env)
    return env
