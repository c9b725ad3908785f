"""Result records and their renderings: JSON, Markdown and LaTeX leaderboards, plots, report.

Everything written here is a pure function of the results, so the same run
writes byte-identical files; wall-clock timings go to ``timings.json`` alone.
Files are written to a temporary folder and moved into place at the end, so a
failed run never leaves a half-written leaderboard.
"""

import base64
import html
import json
from pathlib import Path

from bench.analysis import by_slice, misclassified
from bench.atomic import atomic_folder

DECIMALS = 6
FLAT_FLOOR = 0.2    # models scoring below this (the dummy) would flatten the curve and bar plots


_LEAVES = (str, int, bool, type(None))


def rounded(value):
    """Round floats (recursively) so JSON output does not depend on the last ulp."""
    kind = type(value)
    if kind in _LEAVES:                     # the common leaves first: this runs once per value written
        return value
    if kind is float or isinstance(value, float):
        return round(value, DECIMALS)
    if isinstance(value, dict):
        return {k: v if type(v) in _LEAVES else rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _LEAVES else rounded(v) for v in value]
    return value


def dump_json(path: Path, value):
    path.write_text(json.dumps(rounded(value), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")


def dump_jsonl(path: Path, rows):
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(rounded(row), sort_keys=True, ensure_ascii=False) + "\n")


def ranked(task_result) -> list[str]:
    models = task_result["models"]
    return sorted(models, key=lambda n: (-models[n]["test"]["macro_f1"], n))


def _fmt(x, digits=3):
    return "–" if x is None else f"{x:.{digits}f}"


def _p(x):
    return "–" if x is None else ("<0.001" if x < 0.001 else f"{x:.3f}")


def _verdicts(name, comparison) -> tuple[str, str]:
    """('best' | '**≈ best**' | 'worse', 'floor' | 'above' | '**not above**' | '–') for one system."""
    c = comparison["models"][name]
    vs_best = "best" if name == comparison["best"] else ("worse" if c["distinguishable_from_best"] else "**≈ best**")
    if "floor" not in comparison:
        return vs_best, "–"
    vs_floor = "floor" if name == comparison["floor"] else ("above" if c["above_floor"] else "**not above**")
    return vs_best, vs_floor


def leaderboard_markdown(results) -> str:
    corpus = results["corpus"]
    proto = results["protocol"]
    ood = results["splits"]["ood"]
    ood_text = "; ".join(f"OOD {key} = {name}" for key, name in ood.items())
    lines = [
        "# readout-bench leaderboard", "",
        f"Corpus: {corpus['documents']} documents, {corpus['sentences']} sentences "
        f"(sha256 `{corpus['sha256'][:12]}`). Test split: fixed, document-level. "
        f"CV: {proto['cv_folds']}-fold grouped x {proto['cv_repeats']} repeats over train+dev. "
        f"95% CIs: paired bootstrap over test documents ({proto['bootstrap_resamples']} resamples). "
        f"p: approximate randomisation vs the best model ({proto['permutations']} permutations), "
        f"Holm-adjusted; **≈ best** marks models that cannot be told apart from the best at "
        f"α = {proto['significance']}. vs floor: whether the paired-bootstrap CI of the difference from "
        f"`keyword_rules` (the codebook's cue words and precedence, untrained) lies above zero. "
        f"Contrast = the minimal-pair contrast set (never trained on; rhetoric also shows the share of "
        f"groups with every variant right). Seed = the founding readout (never trained on); {ood_text}.", ""]
    for task_name, task_result in results["tasks"].items():
        comparison = task_result["comparison"]
        extra = ("accuracy", "mcc") if task_name == "rhetoric" else ("micro_f1", "samples_f1")
        ood_cols = " | ".join(f"OOD {key}" for key in ood)
        lines += [f"## {task_name} — macro-F1", "",
                  "| rank | model | test macro-F1 [95% CI] | Δ best [95% CI] | p (Holm) | vs best | vs floor | "
                  f"CV mean ± sd | contrast | seed | {ood_cols} | {extra[0]} | {extra[1]} |",
                  "|---:|---|---|---|---:|---|---|---|---:|---:|" + "---:|" * len(ood) + "---:|---:|"]
        for rank, name in enumerate(ranked(task_result), start=1):
            m, c = task_result["models"][name], comparison["models"][name]
            vs_best, vs_floor = _verdicts(name, comparison)
            contrast = m.get("contrast", {})
            contrast_cell = _fmt(contrast.get("macro_f1"))
            if task_name == "rhetoric" and "groups_all_correct" in contrast:
                contrast_cell += f" ({_fmt(contrast['groups_all_correct'], 2)})"
            ood_cells = " | ".join(_fmt(m.get("ood", {}).get(key, {}).get("macro_f1")) for key in ood)
            lines.append(
                f"| {rank} | {name} | {_fmt(c['point'])} [{_fmt(c['ci'][0])}, {_fmt(c['ci'][1])}] | "
                f"{_fmt(c['diff_from_reference'])} [{_fmt(c['diff_ci'][0])}, {_fmt(c['diff_ci'][1])}] | "
                f"{_p(c['p_holm'])} | {vs_best} | {vs_floor} | {_fmt(m['cv']['mean'])} ± {_fmt(m['cv']['sd'])} | "
                f"{contrast_cell} | {_fmt(m.get('seed', {}).get('macro_f1'))} | {ood_cells} | "
                f"{_fmt(m['test'][extra[0]])} | {_fmt(m['test'][extra[1]])} |")
        lines.append("")
    lines += ["## Models", "", "| model | description |", "|---|---|"]
    lines += [f"| {n} | {m['description']} |" for n, m in sorted(results["models"].items())]
    versions = ", ".join(f"{k} {v}" for k, v in results["versions"].items())
    lines += ["", f"Produced with {versions}. Fit and predict times: `timings.json`.", ""]
    return "\n".join(lines)


def leaderboard_latex(results) -> str:
    """A booktabs table (models x tasks: test macro-F1 with CI, CV mean ± sd) for papers."""
    tasks = list(results["tasks"])
    names = ranked(results["tasks"][tasks[0]])
    lines = [r"\begin{table}[t]", r"\centering", r"\small",
             r"\begin{tabular}{l" + "cc" * len(tasks) + "}", r"\toprule",
             " & " + " & ".join(rf"\multicolumn{{2}}{{c}}{{{t}}}" for t in tasks) + r" \\",
             "".join(rf"\cmidrule(lr){{{2 + 2 * i}-{3 + 2 * i}}}" for i in range(len(tasks))),
             "Model & " + " & ".join(["test macro-F1 [95\\% CI]", "CV mean $\\pm$ sd"] * len(tasks)) + r" \\",
             r"\midrule"]
    for name in names:
        cells = []
        for t in tasks:
            c = results["tasks"][t]["comparison"]["models"][name]
            m = results["tasks"][t]["models"][name]
            point = f"{c['point']:.3f}"
            if name == results["tasks"][t]["comparison"]["best"] or not c["distinguishable_from_best"]:
                point = rf"\textbf{{{point}}}"
            cells += [f"{point} [{c['ci'][0]:.3f}, {c['ci'][1]:.3f}]", f"{m['cv']['mean']:.3f} $\\pm$ {m['cv']['sd']:.3f}"]
        lines.append(name.replace("_", r"\_") + " & " + " & ".join(cells) + r" \\")
    lines += [r"\bottomrule", r"\end{tabular}",
              r"\caption{readout-bench test macro-F1 with 95\% paired-bootstrap CIs over documents. "
              r"Bold: best model and models not distinguishable from it (approximate randomisation, "
              r"Holm-adjusted, $\alpha=0.05$).}", r"\label{tab:readout-bench}", r"\end{table}", ""]
    return "\n".join(lines)


def _plots(results, out: Path) -> list[str]:
    """PNG plots; returns their file names. Metadata is stripped so files are reproducible."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    plt.rcParams.update({"svg.hashsalt": "readout-bench", "font.size": 9})
    save = dict(dpi=110, metadata={"Software": None}, bbox_inches="tight")
    names = []
    for task_name, task_result in results["tasks"].items():
        order = ranked(task_result)
        comparison = task_result["comparison"]["models"]
        fig, ax = plt.subplots(figsize=(6, 0.4 * len(order) + 1))
        points = [comparison[n]["point"] for n in order]
        lows = [comparison[n]["point"] - comparison[n]["ci"][0] for n in order]
        highs = [comparison[n]["ci"][1] - comparison[n]["point"] for n in order]
        ax.errorbar(points, range(len(order)), xerr=[lows, highs], fmt="o", capsize=3)
        ax.set_yticks(range(len(order)), order)
        ax.invert_yaxis()
        ax.set_xlabel("test macro-F1 (95% CI)")
        ax.set_title(f"{task_name}: leaderboard")
        names.append(f"leaderboard_{task_name}.png")
        fig.savefig(out / names[-1], **save)
        plt.close(fig)

        shown = [n for n in order if task_result["models"][n]["test"]["macro_f1"] >= FLAT_FLOOR] or order
        fig, ax = plt.subplots(figsize=(6, 3.5))
        for n in shown:
            curve = task_result["models"][n]["learning_curve"]
            ax.plot([p["train_documents"] for p in curve], [p["score"] for p in curve], marker="o", label=n)
        ax.set_xlabel("training documents")
        ax.set_ylabel("test macro-F1")
        ax.set_title(f"{task_name}: learning curve" + (" (models near 0 left out)" if len(shown) < len(order) else ""))
        ax.legend(fontsize=7)
        names.append(f"learning_curve_{task_name}.png")
        fig.savefig(out / names[-1], **save)
        plt.close(fig)

        labels = task_result["labels"]
        fig, ax = plt.subplots(figsize=(7, 3.8))
        width = 0.8 / len(shown)
        for i, n in enumerate(shown):
            per_label = task_result["models"][n]["test"]["per_label"]
            ax.bar(np.arange(len(labels)) + i * width, [per_label[l]["f1"] for l in labels], width, label=n)
        ax.set_xticks(np.arange(len(labels)) + 0.4 - width / 2, labels, rotation=40, ha="right")
        ax.set_ylabel("test F1")
        ax.set_title(f"{task_name}: per-label F1")
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        names.append(f"per_label_{task_name}.png")
        fig.savefig(out / names[-1], **save)
        plt.close(fig)

        if task_name == "rhetoric":
            best = task_result["comparison"]["best"]
            matrix = np.array(task_result["models"][best]["test"]["confusion"]["matrix"])
            fig, ax = plt.subplots(figsize=(5, 4.5))
            ax.imshow(matrix, cmap="Blues")
            for (i, j), v in np.ndenumerate(matrix):
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7,
                        color="white" if v > matrix.max() / 2 else "black")
            ax.set_xticks(range(len(labels)), labels, rotation=40, ha="right")
            ax.set_yticks(range(len(labels)), labels)
            ax.set_xlabel("predicted")
            ax.set_ylabel("gold")
            ax.set_title(f"rhetoric confusion matrix: {best} (test)")
            names.append("confusion_rhetoric.png")
            fig.savefig(out / names[-1], **save)
            plt.close(fig)
    return names


def _table(header, rows) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + [
        "| " + " | ".join(str(c) for c in row) + " |" for row in rows]


SMALL_N = 30     # slices with fewer sentences are marked: their scores move a lot with a few sentences


def _slice_rows(slices, models, values):
    rows = []
    for v in values:
        first = slices[models[0]][v]
        mark = " †" if first["n"] < SMALL_N else ""
        rows.append([v + mark, f"{first['n']} ({first.get('documents', '–')})"]
                    + [f"{_fmt(slices[m][v]['macro_f1'])} [{_fmt(slices[m][v]['ci'][0], 2)}, "
                       f"{_fmt(slices[m][v]['ci'][1], 2)}]" for m in models])
    return rows


def report_markdown(results, analysis, plots) -> str:
    """The report: both leaderboards first, then per-task detail (tables, plots, slices, errors)."""
    board = leaderboard_tables(leaderboard_markdown(results))
    legend, tables = board.split("\n### ", 1)
    lines = ["# readout-bench report", "",
             "Generated by `make eval` (the same run as `leaderboard.md`). Leaderboards first; how to read "
             "them, per-task detail, plots and misclassified sentences follow.", "",
             "## Leaderboard: " + tables.replace("\n### ", "\n## Leaderboard: "), "",
             "**How to read the leaderboards.** " + legend.strip(), ""]
    for png in [p for p in plots if p.startswith("leaderboard_")]:
        lines += [f"![{png}]({png})", ""]
    for task_name, task_result in results["tasks"].items():
        best = task_result["comparison"]["best"]
        lines += [f"## {task_name}: detail", "", f"Best model on test: **{best}**.", ""]
        for png in [p for p in plots if not p.startswith("leaderboard_") and task_name in p]:
            lines += [f"![{png}]({png})", ""]
        lines += [f"### Per-label scores ({best}, test)", ""]
        per_label = task_result["models"][best]["test"]["per_label"]
        lines += _table(["label", "precision", "recall", "F1", "support"],
                        [[l, _fmt(v["precision"]), _fmt(v["recall"]), _fmt(v["f1"]), v["support"]]
                         for l, v in per_label.items()])
        if task_name == "rhetoric":
            confusion = task_result["models"][best]["test"]["confusion"]
            lines += ["", f"### Confusion matrix ({best}, test; rows gold, columns predicted)", ""]
            lines += _table([""] + confusion["labels"],
                            [[l] + row for l, row in zip(confusion["labels"], confusion["matrix"])])
        for key in ("phenomena", "genre"):
            slices = analysis[task_name]["slices"][key]
            models = ranked(task_result)
            values = sorted({v for m in models for v in slices[m]})
            lines += ["", f"### Test macro-F1 by {key}", "",
                      f"Cells: macro-F1 [95% CI, bootstrap over documents]. n = sentences (documents); "
                      f"† marks slices under {SMALL_N} sentences, where one or two sentences move the score a lot.", ""]
            lines += _table([key, "n (docs)"] + models, _slice_rows(slices, models, values))
        ngrams = analysis[task_name]["ngrams"]
        if ngrams:
            lines += ["", "### Most indicative n-grams (linear models, fit on train+dev)", ""]
            for model, per_label in sorted(ngrams.items()):
                lines += [f"**{model}**", ""]
                lines += _table(["label", "top features"],
                                [[l, ", ".join(f"`{f}`" for f in feats)] for l, feats in per_label.items()])
                lines.append("")
        wrong = analysis[task_name]["misclassified"][best]
        lines += ["", f"### Misclassified test sentences ({best}: {len(wrong)}; first 40, all in "
                  f"`errors/{best}.{task_name}.jsonl`)", ""]
        lines += _table(["doc", "sentence", "gold", "predicted"],
                        [[f"{w['doc_id']}#{w['sent_id']}", w["text"].replace("|", "\\|"),
                          w["gold"] if isinstance(w["gold"], str) else ", ".join(w["gold"]) or "∅",
                          w["pred"] if isinstance(w["pred"], str) else ", ".join(w["pred"]) or "∅"]
                         for w in wrong[:40]])
        lines.append("")
    return "\n".join(lines)


def _markdown_to_html(markdown: str, folder: Path) -> str:
    """A small converter for the report's own Markdown (headings, tables, images, paragraphs).

    Images are inlined as base64 so the page is one self-contained file.
    """
    out, in_table = [], False
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split(" | ")]
            if set(line) <= set("|-: "):
                continue
            tag = "th" if not in_table else "td"
            if not in_table:
                out.append('<div class="scroll"><table>')
                in_table = True
            out.append("<tr>" + "".join(f"<{tag}>{_inline(c)}</{tag}>" for c in cells) + "</tr>")
            continue
        if in_table:
            out.append("</table></div>")
            in_table = False
        if line.startswith("!["):
            name = line[line.index("(") + 1:line.rindex(")")]
            data = base64.b64encode((folder / name).read_bytes()).decode()
            out.append(f'<p><img alt="{html.escape(name)}" src="data:image/png;base64,{data}"></p>')
        elif line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            out.append(f"<h{level}>{_inline(line[level:].strip())}</h{level}>")
        elif line.strip():
            out.append(f"<p>{_inline(line)}</p>")
    if in_table:
        out.append("</table></div>")
    style = ("body{font-family:sans-serif;max-width:76em;margin:1em auto;padding:0 0.8em;line-height:1.4}"
             "p,h1,h2,h3{overflow-wrap:anywhere}"
             ".scroll{overflow-x:auto;max-width:100%;margin:1em 0}"
             "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;"
             "font-size:90%;vertical-align:top}th{background:#eee;position:sticky;top:0}"
             "td:nth-child(2){min-width:8em}img{max-width:100%;height:auto}"
             "code{overflow-wrap:anywhere}")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>readout-bench report</title>"
            f"<style>{style}</style></head><body>\n" + "\n".join(out) + "\n</body></html>\n")


def _inline(text: str) -> str:
    import re

    escaped = html.escape(text.replace("\\|", "|"))
    escaped = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", escaped)


def build_analysis(results, predictions, corpus, tasks, ngrams) -> dict:
    sentences_by_key = {(s["doc_id"], s["sent_id"]): s for s in corpus.sentences}
    analysis = {}
    for task in tasks:
        models = list(results["tasks"][task.name]["models"])
        test_records = {m: [r for r in predictions[(m, task.name, "test")] if r["split"] == "test"] for m in models}
        analysis[task.name] = {
            "slices": {key: {m: by_slice(task, test_records[m], sentences_by_key, corpus.documents, key)
                             for m in models} for key in ("phenomena", "genre")},
            "misclassified": {m: misclassified(task, test_records[m], sentences_by_key) for m in models},
            "ngrams": {m: ngrams[(m, task.name)] for m in models if ngrams.get((m, task.name))},
        }
    return analysis


def write_all(out_dir: Path, results, predictions, timings, analysis):
    """Write every output into ``out_dir`` atomically (temp folder, then swap)."""
    # The manifest lists what readers use, and is itself byte-identical across runs: per-fold
    # predictions (a by-product git ignores) and wall-clock timings are left out of it.
    with atomic_folder(out_dir, "results", unlisted=("predictions/cv/", "timings.json")) as staging:
        for task_name, task_analysis in analysis.items():
            for key in ("phenomena", "genre"):
                for model, table in task_analysis["slices"][key].items():
                    results["tasks"][task_name]["models"][model][f"test_by_{key}"] = table
        dump_json(staging / "results.json", results)
        dump_json(staging / "timings.json", timings)
        (staging / "leaderboard.md").write_text(leaderboard_markdown(results), encoding="utf-8")
        (staging / "leaderboard.tex").write_text(leaderboard_latex(results), encoding="utf-8")
        pred_dir = staging / "predictions"
        for (model, task, run), rows in sorted(predictions.items()):
            folder = pred_dir / ("cv" if run.startswith("cv/") else run.replace("/", "_"))
            folder.mkdir(parents=True, exist_ok=True)
            suffix = "" if not run.startswith("cv/") else "." + run[3:].replace("/", "")
            dump_jsonl(folder / f"{model}.{task}{suffix}.jsonl", rows)
        report = staging / "report"
        (report / "errors").mkdir(parents=True)
        for task_name, task_analysis in analysis.items():
            for model, rows in task_analysis["misclassified"].items():
                dump_jsonl(report / "errors" / f"{model}.{task_name}.jsonl", rows)
        plots = _plots(results, report)
        markdown = report_markdown(results, analysis, plots)
        (report / "report.md").write_text(markdown, encoding="utf-8")
        (report / "report.html").write_text(_markdown_to_html(markdown, report), encoding="utf-8")


def leaderboard_tables(leaderboard_md: str) -> str:
    """The leaderboard's task tables without title and model list (headings demoted one level)."""
    body = leaderboard_md.split("\n", 2)[2]            # drop the title line
    body = body.split("\n## Models")[0].rstrip()
    return "\n".join(("#" + line) if line.startswith("## ") else line for line in body.splitlines())


def sync_block(path: Path, name: str, content: str) -> bool:
    """Replace the text between ``<!-- name:start … -->`` and ``<!-- name:end -->``; True if it changed.

    Generated figures in hand-written documents (README, datasheet) live in
    such blocks, so ``make docs`` refreshes them and a test catches drift.
    """
    text = path.read_text(encoding="utf-8")
    start = f"<!-- {name}:start"
    head, rest = text.split(start, 1)
    marker, rest = rest.split("-->", 1)
    _, tail = rest.split(f"<!-- {name}:end -->", 1)
    new = f"{head}{start}{marker}-->\n{content.strip()}\n<!-- {name}:end -->{tail}"
    path.write_text(new, encoding="utf-8")
    return new != text
