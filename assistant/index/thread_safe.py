"""An :class:`~assistant.index.Index` shared between request threads.

bm25s scoring allocates per query; only (re)building the lexical index after a write is
shared state, so it is built by one thread at a time. Chroma's client is thread-safe; the
manifest's reads may interleave, and writers take the API's exclusive lock.
"""

from __future__ import annotations

import threading

from assistant.config import Settings
from assistant.embeddings import Embedder
from assistant.index import Index
from assistant.index.lexical import LexicalIndex


class ThreadSafeIndex(Index):
    """An :class:`Index` whose lexical index is (re)built by one thread at a time."""

    def __init__(self, settings: Settings, embedder: Embedder, **kwargs: object) -> None:
        self._lexical_lock = threading.Lock()
        super().__init__(settings, embedder, **kwargs)  # type: ignore[arg-type]

    def lexical(self) -> LexicalIndex:
        with self._lexical_lock:
            return super().lexical()
