"""Where the kit may write: one output policy for every command.

The kit deletes or replaces only what it created. Every command checks its
output path here *before* doing any work, and a refusal is one line
(:class:`OutputError`, exit status 2) with nothing written:

- an output **folder** must be new, empty, or carry the kit's marker
  (:data:`bench.atomic.MARKER`) for the same kind of output (``results``,
  ``models``, ``score``, ``eval-file``), and must not be a symbolic link;
- an output **file** must be a regular file or not exist yet; ``-`` means
  standard output;
- no output may be an input of the same run, lie inside ``corpora/``,
  ``bench/``, ``tests/``, ``.ci/`` or ``.git/``, be a model spec
  (``models/*.py``), or contain any of these (``OUT=.`` is refused);
- names that become file or folder names (``NAME=``, a predictions file's
  stem) are single safe path components.
"""

import os
import re
import stat
from pathlib import Path

from bench import paths
from bench.atomic import MARKER, folder_kind
from bench.errors import KitError

_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,79}")


class OutputError(KitError):
    """An output path or name the kit refuses to write."""


def protected() -> list[Path]:
    """Folders the kit never writes into (its sources, data, tests and history)."""
    root = paths.ROOT
    return [root / name for name in ("corpora", "bench", "tests", ".ci", ".git")]


def _resolved(path) -> Path:
    return Path(os.path.abspath(os.path.expanduser(str(path))))


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_common(path: Path, inputs, what: str):
    real = Path(os.path.realpath(path))
    for candidate in {path, real}:
        for folder in protected():
            if _inside(candidate, folder.resolve()):
                raise OutputError(f"{path}: refusing to write {what} inside {folder.name}/ (the kit's own "
                                  f"sources, data or history); choose another path")
            if _inside(folder.resolve(), candidate):
                raise OutputError(f"{path}: refusing to write {what} here: it contains {folder.name}/; "
                                  f"choose a new folder")
        models = (paths.MODEL_SPECS).resolve()
        if candidate.parent == models and candidate.suffix == ".py":
            raise OutputError(f"{path}: refusing to overwrite a model spec; choose another path")
        for source in inputs or ():
            source = Path(os.path.realpath(_resolved(source)))
            if candidate == source or _inside(source, candidate):
                raise OutputError(f"{path}: refusing to write {what} over an input of this run ({source})")


def check_output_folder(path, kind: str, inputs=()) -> Path:
    """``path`` as an absolute path if the kit may (re)place a ``kind`` folder there; else OutputError.

    A kit folder of another kind is refused too: scoring a file never replaces the leaderboard.
    """
    if str(path).strip() in ("", "-"):
        raise OutputError(f"{path!r}: an output folder needs a name")
    target = _resolved(path)
    _check_common(target, inputs, "an output folder")
    if target.is_symlink():
        raise OutputError(f"{path}: refusing to replace a symbolic link; give a real folder")
    if target.exists():
        if not target.is_dir():
            raise OutputError(f"{path}: exists and is not a folder; choose another path")
        if any(target.iterdir()):
            found = folder_kind(target)
            if found is None:
                raise OutputError(f"{path}: refusing to replace a folder the kit did not create (it is not empty "
                                  f"and has no {MARKER} marker); choose a new or empty folder")
            if found != kind:
                raise OutputError(f"{path}: holds another kind of kit output ({found}), not {kind}; "
                                  "choose another folder")
    return target


def check_output_file(path, inputs=()) -> Path | None:
    """``path`` as an absolute path if the kit may write a file there, None for ``-`` (stdout)."""
    if str(path) == "-":
        return None
    if not str(path).strip():
        raise OutputError(f"{path!r}: an output file needs a name")
    target = _resolved(path)
    _check_common(target, inputs, "an output file")
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        ancestor = target.parent
        while not ancestor.exists():
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise OutputError(f"{path}: {ancestor} is not a folder") from None
        return target                         # missing folders are made only when the output is written
    except OSError as err:
        raise OutputError(f"{path}: cannot be used as output ({err.strerror})") from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a symbolic link" if stat.S_ISLNK(mode) else "a device or special file"
        raise OutputError(f"{path}: is {kind}; give a regular file (or - for standard output)")
    return target


def safe_name(name: str, what: str = "NAME") -> str:
    """``name`` if it is one safe path component (letters, digits, . _ -, no leading dot); else OutputError."""
    if not _SAFE_NAME.fullmatch(name or "") or ".." in name:
        raise OutputError(f"{what}={name!r}: use 1-80 letters, digits, '.', '_' or '-', starting with a letter "
                          "or digit (no path separators, no '..')")
    return name
