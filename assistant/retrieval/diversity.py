"""Keeping the top results from being five neighbours of one paragraph."""

from __future__ import annotations

from assistant.retrieval.base import Retriever, WrappingRetriever
from assistant.types import Passage


def diversify(passages: list[Passage], k: int, *, per_document: int = 2, min_gap: int = 2) -> list[Passage]:
    """Best-first selection that skips a passage adjacent to an already chosen one of the same
    document and caps passages per document; skipped passages fill up if fewer than ``k`` remain."""
    chosen: list[Passage] = []
    skipped: list[Passage] = []
    for passage in passages:
        same_doc = [c for c in chosen if c.chunk.doc_id == passage.chunk.doc_id]
        near = any(abs(c.chunk.position - passage.chunk.position) < min_gap for c in same_doc)
        if near or len(same_doc) >= per_document:
            skipped.append(passage)
            continue
        chosen.append(passage)
        if len(chosen) == k:
            return chosen
    return (chosen + skipped)[:k]


class DiverseRetriever(WrappingRetriever):
    """Wraps a retriever: fetches more candidates, returns a diversified top ``k``."""

    suffix = "diverse"

    def __init__(
        self, inner: Retriever, *, candidates: int = 30, per_document: int = 2, min_gap: int = 2
    ) -> None:
        super().__init__(inner, candidates)
        self.per_document = per_document
        self.min_gap = min_gap

    def reshape(self, query: str, found: list[Passage], k: int) -> list[Passage]:
        return diversify(found, k, per_document=self.per_document, min_gap=self.min_gap)
