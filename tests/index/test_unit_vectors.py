"""Answer-unit vectors: computed at ingest, cached by text hash, backfilled, verified."""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.embeddings.fake import HashingEmbedder
from assistant.index import Index
from assistant.index.maintenance import repair_index, verify_index
from assistant.text.units import scored_units
from ingestion.pipeline import Ingestor

TEXT = (
    "Die Stadt Kessbach stellt 2025 alle Arbeitsplätze auf openDesk um.\n\n"
    "Wann? 27. Mai 2021\nWo? online\n\n"
    "Die Kosten des Pilotjahres lagen bei 14.500 Euro. Der Rat hat die Fortsetzung beschlossen."
)


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    root.mkdir()
    (root / "kessbach.txt").write_text(TEXT, encoding="utf-8")
    return root


def _settings(tmp_path: Path, weight: float) -> Settings:
    return Settings(
        data_dir=tmp_path / "data", index_name="units", sparse_weight=0, reader_dense_weight=weight
    )


def test_units_are_embedded_once_and_found_by_text(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    embedder = HashingEmbedder()
    settings = _settings(tmp_path, 1.0)
    with Index(settings, embedder, write=True) as index:
        Ingestor(index, settings).run([root])
        assert index.units is not None
        units = [u for c in index.manifest.all_chunks() for u in scored_units(c.text)]
        assert "Wann? 27. Mai 2021; Wo? online" in units
        assert index.units.computed == len(set(units))
        found = index.units.lookup(units)
        assert set(found) == set(units)
        calls = embedder.calls
        (root / "kessbach.txt").write_text(
            TEXT + "\n\nNeu: Ein weiterer Satz über das Bürgerportal.", encoding="utf-8"
        )
        Ingestor(index, settings).run([root])
        # Only the new sentence (and the changed chunk) were encoded: unchanged units come from the cache.
        assert index.units.computed == len(set(units)) + 1
        assert embedder.calls - calls == 2  # the changed chunk and the one new unit
        assert verify_index(index).counts.missing_unit_vectors == 0


def test_an_index_built_without_unit_vectors_gets_them_backfilled(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    with Index(_settings(tmp_path, 0.0), HashingEmbedder(), write=True) as index:
        Ingestor(index, _settings(tmp_path, 0.0)).run([root])
        assert index.units is None
    settings = _settings(tmp_path, 1.0)
    with Index(settings, HashingEmbedder(), write=True) as index:
        report = verify_index(index)
        assert report.counts.missing_unit_vectors == 4
        assert any("Satzvektor" in p for p in report.problems)
        assert repair_index(index).unit_vectors_computed == 4
        assert verify_index(index).counts.missing_unit_vectors == 0
    with Index(_settings(tmp_path, 0.0), HashingEmbedder(), write=True) as index:
        Ingestor(index, _settings(tmp_path, 0.0)).run([root])
    with Index(settings, HashingEmbedder(), write=True) as index:
        # The next ingest backfills too: nothing is missing (they are still cached from the repair).
        report = Ingestor(index, settings).run([root])
        assert report.unit_vectors_backfilled == 0
        assert verify_index(index).counts.missing_unit_vectors == 0


def test_ingest_backfills_unit_vectors_for_unchanged_files(tmp_path: Path) -> None:
    root = _folder(tmp_path)
    with Index(_settings(tmp_path, 0.0), HashingEmbedder(), write=True) as index:
        Ingestor(index, _settings(tmp_path, 0.0)).run([root])
    settings = _settings(tmp_path, 1.0)
    with Index(settings, HashingEmbedder(), write=True) as index:
        report = Ingestor(index, settings).run([root])
        assert [f.status for f in report.files] == ["unchanged"]
        assert report.unit_vectors_backfilled == 4
