"""What one API process holds: the index and assistant, the key store, limits and locks.

Embedded Chroma belongs to one process, so the app opens exactly one index, shared between
request threads (:meth:`Assistant.open` with ``shared=True``: a locked embedder unless it is
reentrant, the lexical index built by one thread at a time). The manifest shares one SQLite
connection between threads: reads may interleave, but a write transaction must not be seen
half-done, so writes take the exclusive side of :attr:`Runtime.rw` (against a Chroma server
also a file lock, so writers in several workers or the CLI serialise too).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from assistant.config import Settings
from assistant.feedback import FeedbackStore
from assistant.index.lock import IndexLock
from assistant.service import Assistant
from assistant.types import Answer
from kommunal.api.concurrency import ReadWriteLock
from kommunal.api.keys import KeyStore
from kommunal.api.metrics import ApiMetrics
from kommunal.api.ratelimit import RateLimiter
from kommunal.api.recent import RecentItems

log = logging.getLogger(__name__)


class Runtime:
    """Per-process state of the API; created by ``create_app``, closed on shutdown."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.keys = KeyStore.for_settings(settings)
        self.limiter = RateLimiter(settings.api_rate_limit_per_minute, settings.api_rate_limit_burst)
        self.feedback = FeedbackStore.for_settings(settings)
        self.rw = ReadWriteLock()
        self.answers: RecentItems[Answer] = RecentItems(1000)
        self.drafts: RecentItems[object] = RecentItems(100)
        self.metrics = ApiMetrics()
        self.uploads_dir: Path = settings.data_dir / "uploads" / settings.index_name
        self._open_lock = threading.Lock()
        self._assistant: Assistant | None = None

    def assistant(self) -> Assistant:
        """The process's assistant, opening the index on first use.

        :raises IndexUnavailableError: the index is locked by another process or Chroma is unreachable.
        """
        with self._open_lock:
            if self._assistant is None:
                assistant = Assistant.open(self.settings, shared=True, purpose="api")
                try:
                    assistant.index.lexical()  # build once now rather than in the first request
                    assistant.answerer  # noqa: B018 - creates the answerer before threads race for it
                except BaseException:
                    assistant.close()
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
        self.metrics.close()
        with self._open_lock:
            if self._assistant is not None:
                self._assistant.close()
                self._assistant = None
