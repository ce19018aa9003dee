"""What Chroma stores beside each vector, and search filters translated into its ``where``.

Chroma filters on flat metadata only, so lists (Handlungsfelder, document sets) become
boolean flags; the same flags are what :func:`where_clause` asks for.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.errors import InvalidRequestError
from assistant.types import Chunk, SearchFilters

NO_SET_FLAG = "set__none"


def set_flag(name: str) -> str:
    """Metadata key marking membership in a document set (Chroma has no list filters)."""
    return "set_" + re.sub(r"[^a-z0-9_]", "_", name.lower())


def chunk_metadata(chunk: Chunk) -> dict[str, str | int | float | bool]:
    """Flat metadata Chroma can filter on. Lists become boolean flags; None is left out."""
    meta: dict[str, str | int | float | bool] = {
        "doc_id": chunk.doc_id,
        "doc_type": chunk.doc_type,
        "position": chunk.position,
    }
    if chunk.municipality:
        meta["municipality"] = chunk.municipality.lower()
    if chunk.page is not None:
        meta["page"] = chunk.page
    for slug in chunk.handlungsfelder:
        meta[f"hf_{slug}"] = True
    for name in chunk.doc_sets:
        meta[set_flag(name)] = True
    if not chunk.doc_sets:
        meta[NO_SET_FLAG] = True
    return meta


MAX_WHERE_TERMS = 200
"""Most ``$or`` terms handed to Chroma in one query. Its SQLite layer rejects an expression
tree of ~1,000 terms ("Expression tree is too large") and crashed the process at 10,000
(tests/api/test_filter_limits.py probes 900 as still working)."""


def where_clause(filters: SearchFilters | None) -> dict[str, Any] | None:
    """Translate filters into a Chroma ``where``; applied inside the vector query.

    Raises :class:`InvalidRequestError` for more than :data:`MAX_WHERE_TERMS` document sets:
    filters built with ``model_copy`` skip :class:`SearchFilters`' own limit, so the index
    layer checks again before anything reaches Chroma.
    """
    if filters is None:
        return None
    if filters.doc_sets is not None and len(set(filters.doc_sets)) > MAX_WHERE_TERMS:
        raise InvalidRequestError(
            f"Zu viele Dokumentmengen im Filter ({len(set(filters.doc_sets))}; höchstens {MAX_WHERE_TERMS})."
        )
    clauses: list[dict[str, Any]] = []
    if filters.doc_type:
        clauses.append({"doc_type": filters.doc_type})
    if filters.handlungsfeld:
        clauses.append({f"hf_{filters.handlungsfeld}": True})
    if filters.municipality:
        clauses.append({"municipality": filters.municipality.lower()})
    if filters.doc_ids is not None:
        clauses.append({"doc_id": {"$in": list(filters.doc_ids) or ["\x00"]}})
    if filters.doc_sets is not None:
        flags: list[dict[str, Any]] = [{set_flag(name): True} for name in sorted(set(filters.doc_sets))]
        if not flags:
            flags = [{"doc_id": "\x00"}]  # no set allowed: match nothing
        clauses.append(flags[0] if len(flags) == 1 else {"$or": flags})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
