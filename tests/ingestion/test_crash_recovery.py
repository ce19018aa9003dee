"""SIGKILL in the middle of an ingest, then a rerun: exactly the expected chunks, nothing else."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.index import Index

pytestmark = pytest.mark.slow

TOPICS = ["Glasfaser", "Bürgerbeteiligung", "Open Source", "Sensorik", "Förderung", "Bildung"]


def write_corpus(folder: Path) -> None:
    folder.mkdir(parents=True)
    for i, topic in enumerate(TOPICS):
        sections = "\n\n".join(
            f"## Abschnitt {j}\n\nDie Stadt plant im Bereich {topic} die Maßnahme {i}.{j}. "
            f"Sie wird von Fachbereich {j} verantwortet und soll bis {2025 + j} umgesetzt sein. "
            f"Zur Beteiligung gehören Workshops, Umfragen und ein Bericht an den Rat ({topic}, Schritt {j})."
            for j in range(4)
        )
        (folder / f"dokument-{i}.md").write_text(f"# {topic}\n\n{sections}\n", encoding="utf-8")


def ingest_command(data_dir: Path, corpus: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_EMBEDDING_BATCH_SIZE": "2"}
    return [sys.executable, "-m", "assistant", "ingest", str(corpus), "--json"], env


def snapshot(data_dir: Path) -> tuple[list[str], set[str]]:
    settings = Settings(data_dir=data_dir)
    with Index(settings, create_embedder(settings)) as index:
        return sorted(c.chunk_id for c in index.manifest.all_chunks()), index.chroma.ids()


@pytest.fixture(scope="module")
def expected(tmp_path_factory):
    base = tmp_path_factory.mktemp("clean")
    corpus = base / "corpus"
    write_corpus(corpus)
    cmd, env = ingest_command(base / "data", corpus)
    started = time.monotonic()
    subprocess.run(cmd, env=env, check=True, capture_output=True, timeout=300)
    duration = time.monotonic() - started
    chunk_ids, vectors = snapshot(base / "data")
    assert chunk_ids and set(chunk_ids) == vectors
    return chunk_ids, duration


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rerun_after_sigkill_converges(tmp_path, expected, seed):
    expected_ids, duration = expected
    corpus = tmp_path / "corpus"
    write_corpus(corpus)
    data_dir = tmp_path / "data"
    cmd, env = ingest_command(data_dir, corpus)
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Kill somewhere in the second half of a clean run's duration: past imports and model
    # load, inside the phase that writes documents.
    time.sleep(duration * random.Random(seed).uniform(0.5, 0.95))
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    partial, _ = snapshot(data_dir)
    print(f"seed {seed}: {len(partial)} of {len(expected_ids)} chunks visible after SIGKILL")

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    chunk_ids, vectors = snapshot(data_dir)
    assert chunk_ids == expected_ids
    assert vectors == set(expected_ids)
