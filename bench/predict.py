"""Prediction on new text with the released models, streaming in bounded memory.

Input is either a raw readout (segmented with :mod:`bench.segment`) or JSON
Lines in the corpus format, whose gold labels (if any) are ignored and
replaced. Which one is decided by content: a ``.jsonl`` file, or input whose
first non-blank line parses as a JSON object, is JSONL; anything else is a raw
readout (so a readout that happens to start with ``{`` is still text).

JSONL is read, validated, predicted and written in batches (:data:`BATCH`
sentences), so memory does not grow with the input, and in one pass: output to
a file goes through a temporary file renamed into place only when every line
was valid, so bad input anywhere leaves nothing behind. Output to standard
output cannot be taken back, so there every line is validated in a first pass
before anything is written (standard input is spooled to a temporary file for
the two passes). The word n-gram models' features are computed by
:mod:`bench.fast_features`, identical to the vectoriser's and several times faster.
"""

import json
import math
import sys
import tempfile
from contextlib import contextmanager
from itertools import chain
from pathlib import Path

from bench.atomic import atomic_file
from bench.corpus import CorpusError, has_visible, iter_sentences
from bench.outputs import check_output_file
from bench.tasks import TASKS, by_row

BATCH = 10_000
RAW_LIMIT = 20 * 1024 * 1024          # a raw readout larger than 20 MB is not a readout


def _source(in_path):
    """(name for messages, path to read): stdin is spooled to a temporary file."""
    if in_path in (None, "-"):
        spool = tempfile.NamedTemporaryFile(prefix="readout-bench-stdin-", delete=False)
        with spool:
            for block in iter(lambda: sys.stdin.buffer.read(1 << 20), b""):
                spool.write(block)
        return "<stdin>", Path(spool.name), True
    path = Path(in_path)
    try:
        if path.is_dir():
            raise CorpusError(path, 0, "is a folder, not a file")
        with path.open("rb"):
            pass
    except CorpusError:
        raise
    except OSError as err:
        raise CorpusError(path, 0, f"cannot read file ({err.strerror or type(err).__name__})") from None
    return str(in_path), path, False


def _first_line_is_json_object(path: Path) -> bool:
    with path.open("rb") as handle:
        for raw in handle:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
            if raw.strip():
                try:
                    return isinstance(json.loads(raw.decode("utf-8")), dict)
                except (UnicodeDecodeError, ValueError, RecursionError):
                    return False
    return False


def is_jsonl(name: str, path: Path) -> bool:
    return name.endswith(".jsonl") or _first_line_is_json_object(path)


class Predictor:
    """The released models chosen for both tasks, loaded once, verified and safe."""

    def __init__(self, model=None):
        from bench.release import best_model, load_model, trained_models

        manifest = trained_models()
        self.requested = model
        self.names = {t: model or best_model(t, manifest) for t in TASKS}
        self.estimators = {t: load_model(self.names[t], t, manifest) for t in TASKS}
        self.featurisers = {t: _featuriser_key(e) for t, e in self.estimators.items()}
        self.fast = {t: _fast_features(e) for t, e in self.estimators.items()}

    def describe(self) -> str:
        return ", ".join(f"{t}: {n}" for t, n in self.names.items())

    def __call__(self, texts) -> list[dict]:
        """Labels and confidences for ``texts``: rhetoric confidence, and a score per predicted domain."""
        out = [{} for _ in texts]
        for task, (labels, scores) in self.predict_arrays(texts).items():
            for i, (row, label) in enumerate(zip(out, labels)):
                row[task.field] = label
                if scores is None:
                    continue
                if task.kind == "multiclass":
                    row["rhetoric_confidence"] = round(float(scores[i]), 4)
                else:
                    row["domain_scores"] = {lab: round(float(s), 4) for lab, s in zip(label, scores[i])}
        return out

    def predict_arrays(self, texts) -> dict:
        """``{task: (labels, scores)}`` for ``texts``, in :data:`TASKS` order.

        ``labels`` holds a label per text (rhetoric) or a schema-ordered list of
        labels (domain); ``scores`` holds, per text, the predicted class's
        probability (rhetoric) or a list with each predicted domain's score, or is
        None when the model gives no scores. A pipeline's features are computed once
        per batch and featuriser, and shared by both tasks when their models share one.
        """
        import numpy as np

        result, computed = {}, {}
        for task in TASKS.values():
            key = self.featurisers[task.name]
            if key is not None and key in computed:
                estimator, features = self.estimators[task.name][-1], computed[key]
            else:
                estimator, features = _split_pipeline(self.estimators[task.name], texts, self.fast[task.name])
                if key is not None:
                    computed[key] = features
            predicted = estimator.predict(features)
            probabilities = _probabilities(estimator, features, task)
            scores = None
            if task.kind == "multiclass":
                labels = task.decode(predicted)
                if probabilities is not None:
                    classes = [str(c) for c in getattr(estimator, "classes_", task.labels)]
                    column = {c: j for j, c in enumerate(classes)}
                    picked = [column[label] for label in labels]
                    scores = probabilities[np.arange(len(labels)), picked].tolist()
            else:
                rows, columns = task.nonzero(predicted)
                labels = by_row(rows, [task.labels[j] for j in columns.tolist()], len(texts))
                if probabilities is not None:
                    scores = by_row(rows, probabilities[rows, columns].tolist(), len(texts))
            result[task] = (labels, scores)
        return result

    def encode(self, sentences) -> str:
        """JSONL lines for validated input ``sentences`` (dicts), each with this predictor's labels.

        The same text as ``json.dumps({**sentence, **labels}, ensure_ascii=False)``
        per line, built from pieces: the input object is dumped once, the labels and
        rounded scores are formatted directly (tested against ``json.dumps``).
        """
        arrays = self.predict_arrays([s["text"] for s in sentences])
        output_keys = {"rhetoric", "rhetoric_confidence", "domains", "domain_scores"}
        columns = []
        for task, (labels, scores) in arrays.items():
            quoted = {label: json.dumps(label, ensure_ascii=False) for label in task.labels}
            if task.kind == "multiclass":
                column = [f', "{task.field}": ' + (quoted.get(label) or json.dumps(label, ensure_ascii=False))
                          for label in labels]
                if scores is not None:
                    column = [c + ', "rhetoric_confidence": ' + _number(v) for c, v in zip(column, scores)]
            else:
                column = [f', "{task.field}": [' + ", ".join(quoted[lab] for lab in row) + "]" for row in labels]
                if scores is not None:
                    column = [c + ', "domain_scores": {' + ", ".join(
                        quoted[lab] + ": " + _number(v) for lab, v in zip(row, values)) + "}"
                        for c, row, values in zip(column, labels, scores)]
            columns.append(column)
        lines = []
        for i, sentence in enumerate(sentences):
            if output_keys.isdisjoint(sentence):
                lines.append(json.dumps(sentence, ensure_ascii=False)[:-1] + "".join(c[i] for c in columns) + "}\n")
            else:   # gold labels in the input keep their place and take the predicted values
                merged = json.loads("{" + "".join(c[i] for c in columns)[2:] + "}")
                lines.append(json.dumps({**sentence, **merged}, ensure_ascii=False) + "\n")
        return "".join(lines)


def _number(value: float) -> str:
    """``value`` rounded to 4 decimals, as ``json.dumps`` writes it."""
    value = round(value, 4)
    return repr(value) if math.isfinite(value) else json.dumps(value)


def _featuriser_key(estimator):
    """A fingerprint of a pipeline's fitted transformers (None for other estimators).

    Released models of the same spec fit the same vectoriser on the same texts for
    both tasks; equal fingerprints let a batch be transformed once for both.
    """
    import hashlib

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    steps = getattr(estimator, "steps", None)
    if not steps or len(steps) < 2:
        return None
    digest = hashlib.sha256()
    pending = [step for _, step in steps[:-1]]
    while pending:
        step = pending.pop(0)
        if isinstance(step, FeatureUnion):
            digest.update(repr(step.transformer_weights).encode())
            pending = [t for _, t in step.transformer_list] + pending
        elif isinstance(step, TfidfVectorizer) and hasattr(step, "idf_"):
            digest.update(repr(sorted((k, repr(v)) for k, v in step.get_params().items())).encode())
            digest.update(repr(list(step.vocabulary_.items())).encode())
            digest.update(step.idf_.tobytes())
        else:
            return None                       # an unknown transformer: do not guess, transform per task
    return digest.hexdigest()


def _fast_features(estimator):
    """A vectorised stand-in for a two-step pipeline's transformer (:mod:`bench.fast_features`), or None."""
    from bench.fast_features import fast_transformer

    steps = getattr(estimator, "steps", None)
    return fast_transformer(steps[0][1]) if steps and len(steps) == 2 else None


def _split_pipeline(estimator, texts, fast=None):
    """(final estimator, its input): a pipeline's transformers run once here, not once per method.

    ``fast``, when given, computes the same features as the pipeline's transformer, faster.
    """
    steps = getattr(estimator, "steps", None)
    if steps and len(steps) > 1:
        return estimator[-1], (fast.transform(texts) if fast is not None else estimator[:-1].transform(texts))
    return estimator, texts


def _probabilities(estimator, features, task):
    """Probabilities, or (uncalibrated) softmax / logistic of decision scores; None when neither exists."""
    import numpy as np

    n = features.shape[0] if hasattr(features, "shape") else len(features)
    if hasattr(estimator, "predict_proba"):
        try:
            return np.asarray(estimator.predict_proba(features), dtype=float)
        except (AttributeError, NotImplementedError):
            pass
    if hasattr(estimator, "decision_function"):
        values = np.asarray(estimator.decision_function(features), dtype=float).reshape(n, -1)
        if task.kind == "multiclass":
            values = np.exp(values - values.max(axis=1, keepdims=True))
            return values / values.sum(axis=1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-values))
    return None


def _validate_jsonl(path):
    """First pass: every line a valid sentence, no repeated (doc_id, sent_id); returns the count."""
    return sum(1 for _ in iter_sentences(path, need_labels=False))


def _batches(path):
    """Validated sentences in batches of :data:`BATCH`; a bad line raises CorpusError mid-stream."""
    batch = []
    for obj in iter_sentences(path, need_labels=False):
        del obj["_line"]
        batch.append(obj)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _rename_errors(name, path):
    """Re-raise CorpusErrors about the spooled file under the name the user gave."""
    def wrap(func, *args):
        try:
            return func(*args)
        except CorpusError as err:
            if str(err.path) == str(path) and name != str(path):
                raise CorpusError(name, err.line, err.problem) from None
            raise
    return wrap


def run(in_path=None, out_path=None, model=None, stdout=sys.stdout, log=sys.stderr, workers=None):
    """Predict for a file (or stdin). JSONL in → JSONL out; a raw readout → a table, or JSONL with OUT."""
    out = check_output_file(out_path, inputs=[in_path] if in_path not in (None, "-") else []) if out_path else None
    name, path, spooled = _source(in_path)
    try:
        guard = _rename_errors(name, path)
        if is_jsonl(name, path):
            if out is None:     # standard output cannot be taken back: validate every line first
                count = guard(_validate_jsonl, path)
                print(f"[predict] {count} sentences", file=log, flush=True)
            written = guard(_write_jsonl, name, path, model, out, stdout, log, workers)
            if out is not None:
                print(f"[predict] wrote {written} sentences to {out}", file=log, flush=True)
            return written
        return guard(_predict_raw, name, path, model, out, stdout, log)
    finally:
        if spooled:
            path.unlink(missing_ok=True)


def _write_jsonl(name, path, model, out, stdout, log, workers=None):
    from bench.streaming import chunk_bounds, default_workers, predict_parallel, read_chunk

    workers = workers or default_workers()
    bounds = list(chunk_bounds(path)) if workers > 1 else []
    workers = min(workers, len(bounds))
    if workers > 1:                     # a large file: chunks on several processes
        _, keys = read_chunk(path, *bounds[0])  # the first chunk's input errors come before any model error
        if len(set(keys)) != len(keys):
            _validate_jsonl(path)               # raises the repeated key's error, with its line
        predictor = Predictor(model)
        print(f"[predict] models: {predictor.describe()}; {len(bounds)} chunks on {workers} processes",
              file=log, flush=True)
        with _output(out, stdout) as handle:
            return predict_parallel(path, handle, predictor, bounds, workers, _validate_jsonl)
    batches = _batches(path)
    first = next(batches)       # the first batch's input errors come before any model error
    predictor = Predictor(model)
    print(f"[predict] models: {predictor.describe()}", file=log, flush=True)
    with _output(out, stdout) as handle:
        written = 0
        for batch in chain([first], batches):
            handle.write(predictor.encode(batch))
            written += len(batch)
    return written


@contextmanager
def _output(out, stdout):
    """Standard output, or a file that appears only complete (:func:`bench.atomic.atomic_file`)."""
    if out is None:
        yield stdout
        return
    with atomic_file(out) as handle:
        yield handle


def read_raw_readout(name: str, data: bytes) -> list[str]:
    """The sentences of a raw readout given as bytes; CorpusError for anything that is not UTF-8 text."""
    from bench.segment import split_sentences

    if len(data) > RAW_LIMIT:
        raise CorpusError(name, 0, f"raw text over {RAW_LIMIT // (1024 * 1024)} MB: give JSONL for large inputs")
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise CorpusError(name, line, f"not valid UTF-8 text (byte {err.start}); is this a binary file?") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = next((i for i, c in enumerate(text) if c == "\0" or 0xD800 <= ord(c) <= 0xDFFF), None)
    if bad is not None:
        raise CorpusError(name, text[:bad].count("\n") + 1, "contains NUL or surrogate characters: not text")
    sentences = [s for s in split_sentences(text) if has_visible(s)]
    if not sentences:
        raise CorpusError(name, 1, "no sentences found (no visible text)")
    return sentences


def _predict_raw(name, path, model, out, stdout, log):
    sentences = read_raw_readout(name, path.read_bytes())
    predictor = Predictor(model)
    print(f"[predict] {len(sentences)} sentences; models: {predictor.describe()}", file=log, flush=True)
    doc_id = Path(name).stem if name != "<stdin>" else "stdin"
    rows = [{"doc_id": doc_id, "sent_id": i, "text": t, **p}
            for i, (t, p) in enumerate(zip(sentences, predictor(sentences)))]
    if out is not None:
        with _output(out, stdout) as handle:
            handle.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        return len(rows)
    for r in rows:
        domains = ", ".join(r["domains"]) or "-"
        confidence = r.get("rhetoric_confidence")
        shown = f" ({confidence:.2f})" if confidence is not None and not math.isnan(confidence) else ""
        stdout.write(f"{r['sent_id']:>3}  {r['rhetoric'] + shown:<22}  [{domains}]\n     {r['text']}\n")
    return len(rows)
