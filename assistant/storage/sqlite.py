"""The embedded default: one SQLite file (WAL), safe for several processes on one host."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from assistant.storage.database import Database


class SqliteDatabase(Database):
    """A SQLite file; writers serialise with ``BEGIN IMMEDIATE``, readers never block (WAL)."""

    dialect = "sqlite"

    def __init__(self, path: Path, *, timeout_s: float = 30.0) -> None:
        super().__init__()
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.description = str(path)
        self.timeout_s = timeout_s
        self._enable_wal()

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

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            self.path, timeout=self.timeout_s, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    def _begin(self, connection: Any, *, write: bool) -> None:
        if write:
            connection.execute("BEGIN IMMEDIATE")
        else:
            connection.execute("BEGIN")
            connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # the snapshot starts here

    @property
    def integrity_errors(self) -> tuple[type[Exception], ...]:
        return (sqlite3.IntegrityError,)

    def _translate(self, sql: str) -> str:
        return sql

    def schema_types(self) -> dict[str, str]:
        return {"blob": "BLOB", "seq": "rowid", "seq_column": ""}

    def backup_to(self, path: Path) -> None:
        """A consistent copy of the whole file (online backup; writers may continue)."""
        target = sqlite3.connect(path)
        try:
            self._connection().backup(target)
        finally:
            target.close()

    def restore_from(self, path: Path) -> None:
        """Replace this file's content with the SQLite copy at ``path`` (open connections see it)."""
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(self._connection())
        finally:
            source.close()
