"""Command line: ``readout-bench <command>`` or ``python -m bench <command>`` (the Makefile's targets call these).

Heavy libraries are imported inside the commands, so ``--help`` and argument
errors answer at once. Input problems end with one line on stderr naming the
file, the line and the problem, and exit status 2.
"""

import argparse
import sys
import time
from pathlib import Path


def _models(args):
    from bench.registry import ModelError, select

    specs = select(args.models)
    for spec in specs:
        if not spec.available:
            print(f"[bench] skipping {spec.name}: needs {', '.join(spec.requires)} "
                  f"(an optional extra, see README)", file=sys.stderr)
    available = [s for s in specs if s.available]
    if not available:
        raise ModelError("no selected model can run here (all need optional extras)")
    return available


def _positive(value: str) -> int:
    import argparse

    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r}: give a whole number of at least 1")
    return number


def _names(models: str) -> list[str]:
    return [n.strip() for n in models.split(",") if n.strip()]


def cmd_validate(args):
    from bench import paths
    from bench.corpus import load_all, load_sentences

    if args.files:
        for path in args.files:
            rows = load_sentences(path)
            print(f"{path}: ok, {len(rows)} sentences")
        return
    corpus = load_all()
    for folder in paths.corpus_dirs():
        print(f"{folder.relative_to(paths.ROOT)}: ok")
    print(f"all corpora: {len(corpus.documents)} documents, {len(corpus)} sentences")


def cmd_splits(args):
    from bench.corpus import load_all
    from bench.splits import build_splits, write_splits

    record = build_splits(load_all())
    write_splits(record)
    counts = {}
    for part in record["documents"].values():
        counts[part] = counts.get(part, 0) + 1
    ood = "; ".join(f"OOD {o['name']}: {len(o['documents'])} documents" for o in record["ood"])
    print(f"corpora/splits.json: {counts}; {ood}")


def cmd_stats(args):
    from bench.corpus import load_all
    from bench.corpus_stats import describe, to_markdown

    from bench.splits import load_splits

    print(to_markdown(describe(load_all(), load_splits())))


def cmd_style(args):
    from bench import style
    from bench.corpus import load_all, load_sentences
    from bench.schema import load_schema

    if args.files:
        sentences = [s for path in args.files for s in load_sentences(path, need_labels=False)]
        title = ", ".join(args.files)
    else:
        sentences = load_all().where(provenance="constructed").sentences
        title = "the constructed corpus (corpora/constructed)"
    fig = style.figures(sentences)
    print(style.render(fig, title))
    failed = style.failures(fig)
    if fig.get("rhetoric_counts"):
        print(f"\n{'label':<36} {'count':>6}  floor  ok")
        for label, count, floor, ok in style.label_floor_rows(fig, load_schema()):
            print(f"{label:<36} {count:>6}  {floor:>5}  {'yes' if ok else 'NO'}")
            if not ok:
                failed.append(label)
    print(f"\n{'every figure on target' if not failed else 'off target: ' + ', '.join(failed)}")
    if failed and args.strict:
        sys.exit(1)


def cmd_train(args):
    from bench.corpus import load_all
    from bench.release import train

    started = time.perf_counter()
    out = train(_models(args), load_all(), n_jobs=args.jobs)
    print(f"[train] wrote {out} in {time.perf_counter() - started:.1f}s")


def cmd_eval(args):
    from bench import paths

    started = time.perf_counter()
    if args.test:
        from bench.external import eval_file

        _, markdown = eval_file(args.test, models=_names(args.models) if args.models else None, out_dir=args.out)
        print(markdown)
        return
    from bench.harness import evaluate
    from bench.report import build_analysis, write_all

    from bench.outputs import check_output_folder

    out_dir = check_output_folder(Path(args.out) if args.out else (
        paths.results_dir() if not args.models else paths.outputs_dir() / "eval" / "custom"), "results")
    specs = _models(args)
    results, predictions, timings, ngrams, corpus = evaluate(specs, n_jobs=args.jobs, use_cache=not args.no_cache,
                                                             backend=args.backend, scheduler=args.scheduler)
    from bench.tasks import TASKS

    analysed = time.perf_counter()
    analysis = build_analysis(results, predictions, corpus, list(TASKS.values()), ngrams)
    timings["phases"]["analysis_seconds"] = time.perf_counter() - analysed
    write_all(out_dir, results, predictions, timings, analysis)
    print((out_dir / "leaderboard.md").read_text(encoding="utf-8"))
    print(f"[eval] wrote {out_dir} in {time.perf_counter() - started:.1f}s")


def cmd_predict(args):
    from bench.predict import run

    run(args.input, args.out, args.model, workers=args.jobs)


def cmd_score(args):
    from bench.external import score_predictions

    _, markdown = score_predictions(args.pred, args.gold, args.name, args.out)
    print(markdown)


def cmd_export(args):
    from bench.export import export

    folder, n = export(args.part, args.out)
    print(f"[export] {n} sentences of {args.part} without labels, and codebook_summary.md, in {folder}")


def cmd_agreement(args):
    from bench.agreement import compute, to_markdown, write

    result = compute()
    write(result)
    print(to_markdown(result))


def cmd_docs(args):
    from bench.docs import sync_all

    for path, block, changed in sync_all():
        print(f"{path}: {block} {'updated' if changed else 'already in sync'}")


def parser() -> argparse.ArgumentParser:
    prog = "readout-bench" if Path(sys.argv[0]).name == "readout-bench" else "python -m bench"
    p = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("validate", help="validate the corpora (or given sentence files)")
    s.add_argument("files", nargs="*")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("splits", help="rebuild corpora/splits.json from the corpora")
    s.set_defaults(func=cmd_splits)

    s = sub.add_parser("stats", help="print corpus statistics (counts per label, genre, region, split)")
    s.set_defaults(func=cmd_stats)

    s = sub.add_parser("style", help="print the corpus's register figures beside the target ranges of real readouts")
    s.add_argument("files", nargs="*", help="sentence files to measure instead (labels optional)")
    s.add_argument("--strict", action="store_true", help="exit 1 when a figure is off target")
    s.set_defaults(func=cmd_style)

    for name, func, text in (("train", cmd_train, "fit released models on all data (models/trained/)"),
                             ("eval", cmd_eval, "run the benchmark protocol and write results/")):
        s = sub.add_parser(name, help=text)
        s.add_argument("--models", help="comma-separated model names (default: every model in models/)")
        s.add_argument("--jobs", type=_positive, default=2, help="parallel workers (default 2)")
        s.set_defaults(func=func)
        if name == "eval":
            s.add_argument("--test", help="score the released models on this labelled JSONL file instead")
            s.add_argument("--out", help="output folder (default results/, or outputs/ for custom runs)")
            s.add_argument("--no-cache", action="store_true", help="recompute every job")
            s.add_argument("--backend", choices=("loky", "dask"), default=None,
                           help="where jobs run: local processes (loky, default) or a Dask cluster (dask)")
            s.add_argument("--scheduler", help="Dask scheduler address for --backend dask, e.g. tcp://host:8786")

    s = sub.add_parser("predict", help="label new text: a raw readout or corpus-format JSONL")
    s.add_argument("input", nargs="?", default="-", help="input file, or - for stdin (default)")
    s.add_argument("--out", help="write JSONL here (default: print)")
    s.add_argument("--model", help="model name (default: the leaderboard's best per task)")
    s.add_argument("--jobs", type=_positive, default=None,
                   help="processes for large JSONL input (default: every CPU this process may use)")
    s.set_defaults(func=cmd_predict)

    s = sub.add_parser("score", help="score an outside system's predictions")
    s.add_argument("--pred", required=True, help="predictions in the corpus format")
    s.add_argument("--gold", help="gold file (default: the benchmark test split)")
    s.add_argument("--name", help="system name (default: the file's stem)")
    s.add_argument("--out", help="output folder (default outputs/score/<name>)")
    s.set_defaults(func=cmd_score)

    s = sub.add_parser("export", help="write a split without labels, plus a prompt-ready codebook summary")
    s.add_argument("--part", default="test", help="train, dev, test (default), seed, contrast or all")
    s.add_argument("--out", help="output folder (default outputs/export/<part>)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("docs", help="refresh generated figures in README.md, DATASHEET.md, models/README.md")
    s.set_defaults(func=cmd_docs)

    s = sub.add_parser("agreement", help="recompute inter-annotator agreement from corpora/annotations/")
    s.set_defaults(func=cmd_agreement)
    return p


def main(argv=None):
    args = parser().parse_args(argv)
    from bench.errors import KitError

    try:
        args.func(args)
    except KitError as err:
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("error: interrupted; nothing half-written was published (run the command again)", file=sys.stderr)
        sys.exit(130)
