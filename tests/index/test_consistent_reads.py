"""Searches during a re-ingest see one version of a document, never a mix of old and new chunks."""

from __future__ import annotations

import threading

import pytest

from assistant.config import Settings
from assistant.embeddings.fake import HashingEmbedder
from assistant.index import Index
from assistant.service import Assistant
from tests.index.test_index import make_chunks, record

QUERY = "Wechselplan Abschnitt Glasfaser Schulen Fassung"
REWRITES = 30


def version(name: str) -> list[str]:
    return [f"Wechselplan Abschnitt {j}: Glasfaser für Schulen, Fassung {name} Nummer {j}" for j in range(4)]


def versions_in(passages) -> set[str]:
    return {
        "Alpha" if "Fassung Alpha" in p.chunk.text else "Beta"
        for p in passages
        if p.chunk.doc_id == "wechsel"
    }


@pytest.mark.parametrize("mode", ["embedded", "server"])
def test_searches_during_reingest_never_mix_versions(tmp_path, request, mode):
    settings = Settings(data_dir=tmp_path / "data", lock_timeout_s=0.5)
    if mode == "server":
        server = request.getfixturevalue("chroma_server")
        settings = settings.model_copy(update={"chroma_url": server.url})
    embedder = HashingEmbedder()
    writer = Index(settings, embedder, write=True)
    # Embedded: one process, one Index shared by the threads (as in the API); server: a reader of its own.
    reader = writer if mode == "embedded" else Index(settings, embedder)
    try:
        for i in range(5):
            writer.write_document(record(f"andere{i}", 1), make_chunks(f"andere{i}", [f"Radwege Plan {i}"]))
        writer.write_document(record("wechsel", 4), make_chunks("wechsel", version("Alpha")))

        done = threading.Event()
        failures: list[BaseException] = []

        def rewrite() -> None:
            try:
                for n in range(REWRITES):
                    name = "Beta" if n % 2 == 0 else "Alpha"
                    writer.write_document(record("wechsel", 4, name), make_chunks("wechsel", version(name)))
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                failures.append(exc)
            finally:
                done.set()

        assistant = Assistant(reader, settings)
        thread = threading.Thread(target=rewrite)
        thread.start()
        seen: list[set[str]] = []
        while not done.is_set():
            seen.append(versions_in(assistant.search(QUERY, 10)))
        thread.join(60)
        seen.append(versions_in(assistant.search(QUERY, 10)))
        assert not failures, failures
        assert all(len(versions) <= 1 for versions in seen), [v for v in seen if len(v) > 1]
        assert seen[-1] == {"Alpha" if REWRITES % 2 == 0 else "Beta"}
        assert sum(1 for versions in seen if versions) >= 2
    finally:
        if reader is not writer:
            reader.close()
        writer.close()
