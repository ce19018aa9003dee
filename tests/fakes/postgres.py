"""A real, throwaway PostgreSQL cluster on 127.0.0.1 for the storage tests and the benches.

Not a fake: the server a deployment runs, started from ``initdb`` and ``pg_ctl`` in a
temporary directory (as the ``postgres`` system user when run as root, since PostgreSQL
refuses to run as root). The binaries are found on PATH or under Debian's
``/usr/lib/postgresql/<version>/bin``, which is not on PATH. Plain library code without
pytest, so ``bench/`` can start one too; the fixtures that skip with a reason where it cannot
start live in ``tests/storage/conftest.py``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.fakes.chroma_server import free_port

DEBIAN_ROOT = Path("/usr/lib/postgresql")


def _version(folder: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in folder.name.split(".") if part.isdigit())


def search_paths() -> list[Path]:
    """Where the server binaries may be: PATH first, then Debian's per-version folders, newest first."""
    debian = sorted(DEBIAN_ROOT.glob("*/bin"), key=lambda bin_dir: _version(bin_dir.parent), reverse=True)
    return [Path("/usr/local/bin"), *debian]


def find_binary(name: str) -> str | None:
    """``initdb`` or ``pg_ctl`` on PATH or in :func:`search_paths`; None when PostgreSQL is missing."""
    found = shutil.which(name)
    if found:
        return found
    for folder in search_paths():
        if (folder / name).exists():
            return str(folder / name)
    return None


class PostgresCluster:
    """``initdb`` + ``pg_ctl start`` in a temp dir; ``url(db)`` for each database it creates."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            raise RuntimeError("initdb/pg_ctl not found (Debian: apt-get install postgresql)")
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            try:
                self._uid = pwd.getpwnam(self.user).pw_uid
            except KeyError as exc:
                raise RuntimeError(
                    "running as root and there is no 'postgres' user to run the server"
                ) from exc
        self.root = Path(tempfile.mkdtemp(prefix="kommunal-pg-"))
        self.port = free_port()
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        if self.user:
            os.chown(self.root, self._uid, -1)

    def _run(self, *args: str) -> None:
        command = ["runuser", "-u", self.user, "--", *args] if self.user else list(args)
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed: {done.stderr or done.stdout}")

    def start(self) -> PostgresCluster:
        self._run(self.initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        options = (
            f"-k {self.root} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        )
        self._run(self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        """A fresh empty database; returns its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._run(self.pg_ctl, "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
