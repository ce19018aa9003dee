"""backup DEST / restore SRC: the copy opens with the same counts and the same sample results."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from assistant.config import Settings
from assistant.embeddings.fake import HashingEmbedder
from assistant.errors import ConfigError, IndexLockedError, NotFoundError
from assistant.index import Index
from assistant.index.backup import backup_index, restore_index, sample_results
from assistant.index.maintenance import IndexCounts, verify_index
from tests.index.test_index import make_chunks, record

TEXTS = {
    "glasfaser": ["Glasfaser für alle Ortsteile bis 2027", "Förderung durch Bund und Land"],
    "beteiligung": ["Bürgerbeteiligung online und in Werkstätten", "Jugendforum im Rathaus"],
    "opensource": ["Open Source im Rathaus spart Lizenzkosten", "openDesk für die Verwaltung"],
}


def fill(settings: Settings) -> tuple[IndexCounts, dict]:
    with Index(settings, HashingEmbedder(), write=True) as index:
        for doc_id, texts in TEXTS.items():
            index.write_document(record(doc_id, len(texts)), make_chunks(doc_id, texts))
        index.lexical()
        return IndexCounts.of(index), sample_results(index)


def test_backup_and_restore_embedded(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", lock_timeout_s=0.5)
    counts, samples = fill(settings)
    report = backup_index(settings, HashingEmbedder(), tmp_path / "sicherung")
    assert report.counts == counts and report.samples == len(samples) == 5 and report.vectors_copied

    with Index(settings, HashingEmbedder(), write=True) as index:  # damage after the backup
        index.remove_document("glasfaser")
        index.chroma.delete(sorted(index.manifest.visible_ids())[:1])
    restored = restore_index(settings, HashingEmbedder(), tmp_path / "sicherung")
    assert restored == counts
    with Index(settings, HashingEmbedder()) as index:
        assert verify_index(index).ok
        assert sample_results(index) == samples
        assert index.dense_search("Glasfaser Ortsteile", 1)[0].chunk.doc_id == "glasfaser"


def test_backup_and_restore_against_a_chroma_server(tmp_path, chroma_server):
    settings = Settings(data_dir=tmp_path / "data", chroma_url=chroma_server.url, lock_timeout_s=0.5)
    counts, samples = fill(settings)
    embedder = HashingEmbedder()
    report = backup_index(settings, embedder, tmp_path / "sicherung")
    assert report.counts == counts and not report.vectors_copied
    assert (tmp_path / "sicherung" / "default" / "chroma").is_dir()  # built from the cache and checked

    chroma_server.kill()  # the server's data is lost entirely
    for path in sorted(chroma_server.path.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    chroma_server.start()
    calls = embedder.calls
    assert restore_index(settings, embedder, tmp_path / "sicherung") == counts
    assert embedder.calls == calls  # vectors came from the manifest's embedding cache
    with Index(settings, embedder) as index:
        assert sample_results(index) == samples
        assert index.chroma.count() == counts.chunks


def test_backup_waits_for_no_writer_and_refuses_a_used_target(tmp_path):
    settings = Settings(data_dir=tmp_path / "data", lock_timeout_s=0.5)
    fill(settings)
    with Index(settings, HashingEmbedder(), write=True), pytest.raises(IndexLockedError):
        backup_index(settings, HashingEmbedder(), tmp_path / "sicherung")
    (tmp_path / "belegt").mkdir()
    (tmp_path / "belegt" / "datei.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ConfigError, match="nicht leer"):
        backup_index(settings, HashingEmbedder(), tmp_path / "belegt")
    with pytest.raises(NotFoundError, match="keine Sicherung"):
        restore_index(settings, HashingEmbedder(), tmp_path / "belegt")


def test_backup_and_restore_cli(corpus_settings, tmp_path):
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(corpus_settings.data_dir),
        "ASSISTANT_INDEX_NAME": corpus_settings.index_name,
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "assistant", *args]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)

    backed_up = run("backup", str(tmp_path / "sicherung"), "--json")
    assert backed_up.returncode == 0, backed_up.stderr
    counts = json.loads(backed_up.stdout)["counts"]
    assert counts["vectors"] == counts["chunks"] > 0

    again = run("backup", str(tmp_path / "sicherung"))
    assert again.returncode == 4 and "nicht leer" in again.stderr

    (corpus_settings.index_dir / "chroma" / "chroma.sqlite3").write_bytes(b"kaputt")
    restored = run("restore", str(tmp_path / "sicherung"), "--json")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["counts"] == counts
    answer = run("ask", "Wie viel spart Kessbach mit openDesk?", "--json")
    assert answer.returncode == 0 and json.loads(answer.stdout)["sources"]
