"""PostgreSQL fixtures for the storage tests: a session cluster, a fresh database per test, the corpus in it.

Where the server cannot start (no binaries, no ``postgres`` user when running as root, no
psycopg) the tests that need it skip and say why; the SQLite half of ``database_url`` still runs.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.index import Index
from assistant.index.maintenance import rebuild_index
from assistant.index.manifest import Manifest
from tests.fakes.postgres import PostgresCluster


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


@pytest.fixture
def shared(corpus_settings, chroma_server, postgres_url, tmp_path) -> Settings:
    """The sample-corpus index moved into PostgreSQL (through a backup file) and Chroma (from its cache)."""
    settings = Settings(
        data_dir=tmp_path / "mover",
        index_name=corpus_settings.index_name,
        chroma_url=chroma_server.url,
        database_url=postgres_url,
    )
    copy = tmp_path / "manifest-copy.sqlite"
    source = Manifest(corpus_settings.index_dir / "manifest.sqlite")
    source.backup_to(copy)
    source.close()
    target = Manifest.for_settings(settings)
    target.restore_from(copy)
    target.close()
    with Index(settings, create_embedder(settings), write=True, discard_vectors=True) as index:
        rebuild_index(index)
    return settings
