"""verify / repair / rebuild from the manifest, and the readiness probe on a damaged index."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from assistant.config import Settings
from assistant.embeddings.fake import HashingEmbedder
from assistant.index import Index
from assistant.index.maintenance import rebuild_index, repair_index, verify_index
from assistant.index.probe import probe_index
from tests.index.test_index import make_chunks, record


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path / "data", lock_timeout_s=0.5)


def fill(index: Index) -> None:
    index.write_document(record("a", 2), make_chunks("a", ["Glasfaser für alle Ortsteile", "Funkmasten"]))
    index.write_document(record("b", 1), make_chunks("b", ["Bürgerbeteiligung online"]))
    index.lexical()


def test_verify_finds_and_repair_fixes_lost_vectors_orphans_and_stale_lexical(settings):
    embedder = HashingEmbedder()
    with Index(settings, embedder, write=True) as index:
        fill(index)
        assert verify_index(index).ok
        lost = sorted(index.manifest.visible_ids())[0]
        index.chroma.delete([lost])
        orphan = make_chunks("x", ["ein Vektor ohne Manifest"])
        index.chroma.upsert(orphan, embedder.embed_documents([orphan[0].text]))
        index.manifest.remove_document("b")  # generation moves on, the saved lexical index does not

        report = verify_index(index)
        assert report.missing_vectors == [lost]
        assert report.orphan_vectors == sorted(
            [orphan[0].chunk_id] + [c.chunk_id for c in make_chunks("b", ["Bürgerbeteiligung online"])]
        )
        assert report.lexical_mismatch
        assert not report.ok and len(report.problems) == 3

        calls = embedder.calls
        repaired = repair_index(index)
        assert repaired.vectors_restored == 1 and repaired.orphans_deleted == 2
        assert embedder.calls == calls  # the lost vector came from the embedding cache
        assert verify_index(index).ok


def test_rebuild_recreates_everything_from_the_manifest_without_embedding(settings):
    embedder = HashingEmbedder()
    with Index(settings, embedder, write=True) as index:
        fill(index)
        expected = index.manifest.visible_ids()
    calls = embedder.calls
    with Index(settings, embedder, write=True, discard_vectors=True) as index:
        assert index.chroma.count() == 0
        report = rebuild_index(index)
        assert report.vectors_written == 3 and report.embeddings_computed == 0
        assert embedder.calls == calls
        assert index.chroma.ids() == expected
        assert verify_index(index).ok
        assert [p.chunk.doc_id for p in index.dense_search("Glasfaser Ortsteile", 1)] == ["a"]


def test_verify_reports_a_document_whose_chunks_the_manifest_lost(settings):
    with Index(settings, HashingEmbedder(), write=True) as index:
        fill(index)
    with sqlite3.connect(settings.index_dir / "manifest.sqlite") as db:
        db.execute("DELETE FROM chunks WHERE doc_id = 'a' AND position = 1")
    with Index(settings, HashingEmbedder(), write=True) as index:
        report = verify_index(index)
        assert report.incomplete_documents == ["a"]
        assert any("--repair" in problem for problem in report.problems)


def cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(settings.data_dir),
        "ASSISTANT_INDEX_NAME": settings.index_name,
    }
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], env=env, capture_output=True, text=True, timeout=600
    )


def test_truncated_chroma_file_makes_probe_not_ready_and_rebuild_fixes_it(corpus_settings):
    assert probe_index(corpus_settings, timeout_s=120).ready
    chroma_db = corpus_settings.index_dir / "chroma" / "chroma.sqlite3"
    with chroma_db.open("r+b") as handle:
        handle.truncate(chroma_db.stat().st_size // 3)

    broken = probe_index(corpus_settings, timeout_s=120)
    assert not broken.ready
    assert "beschädigt" in broken.detail or "nicht laden" in broken.detail

    rebuilt = cli(corpus_settings, "rebuild", "--json")
    assert rebuilt.returncode == 0, rebuilt.stderr
    data = json.loads(rebuilt.stdout)
    assert data["ok"] and data["rebuild"]["embeddings_computed"] == 0
    assert data["counts"]["vectors"] == data["counts"]["chunks"] > 0

    healthy = probe_index(corpus_settings, timeout_s=120)
    assert healthy.ready, healthy.detail
    assert healthy.counts["vectors"] == data["counts"]["chunks"]


def test_verify_repair_cli_reingests_a_document_from_its_source_file(corpus_settings):
    with sqlite3.connect(corpus_settings.index_dir / "manifest.sqlite") as db:
        doc_id, chunk_count = db.execute(
            "SELECT doc_id, chunk_count FROM documents WHERE chunk_count > 1 ORDER BY doc_id LIMIT 1"
        ).fetchone()
        db.execute("DELETE FROM chunks WHERE doc_id = ? AND position = 0", (doc_id,))

    checked = cli(corpus_settings, "verify", "--json")
    assert checked.returncode == 1
    assert json.loads(checked.stdout)["incomplete_documents"] == [doc_id]

    repaired = cli(corpus_settings, "verify", "--repair", "--json")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    data = json.loads(repaired.stdout)
    assert data["ok"] and data["repair"]["reingested"] == [{"doc_id": doc_id, "status": "ok", "reason": None}]
    assert data["counts"]["chunks"] == data["counts"]["expected_chunks"] == data["counts"]["vectors"]
    with sqlite3.connect(corpus_settings.index_dir / "manifest.sqlite") as db:
        assert (
            db.execute("SELECT COUNT(*) FROM chunks WHERE doc_id = ?", (doc_id,)).fetchone()[0] == chunk_count
        )


def test_probe_of_an_index_held_by_another_process_is_not_ready(settings, tmp_path):
    with Index(settings, HashingEmbedder(), write=True) as index:
        fill(index)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(settings.index_dir / "index.lock")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = probe_index(settings, timeout_s=60)
        assert not result.ready and f"PID {holder.pid}" in result.detail
    finally:
        holder.kill()
        holder.wait(30)


HOLD_LOCK = """
import sys, time
from pathlib import Path
from assistant.index.lock import IndexLock
lock = IndexLock(Path(sys.argv[1]), purpose="ingest")
print("locked", flush=True)
time.sleep(600)
"""


def test_probe_while_this_process_serves_the_embedded_index(settings):
    with Index(settings, HashingEmbedder(), write=True) as index:
        fill(index)
        result = probe_index(settings, timeout_s=60)
    assert result.ready and "in diesem Prozess" in result.detail
    assert result.counts == {"documents": 2, "chunks": 3}
