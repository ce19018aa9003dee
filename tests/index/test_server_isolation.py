"""On one ``chroma run`` server: indexes keep their own vectors, a backup leaves the live ones alone."""

from __future__ import annotations

from assistant.config import Settings
from assistant.embeddings.fake import HashingEmbedder
from assistant.index import Index
from assistant.index.backup import backup_index
from tests.index.test_index import make_chunks, record


def _write(settings: Settings, embedder: HashingEmbedder, doc_id: str, texts: list[str]) -> None:
    with Index(settings, embedder, write=True, purpose="test") as index:
        index.write_document(record(doc_id, len(texts)), make_chunks(doc_id, texts))


def test_two_indexes_on_one_server_keep_their_vectors(tmp_path, chroma_server) -> None:
    embedder = HashingEmbedder()
    first = Settings(data_dir=tmp_path / "data", index_name="stadt-a", chroma_url=chroma_server.url)
    second = first.model_copy(update={"index_name": "stadt-b"})
    _write(first, embedder, "a", ["Glasfaser in Altdorf", "Breitband im Ortskern"])
    _write(second, embedder, "b", ["Parkraum in Bergheim"])
    # A writer of one index reconciles Chroma against its own manifest: the other's vectors are
    # not its orphans.
    with Index(second, embedder, write=True, purpose="test") as index:
        index.reconcile()
        assert index.chroma.count() == 1
    with Index(first, embedder) as index:
        assert index.chroma.count() == 2
        assert index.dense_search("Glasfaser", 2)[0].chunk.doc_id == "a"


def test_a_backup_in_server_mode_leaves_the_live_collection(tmp_path, chroma_server, monkeypatch) -> None:
    # As deployed: the server comes from the environment, which every Settings() reads.
    monkeypatch.setenv("ASSISTANT_CHROMA_URL", chroma_server.url)
    embedder = HashingEmbedder()
    live = Settings(data_dir=tmp_path / "data")
    _write(live, embedder, "plan", ["Digitale Souveränität mit openDesk", "Offene Standards im Rathaus"])
    report = backup_index(live, embedder, tmp_path / "sicherung")
    assert report.counts.chunks == 2 and not report.vectors_copied
    with Index(live, embedder) as index:
        assert index.chroma.count() == 2  # the copy check rebuilt its vectors elsewhere
    assert (tmp_path / "sicherung" / "default" / "chroma").is_dir()
