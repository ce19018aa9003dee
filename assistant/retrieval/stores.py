"""Single-stage retrievers over the index: dense (Chroma) and lexical (BM25)."""

from __future__ import annotations

from typing import Literal

from assistant.index import Index
from assistant.retrieval.base import check_k
from assistant.types import Passage, SearchFilters

StoreName = Literal["dense", "lexical"]


class IndexRetriever:
    """One ranking the index computes itself: ``dense`` (embedding similarity in Chroma, filters
    applied inside the vector query) or ``lexical`` (BM25 with German stemming and decompounding)."""

    def __init__(self, index: Index, name: StoreName) -> None:
        self.index = index
        self.name: str = name
        self._search = index.dense_search if name == "dense" else index.lexical_search

    def retrieve(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Passage]:
        check_k(k)
        return self._search(query, k, filters)
