"""Display titles for documents whose metadata and first line name none."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.document import Block, LoadedDocument
from ingestion.titles import MAX_CHARS, fallback_title, is_machine_made


@pytest.mark.parametrize(
    ("stem", "machine_made"),
    [
        ("002_40833ed0cf7b4e64", True),
        ("Scan_000123", True),
        ("dokument(3)", True),
        ("20240517", True),
        ("3f2a9c1e-77b0-4c2e-9d1a-0b5e2f6c8a11", True),
        ("leitfaden-buergerbeteiligung", False),
        ("Digitalstrategie_2030", False),
        ("massnahmenplan-digitalstrategie-2024-2026", False),
        ("Beschluss 17", False),
    ],
)
def test_machine_made_file_names(stem, machine_made):
    assert is_machine_made(stem) is machine_made


def document(*blocks: Block) -> LoadedDocument:
    return LoadedDocument(path=Path("x.txt"), blocks=list(blocks))


def test_a_readable_file_name_stays_the_title():
    doc = document(Block("heading", "Ganz anderer Titel"))
    assert fallback_title(doc, "guidance/leitfaden-beteiligung.md") == "leitfaden beteiligung"


def test_a_machine_made_name_gives_way_to_the_first_heading():
    doc = document(
        Block("paragraph", "Vorab ein Satz. Und noch einer."),
        Block("heading", "Zwei Grundsatzfragen: Ausgangspunkt und Betrachtungsweise", level=2),
    )
    assert (
        fallback_title(doc, "002_40833ed0cf7b4e64.txt")
        == "Zwei Grundsatzfragen: Ausgangspunkt und Betrachtungsweise"
    )


def test_without_headings_the_first_sentence_is_the_title_shortened_at_a_word():
    doc = document(
        Block("paragraph", "Wie gehen Sie als Stadt das Smart City-Thema an? Je nach Zielen mehr.")
    )
    assert fallback_title(doc, "Scan_000123.pdf") == "Wie gehen Sie als Stadt das Smart City-Thema an?"
    long = document(Block("paragraph", "Ein sehr langer erster Satz " * 10 + "."))
    title = fallback_title(long, "Scan_000124.pdf")
    assert len(title) <= MAX_CHARS and title.endswith(" …") and "  " not in title


def test_an_empty_document_keeps_the_file_name():
    assert fallback_title(document(), "Scan_000125.pdf") == "Scan 000125"
