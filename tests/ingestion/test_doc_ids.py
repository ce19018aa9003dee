"""Document ids keep a file's identity: no two files share one, reruns are unchanged, and an
index built with the old slug rule keeps its ids (issue 18, defect 3)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.config import Settings
from assistant.embeddings.fake import HashingEmbedder
from assistant.index import Index
from ingestion.cleaning import clean_document
from ingestion.doc_ids import doc_id_for
from ingestion.loaders import load_document
from ingestion.pipeline import Ingestor, discover
from ingestion.report import printable
from kommunal.cli.main import app

TEXTS = {
    "Müll.txt": "Die Müllabfuhr kommt dienstags mit dem Elektrofahrzeug.",
    "Möll.txt": "Die Möllner Bibliothek öffnet samstags mit Selbstverbuchung.",
    "a b.txt": "Das Bürgerportal bietet 40 Online-Dienste an.",
    "a-b.txt": "Die Schulen erhalten flächendeckend WLAN bis 2027.",
}


def test_doc_id_for_transliterates_umlauts() -> None:
    assert doc_id_for("Müll.txt") == "muell"
    assert doc_id_for("Möll.txt") == "moell"
    assert doc_id_for("Straße/Café Übersicht.md") == "strasse/cafe-uebersicht"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    for name, text in TEXTS.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", index_name="ids", sparse_weight=0)


def test_colliding_names_are_all_stored_and_reruns_are_unchanged(folder: Path, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with Index(settings, HashingEmbedder(), write=True) as index:
        first = Ingestor(index, settings).run([folder])
        second = Ingestor(index, settings).run([folder])
        ids = {f.path: f.doc_id for f in first.files}
        assert [f.status for f in first.files] == ["ok"] * 4, first.to_json_dict()
        assert len(set(ids.values())) == 4, ids
        assert ids["Müll.txt"] == "muell" and ids["Möll.txt"] == "moell"
        assert [f.status for f in second.files] == ["unchanged"] * 4, second.to_json_dict()
        assert {f.path: f.doc_id for f in second.files} == ids
        assert len(index.manifest.documents()) == 4
        for text in TEXTS.values():
            hits = index.lexical_search(text, 1)
            assert hits and hits[0].chunk.text == text


def test_cli_ingest_reports_both_files_and_unchanged_on_rerun(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_INDEX_NAME", "cli")
    monkeypatch.setenv("ASSISTANT_EMBEDDING_BACKEND", "use")
    monkeypatch.setenv("ASSISTANT_SPARSE_WEIGHT", "0")
    runner = CliRunner()

    first = runner.invoke(app, ["ingest", str(folder), "--json"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(app, ["ingest", str(folder), "--json"])
    assert second.exit_code == 0, second.output
    assert json.loads(first.output)["totals"]["ok"] == 4
    assert json.loads(second.output)["totals"]["unchanged"] == 4


def test_an_explicit_id_held_by_another_file_fails_only_the_second(folder: Path, tmp_path: Path) -> None:
    (folder / "x1.md").write_text("---\nid: gemeinsam\n---\nErster Text über Parkraum.\n", encoding="utf-8")
    (folder / "x2.md").write_text("---\nid: gemeinsam\n---\nZweiter Text über Radwege.\n", encoding="utf-8")
    settings = _settings(tmp_path)
    with Index(settings, HashingEmbedder(), write=True) as index:
        report = Ingestor(index, settings).run([folder])
        results = {f.path: f for f in report.files}
        assert results["x1.md"].status == "ok" and results["x1.md"].doc_id == "gemeinsam"
        assert results["x2.md"].status == "failed"
        assert "gemeinsam" in (results["x2.md"].reason or "") and "x1.md" in (results["x2.md"].reason or "")
        assert index.manifest.document("gemeinsam").source == "x1.md"  # type: ignore[union-attr]
        assert report.failed


def test_an_index_with_old_ids_keeps_them(folder: Path, tmp_path: Path) -> None:
    """A document recorded under the old rule's id (``m-ll``) keeps it when its file changes."""
    settings = _settings(tmp_path)
    only = tmp_path / "only"
    only.mkdir()
    (only / "Müll.txt").write_text(TEXTS["Müll.txt"], encoding="utf-8")
    with Index(settings, HashingEmbedder(), write=True) as index:
        ingestor = Ingestor(index, settings)
        # Store it the way the old rule named it, through the real write path.
        item = discover([only])[0]
        cleaned = clean_document(load_document(item.path, max_bytes=10**6, max_unpacked_bytes=10**6))
        record, chunks = ingestor.build(item, cleaned, ingestor.fingerprint(item.path), doc_id="m-ll")
        index.write_document(record, chunks)
        (only / "Müll.txt").write_text(TEXTS["Müll.txt"] + " Neu: auch freitags.", encoding="utf-8")
        report = Ingestor(index, settings).run([only])
        assert [(f.status, f.doc_id) for f in report.files] == [("ok", "m-ll")]
        assert [d.doc_id for d in index.manifest.documents()] == ["m-ll"]


def test_broken_links_are_reported_as_skipped(folder: Path, tmp_path: Path) -> None:
    os.symlink(folder / "nowhere.txt", folder / "dangling.txt")
    os.symlink(folder / "loop2.txt", folder / "loop1.txt")
    os.symlink(folder / "loop1.txt", folder / "loop2.txt")
    os.symlink(folder, folder / "ordner")
    settings = _settings(tmp_path)
    with Index(settings, HashingEmbedder(), write=True) as index:
        report = Ingestor(index, settings).run([folder])
    skipped = {f.path: f.reason or "" for f in report.files if f.status == "skipped"}
    assert set(skipped) == {"dangling.txt", "loop1.txt", "loop2.txt", "ordner"}, report.to_json_dict()
    assert "nicht gibt" in skipped["dangling.txt"]
    assert "Schleife" in skipped["loop1.txt"]
    assert "Ordner" in skipped["ordner"]
    assert report.totals()["ok"] == 4 and not report.failed


def test_file_names_with_control_characters_print_on_one_line() -> None:
    assert printable("bericht\nneu\t.txt") == "bericht\\nneu\\t.txt"
    assert printable("Müll.txt") == "Müll.txt"
