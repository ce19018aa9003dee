"""Metadata filters over the lexical index as numpy masks.

A Python loop over every chunk's metadata cost about 2 µs per chunk (200 ms per filtered
search at 100k chunks, see bench/RESULTS.md); these columns are built once per loaded
index and answer a filter with a few vectorised comparisons.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.types import SearchFilters


class _Codes:
    """One string per chunk, stored as integer codes."""

    def __init__(self, values: Sequence[str]) -> None:
        self.lookup: dict[str, int] = {}
        self.codes = np.fromiter(
            (self.lookup.setdefault(v, len(self.lookup)) for v in values), dtype=np.int32, count=len(values)
        )

    def equals(self, value: str) -> np.ndarray:
        return self.codes == self.lookup.get(value, -1)

    def among(self, values: Sequence[str]) -> np.ndarray:
        wanted = [self.lookup[v] for v in values if v in self.lookup]
        return np.isin(self.codes, np.asarray(wanted, dtype=np.int32))


class _Members:
    """A list of names per chunk (Handlungsfelder, document sets), as chunk positions per name."""

    def __init__(self, lists: Sequence[Sequence[str]]) -> None:
        self.size = len(lists)
        positions: dict[str, list[int]] = {}
        for i, names in enumerate(lists):
            for name in names:
                positions.setdefault(name, []).append(i)
        self.positions = {name: np.asarray(p, dtype=np.int64) for name, p in positions.items()}

    def containing(self, name: str) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        if name in self.positions:
            mask[self.positions[name]] = True
        return mask


class FilterColumns:
    """The lexical index's per-chunk metadata, ready for :class:`SearchFilters`."""

    def __init__(self, meta: Sequence[dict[str, object]]) -> None:
        self.size = len(meta)
        self.doc_id = _Codes([str(m["doc_id"]) for m in meta])
        self.doc_type = _Codes([str(m["doc_type"]) for m in meta])
        self.municipality = _Codes([str(m["municipality"]) for m in meta])  # stored lower-cased
        self.handlungsfelder = _Members([m["hf"] for m in meta])  # type: ignore[misc]
        self.doc_sets = _Members([m["sets"] for m in meta])  # type: ignore[misc]

    def mask(self, filters: SearchFilters) -> np.ndarray:
        """True for every chunk that matches all given filters."""
        keep = np.ones(self.size, dtype=bool)
        if filters.doc_type:
            keep &= self.doc_type.equals(filters.doc_type)
        if filters.handlungsfeld:
            keep &= self.handlungsfelder.containing(filters.handlungsfeld)
        if filters.municipality:
            keep &= self.municipality.equals(filters.municipality.lower())
        if filters.doc_ids is not None:
            keep &= self.doc_id.among(list(filters.doc_ids))
        if filters.doc_sets is not None:
            in_any = np.zeros(self.size, dtype=bool)
            for name in filters.doc_sets:
                in_any |= self.doc_sets.containing(name)
            keep &= in_any
        return keep
