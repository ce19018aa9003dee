"""A real, throwaway PostgreSQL cluster on 127.0.0.1 for the storage and multi-replica tests.

Not a fake: the server a deployment runs, started once per test session from ``initdb`` and
``pg_ctl`` in a temporary directory (as the ``postgres`` system user when the tests run as
root, since PostgreSQL refuses to run as root). Every test gets a database of its own. Where
the binaries or the user are missing the tests that need it skip and say why.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.chroma_server import free_port

SEARCH_PATHS = ("/usr/local/bin", "/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin")


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for folder in SEARCH_PATHS:
        if Path(folder, name).exists():
            return str(Path(folder, name))
    return None


class PostgresCluster:
    """``initdb`` + ``pg_ctl start`` in a temp dir; ``url(db)`` for each database it creates."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = _binary("initdb"), _binary("pg_ctl")
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


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """The session's PostgreSQL server, or a skip naming why it cannot run here."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'psycopg[binary]')")
    try:
        cluster = PostgresCluster().start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"PostgreSQL cannot be started here: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture
def postgres_url(postgres_cluster: PostgresCluster) -> str:
    """URL of a new empty database on the session's server."""
    return postgres_cluster.create_database()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest) -> str | None:
    """Run a test once on SQLite files (None) and once on PostgreSQL (a fresh database's URL)."""
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("postgres_url")
