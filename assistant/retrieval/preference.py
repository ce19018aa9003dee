"""Preferring some documents without requiring them: a follow-up question's earlier sources.

After „Wie viel spart Kessbach mit openDesk?“ the follow-up „Und was kostet das?“ most likely
asks about the documents the first answer cited. Their passages get a multiplicative boost of
the fused score before the diversity and window steps; other documents still compete, so an
answer that lies elsewhere is still found (filters are never narrowed).
"""

from __future__ import annotations

from collections.abc import Collection

from assistant.checks import check_bounds
from assistant.retrieval.base import Retriever, WrappingRetriever
from assistant.types import Passage


class PreferredDocuments(WrappingRetriever):
    """Wraps a retriever: passages of ``doc_ids`` score ``1 + boost`` times higher."""

    suffix = "preferred"

    def __init__(self, inner: Retriever, doc_ids: Collection[str], *, boost: float = 1.0) -> None:
        check_bounds("boost", boost, ge=0)
        super().__init__(inner)
        self.doc_ids = frozenset(doc_ids)
        self.boost = boost

    def reshape(self, query: str, found: list[Passage], k: int) -> list[Passage]:
        if not self.doc_ids:
            return found
        boosted = [
            Passage(
                chunk=p.chunk,
                score=p.score * (1 + self.boost),
                scores={**p.scores, "preferred": self.boost},
            )
            if p.chunk.doc_id in self.doc_ids
            else p
            for p in found
        ]
        return sorted(boosted, key=lambda p: -p.score)
