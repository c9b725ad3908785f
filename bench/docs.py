"""Generated blocks inside the hand-written documents, and how to refresh them.

Each entry names a document, a block and the function producing its content
from committed files. ``make docs`` rewrites the blocks; ``tests/test_docs.py``
fails when a block no longer matches, so the prose cannot drift from the data.
"""

from bench import paths
from bench.report import leaderboard_tables, sync_block

# A sibling of results/, because `make eval` replaces results/ as a whole.
EXTRAS_RESULTS = "results-with-extras"


def _leaderboard():
    from bench.results import verified_results_dir

    folder = verified_results_dir(needed=("leaderboard.md",))
    return leaderboard_tables((folder / "leaderboard.md").read_text(encoding="utf-8"))


def _extras_leaderboard():
    path = paths.ROOT / EXTRAS_RESULTS / "leaderboard.md"
    if not path.exists():
        return ("No reference run with the optional extras has been committed for corpus v2 yet (the v1 run was "
                "removed with the v1 corpus). Install an extra and run `make eval OUT=results-with-extras` to "
                "produce one; `make docs` then shows it here.")
    return ("Reference run with both extras installed (`make extras-embeddings extras-fasttext`, then "
            f"`make eval OUT={EXTRAS_RESULTS}`); same splits, metrics and statistics as the main board.\n\n"
            + leaderboard_tables(path.read_text(encoding="utf-8")))


def _composition():
    from bench.corpus import load_all
    from bench.corpus_stats import describe, to_markdown
    from bench.splits import load_splits

    return to_markdown(describe(load_all(), load_splits()))


def _style():
    from bench import style
    from bench.corpus import load_all

    fig = style.figures(load_all().where(provenance="constructed").sentences)
    return "```\n" + style.render(fig, "the constructed corpus") + "\n```"


def _agreement():
    text = (paths.ANNOTATIONS / "AGREEMENT.md").read_text(encoding="utf-8")
    return text.split("\n", 4)[4].strip()          # drop the title and the "do not edit" line


BLOCKS = [
    ("README.md", "leaderboard", _leaderboard),
    ("README.md", "comparators", _extras_leaderboard),
    ("models/README.md", "comparators", _extras_leaderboard),
    ("corpora/DATASHEET.md", "composition", _composition),
    ("corpora/DATASHEET.md", "agreement", _agreement),
    ("corpora/DATASHEET.md", "style", _style),
]


def expected(block_path, name):
    for path, block, produce in BLOCKS:
        if (path, block) == (block_path, name):
            return produce()
    raise KeyError(name)


def sync_all():
    return [(path, block, sync_block(paths.ROOT / path, block, produce())) for path, block, produce in BLOCKS]
