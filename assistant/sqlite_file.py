"""A small SQLite file shared by several processes (API workers, bot instances).

WAL journal so readers never block the writer, the schema created on first open, and one short
transaction per :meth:`SqliteFile.connect` block. Used by feedback, API keys and the Slack bot's
state; the index manifest has its own, longer-lived connection handling.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class SqliteFile:
    """One SQLite database file with its schema; rows come back as :class:`sqlite3.Row`."""

    def __init__(self, path: Path, schema: str, *, timeout_s: float = 10.0) -> None:
        self.path = path
        self.timeout_s = timeout_s
        path.parent.mkdir(parents=True, exist_ok=True)
        self._enable_wal()
        with self.connect() as db:
            db.executescript(schema)

    def _enable_wal(self) -> None:
        """Switch to WAL once. Two processes opening a new file at the same moment race here, and
        SQLite answers the loser's journal-mode change with "locked" without waiting: retry."""
        deadline = time.monotonic() + self.timeout_s
        while True:
            db = sqlite3.connect(self.path, timeout=self.timeout_s)
            try:
                db.execute("PRAGMA journal_mode=WAL")  # a file system without WAL keeps its mode
                return
            except sqlite3.OperationalError:
                if time.monotonic() >= deadline:
                    raise
            finally:
                db.close()
            time.sleep(0.05)

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one transaction: committed on success, rolled back on error, closed."""
        db = sqlite3.connect(self.path, timeout=self.timeout_s)
        db.row_factory = sqlite3.Row
        try:
            with db:
                yield db
        finally:
            db.close()
