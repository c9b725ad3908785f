"""The label schema, loaded from ``corpora/schema.json`` (labels are data, not code)."""

import json
from dataclasses import dataclass
from functools import lru_cache

from bench import paths


@dataclass(frozen=True)
class LabelSchema:
    """Label ids of both axes plus the controlled vocabularies of document metadata."""

    domains: tuple[str, ...]
    rhetoric: tuple[str, ...]
    precedence: tuple[str, ...]
    phenomena: tuple[str, ...]
    genres: tuple[str, ...]
    regions: tuple[str, ...]
    provenances: tuple[str, ...]

    def labels(self, task: str) -> tuple[str, ...]:
        """Label ids of ``task`` ("domain" or "rhetoric") in schema order."""
        return {"domain": self.domains, "rhetoric": self.rhetoric}[task]


@lru_cache(maxsize=None)
def load_schema(path=None) -> LabelSchema:
    raw = json.loads((path or paths.SCHEMA).read_text(encoding="utf-8"))
    ids = lambda entries: tuple(e["id"] for e in entries)  # noqa: E731
    return LabelSchema(
        domains=ids(raw["domain"]["labels"]),
        rhetoric=ids(raw["rhetoric"]["labels"]),
        precedence=tuple(raw["rhetoric"]["precedence"]),
        phenomena=ids(raw["phenomena"]),
        genres=tuple(raw["genres"]),
        regions=tuple(raw["regions"]),
        provenances=tuple(raw["provenances"]),
    )
