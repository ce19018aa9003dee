"""Document sets a key may see, enforced inside the queries (never by filtering results afterwards).

A non-admin key's filters always carry ``doc_sets`` = its allowed sets (narrowed by what the
request asks for). Chroma's ``where`` and the BM25 weight mask then only consider chunks
flagged with one of those sets; chunks of documents without any set carry only the
``set__none`` flag and so match no non-admin query. Admin keys see everything.
"""

from __future__ import annotations

from assistant.types import DocumentRecord, SearchFilters
from kommunal.api.keys import ApiKey


def scoped_filters(key: ApiKey, filters: SearchFilters | None = None) -> SearchFilters:
    """``filters`` restricted to the document sets ``key`` may read."""
    filters = filters or SearchFilters()
    if key.is_admin:
        return filters
    allowed = set(key.doc_sets)
    wanted = allowed if filters.doc_sets is None else allowed & set(filters.doc_sets)
    return filters.model_copy(update={"doc_sets": sorted(wanted)})


def can_see(key: ApiKey, record: DocumentRecord) -> bool:
    """Whether ``key`` may list, read or delete the document."""
    return key.is_admin or bool(set(key.doc_sets) & set(record.doc_sets))


def can_change(key: ApiKey, record: DocumentRecord) -> bool:
    """Whether ``key`` may replace or delete the document: every set it is in is one of the key's.

    Seeing a document is not enough to change it: a document in ``oeffentlich`` and ``intern``
    replaced through an ``oeffentlich`` key would vanish from ``intern`` too.
    """
    return key.is_admin or (bool(record.doc_sets) and set(record.doc_sets) <= set(key.doc_sets))
