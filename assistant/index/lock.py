"""Locks around an index: a file lock on the index directory, or a PostgreSQL advisory lock.

Chroma's PersistentClient is not process-safe (a second process can hang for minutes on
SQLite's busy timeout); failing fast with a clear message is the better behaviour. Writers
against a Chroma server serialise on a file in the data directory (one host) or, with the state
in PostgreSQL, on an advisory lock in that database (several hosts).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import time
from pathlib import Path

from assistant.config import Settings
from assistant.errors import IndexLockedError, IndexUnavailableError


class IndexLock:
    """Exclusive advisory lock (flock) held for the lifetime of the object; released by the OS on exit."""

    def __init__(self, path: Path, *, timeout_s: float = 3.0, purpose: str = "") -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(self._fd, 200, 0).decode(errors="replace").strip() or "unbekannt"
                    os.close(self._fd)
                    raise IndexLockedError(
                        f"Der Index {path.parent} wird bereits von einem anderen Prozess verwendet "
                        f"({holder}). "
                        "Ein eingebetteter Index gehört immer nur einem Prozess. Beenden Sie den anderen "
                        "Prozess, oder betreiben Sie mehrere Prozesse gegen einen Chroma-Server "
                        "(ASSISTANT_CHROMA_URL, siehe README: Server-Betrieb)."
                    ) from None
                time.sleep(0.1)
        os.ftruncate(self._fd, 0)
        os.pwrite(self._fd, f"PID {os.getpid()} {purpose}".strip().encode(), 0)

    def release(self) -> None:
        if self._fd >= 0:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = -1


class DatabaseLock:
    """The writers' lock of one index as a PostgreSQL session advisory lock.

    Replicas on several hosts share no file, so ingests and rebuilds queue on the database
    instead. The lock belongs to one dedicated connection: a writer that crashes (even SIGKILL)
    or loses its host drops the connection, and PostgreSQL releases the lock at once (after TCP
    keepalive at worst) — no lease to wait out. The holder's PID and purpose are its connection's
    ``application_name``, so the message names who holds it.
    """

    def __init__(self, url: str, name: str, *, timeout_s: float = 3.0, purpose: str = "") -> None:
        import psycopg

        from assistant.storage.postgres import redact

        self.key = int.from_bytes(
            hashlib.sha256(f"kommunal-assistant:{name}".encode()).digest()[:8], "big", signed=True
        )
        label = f"kommunal-assistant PID {os.getpid()} {purpose}".strip()[:63]
        try:
            self._connection = psycopg.connect(
                url, autocommit=True, connect_timeout=10, application_name=label
            )
        except psycopg.OperationalError as exc:
            raise IndexUnavailableError(
                f"Die Datenbank {redact(url)} ist nicht erreichbar ({exc}). "
                "Prüfen Sie ASSISTANT_DATABASE_URL und ob der PostgreSQL-Server läuft."
            ) from exc
        deadline = time.monotonic() + timeout_s
        while not self._try_lock():
            if time.monotonic() >= deadline:
                holder = self._holder() or "unbekannt"
                self._connection.close()
                raise IndexLockedError(
                    f"In den Index {name!r} schreibt bereits ein anderer Prozess ({holder}). "
                    "Schreibvorgänge (Einlesen, Hochladen, rebuild, backup) laufen nacheinander; "
                    "versuchen Sie es nach dessen Ende erneut oder erhöhen Sie ASSISTANT_LOCK_TIMEOUT_S."
                )
            time.sleep(0.1)

    def _try_lock(self) -> bool:
        row = self._connection.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
        return bool(row and row[0])

    def _holder(self) -> str | None:
        # A bigint advisory key is stored as classid (high 32 bits) and objid (low 32 bits).
        unsigned = self.key & 0xFFFFFFFFFFFFFFFF
        row = self._connection.execute(
            "SELECT a.application_name, a.client_addr FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s AND l.objid = %s"
            " AND l.objsubid = 1 LIMIT 1",
            (unsigned >> 32, unsigned & 0xFFFFFFFF),
        ).fetchone()
        if row is None:
            return None
        return f"{row[0]} auf {row[1]}" if row[1] else str(row[0])

    def release(self) -> None:
        if not self._connection.closed:
            self._connection.close()  # a closed session holds no advisory lock


def open_index_lock(settings: Settings, *, write: bool, purpose: str = "") -> IndexLock | DatabaseLock | None:
    """The lock an index open needs: embedded Chroma belongs to one process (``index.lock``);
    against a server only writers serialise — on ``write.lock`` in the data directory, or on a
    PostgreSQL advisory lock when the state is in a database (replicas on several hosts)."""
    directory = settings.index_dir
    if not settings.chroma_url:
        return IndexLock(directory / "index.lock", timeout_s=settings.lock_timeout_s, purpose=purpose)
    if not write:
        return None
    if settings.database_url:
        url = settings.database_url.get_secret_value()
        return DatabaseLock(url, settings.index_name, timeout_s=settings.lock_timeout_s, purpose=purpose)
    return IndexLock(directory / "write.lock", timeout_s=settings.lock_timeout_s, purpose=purpose)
