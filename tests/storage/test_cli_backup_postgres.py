"""``backup`` and ``restore`` through the command line with the state in PostgreSQL (issue 17).

The corpus index lives in PostgreSQL and a Chroma server; the CLI backs it up into a folder
(an ordinary SQLite manifest plus embedded Chroma, checked there), a document is then removed
through the CLI, and ``restore`` writes the backup back into PostgreSQL: the same documents,
the same chunks, every chunk with its vector in Chroma, the removed document found again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.index import Index

pytestmark = pytest.mark.slow  # PostgreSQL, a Chroma server and three CLI runs with the model


def cli(settings: Settings, *args: str) -> dict:
    """Run ``kommunal-assistant ARGS --json`` against ``settings``' servers; its JSON output."""
    assert settings.database_url is not None
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(settings.data_dir),
        "ASSISTANT_INDEX_NAME": settings.index_name,
        "ASSISTANT_CHROMA_URL": str(settings.chroma_url),
        "ASSISTANT_DATABASE_URL": settings.database_url.get_secret_value(),
    }
    done = subprocess.run(
        [sys.executable, "-m", "kommunal", *args, "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def snapshot(settings: Settings) -> tuple[list[tuple[str, str, list[str]]], list[str], set[str]]:
    """Documents (id, title, sets), visible chunk ids and Chroma's ids, read from the servers."""
    with Index(settings, create_embedder(settings)) as index:
        documents = sorted((d.doc_id, d.title, d.doc_sets) for d in index.manifest.documents())
        return documents, sorted(index.manifest.visible_ids()), index.chroma.ids()


def test_cli_backup_then_restore_round_trips_the_documents_in_postgres(shared: Settings, tmp_path: Path):
    documents, chunks, vectors = snapshot(shared)
    assert len(documents) >= 5 and set(chunks) == vectors

    report = cli(shared, "backup", str(tmp_path / "sicherung"))
    assert report["counts"]["documents"] == len(documents) and report["counts"]["chunks"] == len(chunks)
    assert (tmp_path / "sicherung" / shared.index_name / "manifest.sqlite").is_file()

    victim = documents[0][0]
    cli(shared, "documents", "remove", victim)
    after_removal, _, _ = snapshot(shared)
    assert victim not in {d[0] for d in after_removal}  # the removal really reached PostgreSQL

    restored = cli(shared, "restore", str(tmp_path / "sicherung"))
    assert restored["counts"]["documents"] == len(documents)
    assert snapshot(shared) == (documents, chunks, vectors)
    # The data directory the CLI ran in holds no manifest: the restore went into PostgreSQL.
    assert not (shared.data_dir / shared.index_name / "manifest.sqlite").exists()
