"""Reranking by the reader: passages whose best unit answers the question move up.

A retriever decorator (``Retriever`` in, ``Retriever`` out): it takes the inner retriever's top
``candidates`` (reader windows, so the units a reader would quote are there), reads them with the
reader and orders them by ``(1 - reader_share) · fused score + reader_share · best unit score``,
both min-max scaled over the candidates. Whether search and ask use it is decided by the evals
(``hybrid-window-reranked`` against ``hybrid-window``, README: Retrieval defaults).
"""

from __future__ import annotations

from assistant.checks import check_bounds
from assistant.generation.reader import Reader
from assistant.retrieval.base import Retriever, WrappingRetriever
from assistant.types import Passage


def _scaled(values: list[float]) -> list[float]:
    low, high = min(values), max(values)
    return [(v - low) / ((high - low) or 1.0) for v in values]


class ReaderReranker(WrappingRetriever):
    """Wraps a retriever: reorders its top ``candidates`` by the reader's best unit per passage."""

    suffix = "reranked"

    def __init__(self, inner: Retriever, reader: Reader, *, candidates: int = 20, reader_share: float = 0.5):
        check_bounds("reader_share", reader_share, ge=0, le=1)
        super().__init__(inner, candidates)
        self.reader = reader
        self.reader_share = reader_share

    def reshape(self, query: str, found: list[Passage], k: int) -> list[Passage]:
        if len(found) <= 1:
            return found[:k]
        best: dict[int, float] = {}
        for unit in self.reader.read(query, found).units:
            best.setdefault(unit.passage_rank, unit.score)  # units come best first
        fused = _scaled([p.score for p in found])
        read = _scaled([best.get(rank, min(best.values(), default=0.0)) for rank in range(len(found))])
        share = self.reader_share
        order = sorted(range(len(found)), key=lambda r: -((1 - share) * fused[r] + share * read[r]))
        return [
            found[r].model_copy(update={"scores": {**found[r].scores, "reader": read[r]}}) for r in order[:k]
        ]
