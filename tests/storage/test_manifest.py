"""The manifest on both storage dialects: visibility, generation, caches, snapshots, copies."""

from __future__ import annotations

import threading

import numpy as np

from assistant.config import Settings
from assistant.embeddings.sparse import SparseVector
from assistant.index.manifest import Manifest
from tests.index.test_index import make_chunks, record


def open_manifest(tmp_path, database_url, name: str = "default") -> Manifest:
    return Manifest.for_settings(
        Settings(data_dir=tmp_path / "data", index_name=name, database_url=database_url)
    )


def test_staged_chunks_are_invisible_until_commit(tmp_path, database_url):
    manifest = open_manifest(tmp_path, database_url)
    chunks = make_chunks("a", ["Glasfaser im Ortsteil", "WLAN im Rathaus"])
    manifest.stage_chunks(chunks)
    assert manifest.visible_ids() == set() and manifest.count_staged() == 2
    assert manifest.generation == 0
    assert manifest.commit_document(record("a", 2), chunks) == []
    assert manifest.visible_ids() == {c.chunk_id for c in chunks}
    assert manifest.count_staged() == 0 and manifest.generation == 1
    assert manifest.document("a").chunk_count == 2
    assert [c.text for c in manifest.all_chunks()] == ["Glasfaser im Ortsteil", "WLAN im Rathaus"]

    newer = make_chunks("a", ["Glasfaser im Ortsteil", "Open Data Portal"])
    replaced = manifest.commit_document(record("a", 2, "h2"), newer)
    assert set(replaced) == {chunks[1].chunk_id}
    assert manifest.document("a").content_hash == "h2"
    assert manifest.ready_chunk_ids("a") == [c.chunk_id for c in newer]
    assert manifest.generation == 2

    assert set(manifest.remove_document("a")) == {c.chunk_id for c in newer}
    assert manifest.documents() == [] and manifest.generation == 3
    manifest.close()


def test_a_crashed_ingest_leaves_only_discardable_rows(tmp_path, database_url):
    manifest = open_manifest(tmp_path, database_url)
    manifest.commit_document(record("a", 1), make_chunks("a", ["Bestand"]))
    staged = make_chunks("b", ["halb geschrieben"])
    manifest.stage_chunks(staged)
    assert manifest.discard_staged() == [staged[0].chunk_id]
    assert manifest.known_ids() == manifest.visible_ids() and manifest.count_chunks() == 1
    manifest.close()


def test_embedding_cache_round_trips_dense_and_sparse(tmp_path, database_url):
    manifest = open_manifest(tmp_path, database_url)
    vectors = {"h1": np.arange(4, dtype=np.float32), "h2": np.ones(4, dtype=np.float32)}
    manifest.store_embeddings("model", vectors)
    sparse = SparseVector(
        indices=np.array([3, 9], dtype=np.int32), values=np.array([0.5, 2.0], dtype=np.float32)
    )
    manifest.store_sparse("model#sparse", {"h1": sparse})
    hashes = [f"x{i}" for i in range(1200)] + ["h1", "h2"]  # more than one IN-list batch
    got = manifest.cached_embeddings("model", hashes)
    assert set(got) == {"h1", "h2"} and np.array_equal(got["h1"], vectors["h1"])
    assert manifest.cached_hashes("model#sparse", hashes) == {"h1"}
    back = manifest.cached_sparse("model#sparse", ["h1"])["h1"]
    assert back.indices.tolist() == [3, 9] and back.values.tolist() == [0.5, 2.0]
    manifest.store_embeddings("model", {"h1": np.zeros(4, dtype=np.float32)})  # replaces
    assert not manifest.cached_embeddings("model", ["h1"])["h1"].any()
    assert manifest.count_cached_embeddings("other", ["h1"]) == 0
    manifest.close()


def test_snapshot_sees_one_state_while_a_writer_commits(tmp_path, database_url):
    manifest = open_manifest(tmp_path, database_url)
    manifest.commit_document(record("a", 1), make_chunks("a", ["alt"]))
    with manifest.snapshot():
        before = manifest.generation
        writer = threading.Thread(
            target=manifest.commit_document, args=(record("b", 1), make_chunks("b", ["neu"]))
        )
        writer.start()
        writer.join()
        assert manifest.generation == before and manifest.document("b") is None
    assert manifest.generation == before + 1 and manifest.document("b") is not None
    manifest.close()


def test_concurrent_commits_never_lose_a_generation(tmp_path, database_url):
    manifests = [open_manifest(tmp_path, database_url) for _ in range(4)]
    threads = [
        threading.Thread(
            target=lambda m=m, i=i: [
                m.commit_document(record(f"d{i}-{j}", 1), make_chunks(f"d{i}-{j}", [f"Text {i} {j}"]))
                for j in range(5)
            ]
        )
        for i, m in enumerate(manifests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert manifests[0].generation == 20 and len(manifests[0].documents()) == 20
    for manifest in manifests:
        manifest.close()


def test_indexes_keep_their_own_manifest(tmp_path, database_url):
    first, second = open_manifest(tmp_path, database_url), open_manifest(tmp_path, database_url, "zweiter")
    first.commit_document(record("a", 1), make_chunks("a", ["nur im ersten"]))
    assert second.documents() == [] and second.generation == 0
    first.close()
    second.close()


def test_backup_is_a_sqlite_file_that_restores_on_either_dialect(tmp_path, database_url):
    manifest = open_manifest(tmp_path, database_url)
    manifest.commit_document(record("a", 2), make_chunks("a", ["eins", "zwei"]))
    manifest.store_embeddings("model", {"h": np.ones(3, dtype=np.float32)})
    manifest.set_meta("note", "gesichert")
    copy = tmp_path / "backup.sqlite"
    manifest.backup_to(copy)
    manifest.remove_document("a")
    manifest.set_meta("note", "danach")
    manifest.restore_from(copy)
    assert [d.doc_id for d in manifest.documents()] == ["a"] and manifest.count_chunks() == 2
    assert manifest.get_meta("note") == "gesichert" and manifest.generation == 1
    assert manifest.cached_hashes("model", ["h"]) == {"h"}
    plain = Manifest(copy)  # the copy is an ordinary embedded manifest
    assert plain.count_chunks() == 2
    plain.close()
    manifest.close()
