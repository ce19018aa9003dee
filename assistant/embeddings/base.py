"""The embedding interface every backend implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors.

    ``name`` identifies model and variant; the index records it, and an index built with
    one model is never queried with another. ``max_tokens`` is the model's input limit:
    the chunker keeps every chunk at or below it so nothing is silently cut.
    """

    name: str
    dim: int
    max_tokens: int

    def count_tokens(self, text: str) -> int:
        """Tokens the model would see for ``text`` as a passage (special tokens included)."""
        ...

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Vectors for passages, shape (len(texts), dim)."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """Vector for one search query, shape (dim,)."""
        ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    """L2-normalise rows (float32); zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms
