"""Prediction of a large JSONL file on several processes, in order and in bounded memory.

The file is cut at line ends into chunks of about :data:`CHUNK_BYTES`. Each
worker process reads its chunk, validates every line exactly as
:func:`bench.corpus.iter_sentences` does, predicts, and sends back the encoded
output lines and the chunk's ``(doc_id, sent_id)`` keys. The parent writes the
chunks in file order and checks the keys for repeats across chunks, holding at
most two chunks per worker in flight, so memory does not grow with the input.

Errors keep the single-process semantics: when any chunk is invalid (or a key
repeats), the workers are stopped and the file is validated again in one pass,
which raises the first error in file order with its true line number. The
caller writes through an atomic file, so nothing is left behind.

On Linux the workers are forked from the parent after it has loaded the model,
so the model is loaded once (call :func:`bench.predict.run` with ``workers=1``
from a program that runs threads of its own); elsewhere they are spawned and
each loads it. Each worker's native thread pools are pinned to one thread.
Workers reopen the input by name: do not replace the file while it is read.
"""

import multiprocessing
import os
import sys
from collections import deque

from bench.corpus import CorpusError, _parse_line, check_sentence, load_schema
from bench.errors import KitError

CHUNK_BYTES = 1 << 20           # about 6,500 corpus sentences: large enough to vectorise, small enough to balance
_STATE = {}                     # the worker's predictor and schema


def chunk_bounds(path, size: int | None = None):
    """``(offset, length, first_line)`` of consecutive chunks of whole lines covering the file.

    The file is read ``size`` bytes at a time (default :data:`CHUNK_BYTES`) and cut
    after the last newline read so far; a chunk ends just after a newline unless it
    is the file's unterminated end, and a line longer than ``size`` is never split.
    Each byte is searched once, so a file without newlines costs one pass too.
    """
    size = size or CHUNK_BYTES
    with open(path, "rb") as handle:
        offset, line, held = 0, 1, 0          # held: bytes read since the last cut (no newline among them)
        while True:
            block = handle.read(size)
            if not block:
                if held:
                    yield offset, held, line
                return
            cut = block.rfind(b"\n")
            if cut < 0:
                held += len(block)
                continue
            length = held + cut + 1
            yield offset, length, line
            line += block.count(b"\n", 0, cut + 1)
            offset += length
            held = len(block) - cut - 1


def read_chunk(path, offset: int, length: int, first_line: int):
    """Validated sentence objects and their keys for one chunk; CorpusError names the true line."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        data = handle.read(length)
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    schema = _STATE.get("schema") or load_schema()
    sentences, keys = [], []
    for number, raw in enumerate(lines, start=first_line):
        obj = _parse_line(path, number, raw)
        if obj is not None:
            keys.append(check_sentence(path, number, obj, schema, need_labels=False))
            sentences.append(obj)
    return sentences, keys


def _work(path, offset, length, first_line):
    """Run in a worker: ``("ok", keys, text)`` or ``("error", message)``; never raises."""
    try:
        sentences, keys = read_chunk(path, offset, length, first_line)
        return "ok", keys, _STATE["predictor"].encode(sentences) if sentences else ""
    except Exception as err:                  # noqa: BLE001 — reported to the parent as text
        return "error", f"{type(err).__name__}: {err}"


def _initialise(model, predictor_factory):
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    _STATE["schema"] = load_schema()
    if "predictor" not in _STATE:             # spawned: load here; forked: inherited from the parent
        _STATE["predictor"] = predictor_factory(model)


def default_workers() -> int:
    """Processes for prediction: the CPUs this process may use (1 inside a daemonic process, which cannot fork)."""
    if multiprocessing.current_process().daemon:
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:                     # not Linux
        return max(1, os.cpu_count() or 1)


def predict_parallel(path, handle, predictor, bounds, workers, validate):
    """Write predictions for the chunks ``bounds`` of ``path`` to ``handle`` in order; returns the count.

    ``predictor`` is already loaded (workers inherit it when forked);
    ``validate(path)`` is the one-pass validator run when any chunk fails, so that
    the error raised is the first in the file. A worker that dies (killed, out of
    memory) stops the run with a KitError rather than a wait.
    """
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork shares the loaded model; only on Linux, where it is the default and safe for this use
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    _STATE["predictor"] = predictor
    seen, written, failure = set(), 0, None
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method), initializer=_initialise,
                               initargs=(predictor.requested, type(predictor)))
    try:
        pending, chunks = deque(), iter(bounds)
        for bound in chunks:
            pending.append(pool.submit(_work, str(path), *bound))
            if len(pending) >= 2 * workers:
                break
        while pending:
            try:
                result = pending.popleft().result()
            except BrokenProcessPool:
                raise KitError("prediction stopped: a worker process died (out of memory, or killed); "
                               "an output file is not published") from None
            nxt = next(chunks, None)
            if nxt is not None:
                pending.append(pool.submit(_work, str(path), *nxt))
            if result[0] == "error":
                failure = result[1]
                break
            _, keys, text = result
            before = len(seen)
            seen.update(map(hash, keys))      # 64-bit digests, as iter_sentences keeps them
            if len(seen) - before != len(keys):
                failure = "a repeated (doc_id, sent_id)"
                break
            handle.write(text)
            written += len(keys)
    finally:
        _STATE.pop("predictor", None)
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
    if failure is not None:
        validate(path)                          # raises the first error, with its line
        raise KitError(f"prediction failed in a worker process: {failure}")
    if written == 0:
        validate(path)                          # a file of blank lines: the validator's error
    return written
