"""Against a real ``chroma run`` server: ingest, answer, outages, restart, several readers."""

from __future__ import annotations

import threading

import pytest

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.embeddings.fake import HashingEmbedder
from assistant.errors import IndexLockedError, IndexUnavailableError
from assistant.index import Index
from assistant.service import Assistant
from ingestion.pipeline import Ingestor
from tests.conftest import REPO_ROOT
from tests.index.test_index import make_chunks, record


@pytest.fixture
def server_settings(tmp_path, chroma_server) -> Settings:
    return Settings(
        data_dir=tmp_path / "data", chroma_url=chroma_server.url, chroma_timeout_s=2.0, lock_timeout_s=0.5
    )


def run_in_thread(target, *args):
    """Run ``target`` in a thread and return (finished, result or exception)."""
    box: dict[str, object] = {}

    def body() -> None:
        try:
            box["value"] = target(*args)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["value"] = exc

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    thread.join(90)  # a guard against a hang, not a speed assertion
    return not thread.is_alive(), box.get("value")


def test_ingest_and_answer_through_server(corpus_settings, chroma_server, tmp_path):
    """The sample corpus moves into the server from the manifest's cache; answers match embedded mode."""
    question = "Wie viel spart Kessbach mit openDesk?"
    embedder = create_embedder(corpus_settings)
    with Index(corpus_settings, embedder) as embedded:
        expected = [p.chunk.chunk_id for p in Assistant(embedded, corpus_settings).search(question, 5)]
    server = corpus_settings.model_copy(update={"chroma_url": chroma_server.url})
    extra = tmp_path / "neu"
    extra.mkdir()
    (extra / "laerm.md").write_text(
        "# Lärmkarte\n\nDie Gemeinde Uhlstedt misst den Verkehrslärm mit zwölf Sensoren an Schulwegen.\n",
        encoding="utf-8",
    )
    with Index(server, embedder, write=True, purpose="ingest") as writer:
        report = Ingestor(writer, server).run([REPO_ROOT / "corpus", extra])
        assert not report.failed
        assert report.reconciled["vectors_restored"] == writer.manifest.count_chunks() - report.chunks_written
        assert writer.chroma.count() == writer.manifest.count_chunks()

    with Index(server, embedder) as reader:  # a reader takes no lock against a server
        assistant = Assistant(reader, server)
        assert [p.chunk.chunk_id for p in assistant.search(question, 5)] == expected
        answer = assistant.ask(question)
        assert answer.sources and "Kessbach" in answer.sources[0].title + answer.answer
        hits = assistant.search("Verkehrslärm Sensoren Schulwege", 3)
        assert hits[0].chunk.doc_id == "laerm"


def test_dead_server_is_a_clear_german_error(server_settings, chroma_server):
    embedder = HashingEmbedder()
    with Index(server_settings, embedder, write=True) as index:
        index.write_document(record("a", 1), make_chunks("a", ["Glasfaser für alle Ortsteile"]))
        chroma_server.kill()
        with pytest.raises(IndexUnavailableError, match="nicht erreichbar"):
            index.dense_search("Glasfaser", 3)
    with pytest.raises(IndexUnavailableError, match=r"Chroma-Server .* nicht erreichbar"):
        Index(server_settings, embedder)


def test_hung_server_times_out_instead_of_hanging(server_settings, chroma_server):
    with Index(server_settings, HashingEmbedder()) as index:
        chroma_server.pause()
        try:
            finished, outcome = run_in_thread(index.dense_search, "Glasfaser", 3)
        finally:
            chroma_server.resume()
    assert finished
    assert isinstance(outcome, IndexUnavailableError)
    assert "nicht innerhalb von 2 s geantwortet" in outcome.message


def test_server_killed_during_request_then_recovers_without_duplicates(server_settings, chroma_server):
    embedder = HashingEmbedder()
    docs = {f"d{i}": [f"Maßnahme {i} Teil {j} zur Digitalisierung" for j in range(3)] for i in range(6)}
    with Index(server_settings, embedder, write=True) as index:
        for doc_id in ("d0", "d1", "d2"):
            index.write_document(record(doc_id, 3), make_chunks(doc_id, docs[doc_id]))
        chroma_server.pause()  # the next request hangs in the server ...
        started = threading.Event()

        def write_next() -> None:
            started.set()
            index.write_document(record("d3", 3), make_chunks("d3", docs["d3"]))

        thread_result: dict[str, object] = {}
        thread = threading.Thread(target=lambda: thread_result.update(value=_capture(write_next)))
        thread.start()
        started.wait(10)
        chroma_server.kill()  # ... and the server dies under it
        thread.join(90)
        assert not thread.is_alive()
        assert isinstance(thread_result["value"], IndexUnavailableError)

    chroma_server.start()  # same port, same data directory
    with Index(server_settings, embedder, write=True) as index:
        index.reconcile()
        for doc_id, texts in docs.items():
            index.write_document(record(doc_id, 3), make_chunks(doc_id, texts))
        index.write_document(record("d0", 3), make_chunks("d0", docs["d0"]))  # a rerun changes nothing
        visible = index.manifest.visible_ids()
        assert len(visible) == 18
        assert index.chroma.ids() == visible
        assert index.chroma.count() == 18


def _capture(fn):
    try:
        return fn()
    except BaseException as exc:  # noqa: BLE001 - handed to the test
        return exc


def test_readers_see_a_writers_new_lexical_generation(server_settings):
    embedder = HashingEmbedder()
    with Index(server_settings, embedder, write=True) as writer, Index(server_settings, embedder) as reader:
        writer.write_document(record("a", 1), make_chunks("a", ["Bürgerbeteiligung online"]))
        writer.lexical()
        assert reader.lexical_search("Glasfaser", 3) == []
        writer.write_document(record("b", 1), make_chunks("b", ["Glasfaser für alle Ortsteile"]))
        writer.lexical()  # persisted with the new generation
        assert [p.chunk.doc_id for p in reader.lexical_search("Glasfaser", 3)] == ["b"]
        assert reader.lexical().generation == writer.manifest.generation
        writer.remove_document("b")  # not yet persisted: the reader rebuilds from the manifest
        assert reader.lexical_search("Glasfaser", 3) == []


def test_writers_serialise_readers_do_not(server_settings):
    embedder = HashingEmbedder()
    with Index(server_settings, embedder, write=True, purpose="ingest"):
        with pytest.raises(IndexLockedError, match="PID"):
            Index(server_settings, embedder, write=True)
        with Index(server_settings, embedder) as reader:
            assert reader.status()["chroma"] == server_settings.chroma_url
