"""Reading the committed results folder, verified (the writer is :func:`bench.report.write_all`).

Every reader of ``results/`` (``predict``'s default model, ``score``'s
leaderboard comparison, ``docs``) goes through here, so a half-written,
truncated or altered results folder is refused with one line instead of being
half-trusted.
"""

import json

from bench import paths
from bench.atomic import IntegrityError, verify
from bench.registry import ModelError


def verified_results_dir(needed=("results.json",)):
    folder = paths.results_dir()
    try:
        verify(folder, needed=needed)
    except IntegrityError as err:
        raise ModelError(str(err)) from None
    return folder


def read_results() -> dict:
    folder = verified_results_dir()
    return json.loads((folder / "results.json").read_text(encoding="utf-8"))
