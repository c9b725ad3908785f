"""Publish outputs all-or-nothing, and verify them before trusting them.

A folder the kit writes (results, released models, scored systems) is built in
a staging folder beside its target and published with two renames on the same
filesystem: the old folder is renamed aside (``.old-<name>-<pid>``), the new one
renamed into place, then the old one deleted. A kill at any moment leaves either
the old folder, the new one, or the old one renamed aside; :func:`recover` (run
before every write and every read) puts an aside folder back when its target is
missing and clears what a dead run left behind.

Every published folder carries :data:`MARKER` (it proves the kit made it, so the
kit may replace it) and, written last, :data:`MANIFEST_FILE` listing every file
with its sha256. :func:`verify` refuses a folder whose manifest is missing or
does not match, so a half-written or tampered folder is never trusted.
"""

import hashlib
import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from bench.errors import KitError

MARKER = ".readout-bench"
MANIFEST_FILE = "FILES.sha256.json"
_MARKER_TEXT = "Written by readout-bench; the kit may replace this folder. Do not put your own files here.\nkind: {kind}\n"


class IntegrityError(KitError):
    """A published folder that is incomplete, altered or not the kit's own."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _leftovers(target: Path, kind: str):
    """(path, pid) of ``.staging-`` or ``.old-`` folders and files left beside ``target``."""
    prefix = f".{kind}-{target.name}-"
    if not target.parent.is_dir():
        return []
    out = []
    for path in target.parent.iterdir():
        pid = path.name[len(prefix):].split("-", 1)[0] if path.name.startswith(prefix) else ""
        if pid.isdigit():                        # ".staging-results-with-extras-…" is another target's
            out.append((path, int(pid)))
    return sorted(out)


def _remove(path: Path):
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def recover(target) -> None:
    """Repair what a killed publication of ``target`` left: restore an aside folder, drop dead staging."""
    target = Path(target)
    aside = [(p, pid) for p, pid in _leftovers(target, "old") if not _pid_alive(pid)]
    if not target.exists() and aside:
        newest = max(aside, key=lambda item: item[0].stat().st_mtime)[0]
        os.rename(newest, target)
        aside = [(p, pid) for p, pid in aside if p != newest]
    for path, _ in aside:
        _remove(path)
    for path, pid in _leftovers(target, "staging"):
        if not _pid_alive(pid):
            _remove(path)


def write_manifest(folder: Path, unlisted=()) -> dict:
    """List every file under ``folder`` with its sha256, in :data:`MANIFEST_FILE` (written last).

    Files under the ``unlisted`` sub-folders (bulky by-products that are not
    committed and that no reader uses, such as per-fold predictions) are left out.
    """
    files = {}
    for p in sorted(folder.rglob("*")):
        name = p.relative_to(folder).as_posix()
        if p.is_file() and p.name != MANIFEST_FILE and not name.startswith(tuple(unlisted)):
            files[name] = sha256_file(p)
    (folder / MANIFEST_FILE).write_text(json.dumps(files, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return files


def verify(folder, needed=()) -> dict:
    """The manifest of a published folder, after checking every listed file; raises IntegrityError."""
    folder = Path(folder)
    recover(folder)
    manifest = folder / MANIFEST_FILE
    if not manifest.is_file():
        raise IntegrityError(f"{folder}: not a complete readout-bench output (no {MANIFEST_FILE}); "
                             "run the command that writes it again")
    try:
        files = json.loads(manifest.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise IntegrityError(f"{manifest}:1: manifest is not valid JSON; run the command that writes it again") from None
    if not isinstance(files, dict):
        raise IntegrityError(f"{manifest}:1: manifest must map file names to sha256 digests")
    for name in needed:
        if name not in files:
            raise IntegrityError(f"{folder}: {name} is not listed in {MANIFEST_FILE}")
    for name, digest in files.items():
        path = folder / name
        if not path.is_file() or path.is_symlink() or sha256_file(path) != digest:
            raise IntegrityError(f"{path}: missing or altered since it was written (sha256 does not match "
                                 f"{MANIFEST_FILE}); run the command that writes it again")
    return files


def folder_kind(path: Path) -> str | None:
    """The kind of output a kit folder holds (``results``, ``models``, ``score``, ``eval-file``), else None."""
    try:
        text = (path / MARKER).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        if line.startswith("kind: "):
            return line[6:].strip()
    return "unknown"


@contextmanager
def atomic_folder(target, kind: str, unlisted=()):
    """Yield a staging folder beside ``target``; on success it replaces ``target`` whole.

    The staging folder gets the kit's marker naming ``kind``; the manifest is
    written last, after the body returns (``unlisted``: see :func:`write_manifest`).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{target.name}-{os.getpid()}-", dir=target.parent))
    try:
        (staging / MARKER).write_text(_MARKER_TEXT.format(kind=kind), encoding="utf-8")
        yield staging
        write_manifest(staging, unlisted)
        aside = target.parent / f".old-{target.name}-{os.getpid()}"
        if target.exists():
            os.rename(target, aside)
        os.rename(staging, target)
        _remove(aside)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@contextmanager
def atomic_file(path):
    """Yield a text handle on a temporary file beside ``path``; renamed onto ``path`` only on success."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                         prefix=f".staging-{path.name}-{os.getpid()}-")
    try:
        with handle:
            yield handle
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def write_text_atomic(path, text: str):
    """Write ``text`` to ``path`` through a temporary file in the same folder, then rename."""
    with atomic_file(path) as handle:
        handle.write(text)
