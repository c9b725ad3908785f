"""Released model files that cannot run code when loaded: skops, byte-reproducible, with a type allow-list.

Pickle (and joblib) files execute whatever they name when loaded, so a swapped
file in ``models/trained/`` could run anything. Released models are written with
skops (``skops.io``), which stores an estimator as a JSON schema plus numpy
arrays and rebuilds it without unpickling. Loading refuses any type outside
:func:`trusted`: scikit-learn, numpy and scipy types, plus the kit's own
featuriser and floor classes listed in :data:`KIT_TYPES`.

skops names array files and memo entries by ``id()``, and zip entries carry the
time of writing; :func:`dumps` renumbers both in order of appearance and fixes
the timestamps, so the same fitted model always gives the same bytes.
"""

import io
import re
import zipfile
from bench.errors import KitError

KIT_TYPES = frozenset({"bench.features.TfidfVectorizer", "bench.floors.KeywordRules",
                       "bench.floors.strip_act_words"})
TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.")
_ID = re.compile(r'("__id__": )(\d+)|"(\d+)\.npy"')


class UnsafeArtifact(KitError):
    """A model file holding a type the kit does not trust, or not a skops file at all."""


def _put(archive, name: str, data: bytes):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


# Attributes that scikit-learn caches by memory address (``id()``): they would make otherwise
# identical files differ from run to run, and are recomputed when missing.
VOLATILE_ATTRIBUTES = ("_stop_words_id",)


def _drop_volatile(obj, seen=None):
    """Remove run-dependent cache attributes from an estimator tree (in place)."""
    seen = seen if seen is not None else set()
    if id(obj) in seen or not hasattr(obj, "__dict__"):
        return
    seen.add(id(obj))
    for name in VOLATILE_ATTRIBUTES:
        obj.__dict__.pop(name, None)
    for value in list(vars(obj).values()):
        for child in (value if isinstance(value, (list, tuple)) else [value]):
            child = child[1] if isinstance(child, tuple) and len(child) == 2 else child
            if hasattr(child, "get_params") or isinstance(child, (list, tuple)):
                _drop_volatile(child, seen)


def dumps(estimator) -> bytes:
    """skops bytes of ``estimator`` that depend only on the estimator (no ids, no timestamps)."""
    import skops.io as sio

    _drop_volatile(estimator)
    source = zipfile.ZipFile(io.BytesIO(sio.dumps(estimator)))
    schema = source.read("schema.json").decode("utf-8")
    numbers: dict[str, int] = {}

    def renumber(match):
        if match.group(2) is not None:
            return f"{match.group(1)}{numbers.setdefault(match.group(2), len(numbers))}"
        return f'"{numbers.setdefault(match.group(3), len(numbers))}.npy"'

    schema = _ID.sub(renumber, schema)
    arrays = [i.filename for i in source.infolist() if i.filename != "schema.json"]
    unknown = [name for name in arrays if name[:-4] not in numbers]
    if unknown:
        raise UnsafeArtifact(f"skops wrote an array the schema does not name: {unknown[0]}")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        _put(archive, "schema.json", schema.encode("utf-8"))
        for name in sorted(arrays, key=lambda n: numbers[n[:-4]]):
            _put(archive, f"{numbers[name[:-4]]}.npy", source.read(name))
    return out.getvalue()


def trusted(type_name: str) -> bool:
    return type_name in KIT_TYPES or type_name.startswith(TRUSTED_PREFIXES)


def loads(data: bytes, where: str = "model file"):
    """The estimator in skops ``data``; raises UnsafeArtifact for an untrusted type or a non-skops file."""
    import skops.io as sio

    try:
        names = sio.get_untrusted_types(data=data)
    except Exception as err:             # a truncated, non-zip or malformed file: never unpickled
        raise UnsafeArtifact(f"{where}: not a readable skops model file ({type(err).__name__})") from None
    refused = [n for n in names if not trusted(n)]
    if refused:
        raise UnsafeArtifact(f"{where}: holds type(s) the kit does not trust: {', '.join(refused[:3])}; "
                             "refusing to load it")
    try:
        return sio.loads(data, trusted=names)
    except Exception as err:
        raise UnsafeArtifact(f"{where}: cannot be rebuilt ({type(err).__name__}: {err})") from None
