"""The manifest's content-addressed cache: text hash → dense vector, latent terms or unit vector.

Each kind is stored under its own model key (``<model>``, the sparse encoder's name,
``<model>#units``), so unchanged text is never encoded twice and ``rebuild``, ``backup`` and a
move to a Chroma server need no re-embedding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from assistant.embeddings.sparse import SparseVector
from assistant.index.manifest_schema import STORE_VECTOR
from assistant.storage import Database

BATCH = 500
"""Hashes per ``IN (…)`` list: well below SQLite's limit on bound parameters."""


class EmbeddingCache:
    """Vectors by (model, text hash) in the manifest's database (``self.db``)."""

    db: Database

    def count_cached_embeddings(self, model: str, text_hashes: Iterable[str]) -> int:
        """How many of ``text_hashes`` have a cached vector of ``model``."""
        return len(self.cached_hashes(model, set(text_hashes)))

    def cached_hashes(self, model: str, text_hashes: Iterable[str]) -> set[str]:
        """Which of ``text_hashes`` have a cached vector of ``model`` (the vectors stay unread)."""
        return {h for (h,) in self._select("text_hash", model, list(set(text_hashes)))}

    def cached_embeddings(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        """Dense vectors of ``model`` by text hash (hashes without one are left out)."""
        return {h: np.frombuffer(bytes(blob), dtype=np.float32) for h, blob in self._cached(model, hashes)}

    def store_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        """Cache dense vectors of ``model`` by text hash."""
        self._store(model, {h: np.asarray(v, dtype=np.float32).tobytes() for h, v in vectors.items()})

    def cached_sparse(self, model: str, hashes: list[str]) -> dict[str, SparseVector]:
        """Latent-term vectors of ``model`` by text hash."""
        return {h: SparseVector.from_bytes(bytes(blob)) for h, blob in self._cached(model, hashes)}

    def store_sparse(self, model: str, vectors: dict[str, SparseVector]) -> None:
        """Cache latent-term vectors of ``model`` by text hash."""
        self._store(model, {h: v.to_bytes() for h, v in vectors.items()})

    def _cached(self, model: str, hashes: list[str]) -> Iterator[tuple[Any, ...]]:
        return self._select("text_hash, vector", model, hashes)

    def _select(self, columns: str, model: str, hashes: list[str]) -> Iterator[tuple[Any, ...]]:
        """Rows of the cache for ``model`` and ``hashes``, in batches."""
        for start in range(0, len(hashes), BATCH):
            part = hashes[start : start + BATCH]
            marks = ",".join("?" * len(part))
            yield from self.db.execute(
                f"SELECT {columns} FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                [model, *part],
            ).rows

    def _store(self, model: str, blobs: dict[str, bytes]) -> None:
        with self.db.transaction() as tx:
            tx.executemany(STORE_VECTOR, [(model, h, blob) for h, blob in blobs.items()])
