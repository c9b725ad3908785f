"""Benchmark (not a test): time a cold ``train`` + ``eval`` on the shipped corpus.

Runs both commands in subprocesses with an empty cache and temporary output
folders, so the committed results are untouched, and prints wall-clock
figures. The target is under 60 s on a 2-core machine once .venv exists.

    python -m bench.timing
"""

import os
import resource
import subprocess
import sys
import tempfile
import time

from bench import paths

TARGET_SECONDS = 60.0


def main():
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "READOUT_BENCH_CACHE": f"{tmp}/cache", "READOUT_BENCH_RESULTS": f"{tmp}/results",
               "READOUT_BENCH_ARTIFACTS": f"{tmp}/trained"}
        figures = {}
        for command in ("train", "eval"):
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "bench", command], cwd=paths.ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            figures[command] = time.perf_counter() - started
    # Largest resident set of any finished child (the CLI or one of its joblib workers), in MiB on Linux.
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    total = sum(figures.values())
    print(f"cores: {os.cpu_count()}")
    for command, seconds in figures.items():
        print(f"{command:>6}: {seconds:6.1f} s")
    print(f" total: {total:6.1f} s  (target < {TARGET_SECONDS:.0f} s: {'met' if total < TARGET_SECONDS else 'NOT met'})")
    print(f"  peak memory of one process: {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
