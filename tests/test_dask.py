"""Scale-out: the protocol's jobs on a Dask cluster give the same bytes as local processes.

A ``distributed.LocalCluster`` (two worker processes, one thread each, on
127.0.0.1) stands in for a cluster of machines; the command line is pointed at
its scheduler exactly as a user would (``make eval BACKEND=dask SCHEDULER=…``).
"""

import filecmp

import pytest

from conftest import run_cli

distributed = pytest.importorskip("distributed")
pytestmark = pytest.mark.slow
MODELS = "dummy_prior,keyword_rules,tfidf_svm"


def _files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != "timings.json"
                  and p.name != "FILES.sha256.json")


def test_eval_on_a_local_dask_cluster_equals_a_local_run(tmp_path):
    local = tmp_path / "local"
    run_cli("eval", "--models", MODELS, "--out", local, env={"READOUT_BENCH_CACHE": str(tmp_path / "c1")})
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        on_dask = tmp_path / "dask"
        result = run_cli("eval", "--models", MODELS, "--out", on_dask, "--backend", "dask",
                         "--scheduler", cluster.scheduler_address, env={"READOUT_BENCH_CACHE": str(tmp_path / "c2")})
    assert "Dask cluster at" in result.stderr and "2 worker(s)" in result.stderr
    assert _files(local) == _files(on_dask)
    _, mismatch, errors = filecmp.cmpfiles(local, on_dask, _files(local), shallow=False)
    assert not mismatch and not errors, mismatch[:5]


def test_an_unreachable_scheduler_is_one_line_and_exit_2(tmp_path):
    result = run_cli("eval", "--models", "dummy_prior", "--out", tmp_path / "x", "--backend", "dask",
                     "--scheduler", "tcp://127.0.0.1:9", check=False)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("error: SCHEDULER=tcp://127.0.0.1:9")
    assert not (tmp_path / "x").exists()
