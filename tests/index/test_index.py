"""The index facade against real Chroma and SQLite, with a hashing embedder at the edge."""

import multiprocessing
import time

import pytest

from assistant.config import Settings
from assistant.embeddings.fake import HashingEmbedder
from assistant.errors import IndexLockedError
from assistant.index import Index
from assistant.types import Chunk, DocumentRecord, SearchFilters


def make_chunks(doc_id: str, texts: list[str], **extra) -> list[Chunk]:
    return [
        Chunk(
            chunk_id=f"{doc_id}::{i}::{abs(hash(t)) % 10**8}",
            doc_id=doc_id,
            text=t,
            title=doc_id,
            source=f"{doc_id}.md",
            position=i,
            **extra,
        )
        for i, t in enumerate(texts)
    ]


def record(doc_id: str, n: int, content_hash: str = "h") -> DocumentRecord:
    return DocumentRecord(
        doc_id=doc_id,
        source=f"{doc_id}.md",
        title=doc_id,
        doc_type="other",
        content_hash=content_hash,
        chunk_count=n,
        status="ready",
        ingested_at="now",
    )


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path / "data", lock_timeout_s=0.5)


def test_write_search_replace_remove(settings):
    with Index(settings, HashingEmbedder(), write=True) as index:
        first = make_chunks("a", ["Glasfaser für alle Ortsteile", "Bürgerbeteiligung online"])
        index.write_document(record("a", 2), first)
        assert index.chroma.count() == 2
        hits = index.lexical_search("Glasfaserausbau Ortsteile", 5)
        assert hits and hits[0].chunk.doc_id == "a"

        second = make_chunks("a", ["Glasfaser für alle Ortsteile", "Open Source im Rathaus", "Neu"])
        index.write_document(record("a", 3, "h2"), second)
        assert index.chroma.ids() == {c.chunk_id for c in second}
        assert index.manifest.visible_ids() == {c.chunk_id for c in second}
        assert [p.chunk.text for p in index.dense_search("Open Source Rathaus", 1)] == [
            "Open Source im Rathaus"
        ]

        assert index.remove_document("a") == 3
        assert index.chroma.count() == 0
        assert index.lexical_search("Glasfaser", 5) == []


def test_filters_apply_to_both_stores(settings):
    with Index(settings, HashingEmbedder(), write=True) as index:
        index.write_document(
            record("pub", 1), make_chunks("pub", ["Parken in der Innenstadt"], doc_sets=["oeffentlich"])
        )
        index.write_document(
            record("int", 1), make_chunks("int", ["Parken intern geheim"], doc_sets=["intern"])
        )
        allowed = SearchFilters(doc_sets=["oeffentlich"])
        assert {p.chunk.doc_id for p in index.dense_search("Parken", 5, allowed)} == {"pub"}
        assert {p.chunk.doc_id for p in index.lexical_search("Parken", 5, allowed)} == {"pub"}
        assert index.dense_search("Parken", 5, SearchFilters(doc_sets=[])) == []


def test_embedding_cache_avoids_recomputing(settings):
    embedder = HashingEmbedder()
    with Index(settings, embedder, write=True) as index:
        chunks = make_chunks("a", ["eins zwei", "drei vier"])
        index.write_document(record("a", 2), chunks)
        assert index.embeddings_computed == 2
        index.write_document(record("a", 2, "h2"), chunks)
        assert index.embeddings_computed == 2


def test_reconcile_removes_staged_and_orphan_vectors_and_restores_missing(settings):
    with Index(settings, HashingEmbedder(), write=True) as index:
        kept = make_chunks("a", ["bleibt"])
        index.write_document(record("a", 1), kept)
        # A crash after staging and upserting, before the commit:
        staged = make_chunks("b", ["halb geschrieben"])
        index.manifest.stage_chunks(staged)
        index.chroma.upsert(staged, index.embed_chunks(staged))
        # ... and a vector Chroma lost:
        index.chroma.delete([kept[0].chunk_id])
        report = index.reconcile()
        assert report.staged_discarded == 1 and report.orphans_deleted == 1 and report.vectors_restored == 1
        assert index.chroma.ids() == {kept[0].chunk_id} == index.manifest.visible_ids()


def _hold_index(settings, ready, release):
    with Index(settings, HashingEmbedder(), write=True):
        ready.set()
        release.wait(30)


def test_second_process_gets_a_clear_error_quickly(settings):
    ctx = multiprocessing.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_index, args=(settings, ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        started = time.monotonic()
        with pytest.raises(IndexLockedError, match="Chroma-Server"):
            Index(settings, HashingEmbedder(), write=True)
        assert time.monotonic() - started < 10
    finally:
        release.set()
        holder.join(30)
