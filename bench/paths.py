"""Every path the kit reads or writes, in one place.

Paths are relative to the kit's home: the repository root of a clone, or, for a
kit installed with ``pip install .``, ``<prefix>/share/readout-bench`` (where the
wheel puts the corpora, model specs and committed results), so either works from
any directory. ``READOUT_BENCH_RESULTS`` and
``READOUT_BENCH_ARTIFACTS`` redirect outputs (tests use them to write into a
temporary folder instead of over the committed results).
"""

import os
import sys
from pathlib import Path


def _find_root() -> Path:
    """The kit's home: ``READOUT_BENCH_HOME``, the checkout this package sits in, or an installed kit's data."""
    if os.environ.get("READOUT_BENCH_HOME"):
        return Path(os.environ["READOUT_BENCH_HOME"]).resolve()
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "corpora" / "schema.json").is_file():
        return checkout
    installed = Path(sys.prefix) / "share" / "readout-bench"
    if (installed / "corpora" / "schema.json").is_file():
        return installed
    raise SystemExit("readout-bench: cannot find the kit's data (corpora/schema.json); run inside a clone of the "
                     "kit, install it with `pip install .`, or set READOUT_BENCH_HOME=/path/to/readout-bench")


ROOT = _find_root()

CORPORA = ROOT / "corpora"
SCHEMA = CORPORA / "schema.json"
CODEBOOK = CORPORA / "CODEBOOK.md"
CUES = CORPORA / "cues.json"
ANNOTATIONS = CORPORA / "annotations"
SEED_RAW = CORPORA / "seed" / "raw" / "000_2d67b2c15674fbfb.txt"

MODEL_SPECS = ROOT / "models"

SENTENCES_FILE = "sentences.jsonl"
DOCUMENTS_FILE = "documents.jsonl"


def artifacts_dir() -> Path:
    """Where ``make train`` writes fitted models and their manifest (not committed)."""
    return Path(os.environ.get("READOUT_BENCH_ARTIFACTS", MODEL_SPECS / "trained"))


def results_dir() -> Path:
    """Where ``make eval`` writes results, the leaderboard and the report (committed)."""
    return Path(os.environ.get("READOUT_BENCH_RESULTS", ROOT / "results"))


def cache_dir() -> Path:
    """Per model x fold prediction cache that lets an interrupted run resume."""
    return Path(os.environ.get("READOUT_BENCH_CACHE", ROOT / ".cache"))


def model_spec_dirs() -> list[Path]:
    """``models/`` plus an optional folder of out-of-tree specs (``READOUT_BENCH_EXTRA_MODELS``)."""
    extra = os.environ.get("READOUT_BENCH_EXTRA_MODELS")
    return [MODEL_SPECS] + ([Path(extra)] if extra else [])


def corpus_root() -> Path:
    """Where the benchmark's corpus folders and their ``splits.json`` live.

    ``corpora/`` unless ``READOUT_BENCH_CORPUS`` (``make … CORPUS=path``) names another
    folder of corpus folders, e.g. a resampled corpus for scaling benchmarks. The
    label schema, codebook and cue list always come from the kit's ``corpora/``.
    """
    return Path(os.environ.get("READOUT_BENCH_CORPUS", CORPORA))


def splits_path() -> Path:
    return corpus_root() / "splits.json"


def corpus_dirs() -> list[Path]:
    """Every corpus under :func:`corpus_root`: a folder holding ``sentences.jsonl``."""
    return sorted(p.parent for p in corpus_root().glob(f"*/{SENTENCES_FILE}"))


def outputs_dir() -> Path:
    """Where user runs write (external test files, scored systems, custom model sets); not committed."""
    return Path(os.environ.get("READOUT_BENCH_OUTPUTS", ROOT / "outputs"))
