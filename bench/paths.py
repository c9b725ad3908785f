"""Every path the kit reads or writes, in one place.

Paths are relative to the repository root so that a fresh clone works from
wherever it is checked out. ``READOUT_BENCH_RESULTS`` and
``READOUT_BENCH_ARTIFACTS`` redirect outputs (tests use them to write into a
temporary folder instead of over the committed results).
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CORPORA = ROOT / "corpora"
SCHEMA = CORPORA / "schema.json"
CODEBOOK = CORPORA / "CODEBOOK.md"
CUES = CORPORA / "cues.json"
SPLITS = CORPORA / "splits.json"
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


def corpus_dirs() -> list[Path]:
    """Every corpus under ``corpora/``: a folder holding ``sentences.jsonl``."""
    return sorted(p.parent for p in CORPORA.glob(f"*/{SENTENCES_FILE}"))


def outputs_dir() -> Path:
    """Where user runs write (external test files, scored systems, custom model sets); not committed."""
    return Path(os.environ.get("READOUT_BENCH_OUTPUTS", ROOT / "outputs"))
