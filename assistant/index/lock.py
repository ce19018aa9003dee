"""A process lock on an index directory, so two processes never open one embedded Chroma.

Chroma's PersistentClient is not process-safe (a second process can hang for minutes on
SQLite's busy timeout); failing fast with a clear message is the better behaviour.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from assistant.errors import IndexLockedError


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
