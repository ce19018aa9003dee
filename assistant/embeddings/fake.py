"""A deterministic hashing embedder for tests of plumbing where model quality does not matter."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from assistant.embeddings.base import normalise

_WORD = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """Bag of hashed words: same text, same vector; shared words, similar vectors."""

    max_tokens = 512

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.name = f"fake/hashing-{dim}"
        self.calls = 0

    def count_tokens(self, text: str) -> int:
        return len(_WORD.findall(text)) + 2

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
            vector[int.from_bytes(digest, "little") % self.dim] += 1.0
        return vector

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.calls += len(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return normalise(np.stack([self._vector(text) for text in texts]))

    def embed_query(self, text: str) -> np.ndarray:
        return normalise(self._vector(text))
