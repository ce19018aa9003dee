"""Single-stage retrievers over the index: dense (Chroma) and lexical (BM25)."""

from __future__ import annotations

from assistant.index import Index
from assistant.retrieval.base import check_k
from assistant.types import Passage, SearchFilters


class DenseRetriever:
    """Embedding similarity in Chroma; filters applied inside the vector query."""

    name = "dense"

    def __init__(self, index: Index) -> None:
        self.index = index

    def retrieve(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Passage]:
        check_k(k)
        return self.index.dense_search(query, k, filters)


class LexicalRetriever:
    """BM25 with German stemming and decompounding."""

    name = "lexical"

    def __init__(self, index: Index) -> None:
        self.index = index

    def retrieve(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Passage]:
        check_k(k)
        return self.index.lexical_search(query, k, filters)
