"""Answer units: label-value lines, lists announced by a lead-in (also when the items are headings)."""

from __future__ import annotations

from pathlib import Path

from assistant.generation.abstention import AbstentionModel
from assistant.generation.evidence import quotable
from assistant.generation.extractive import ExtractiveAnswerer
from assistant.index.lexical import LexicalIndex
from assistant.text.units import answer_units, is_label_value
from assistant.types import Chunk, Passage
from ingestion.announced_lists import expand_announced_lists
from ingestion.chunking import chunk_document
from ingestion.document import Block, LoadedDocument

ALWAYS_ANSWER = AbstentionModel(weights={}, bias=10.0, threshold=0.0, slot_threshold=0.0)


def _words(text: str) -> int:
    return len(text.split()) + 2


def test_label_value_lines_are_one_unit_and_quotable() -> None:
    text = "Wann? 27. Mai 2021\nWo? online\n\nSmart City bedeutet nicht Digitalisierung als Selbstzweck."
    units = answer_units(text)
    assert units[0] == "Wann? 27. Mai 2021; Wo? online"
    assert is_label_value(units[0]) and quotable(units[0])
    assert units[1].startswith("Smart City bedeutet")


def test_a_statement_after_a_colon_is_not_taken_for_a_label() -> None:
    assert not is_label_value(
        "Hinweis: Die Stadt hat in den vergangenen drei Jahren zahlreiche neue Projekte gestartet."
    )
    # A soft-wrapped sentence stays one sentence.
    assert answer_units("Die Stadt plant den Ausbau\nder Ladepunkte bis 2027.") == [
        "Die Stadt plant den Ausbau\nder Ladepunkte bis 2027."
    ]


def _theses_document() -> LoadedDocument:
    return LoadedDocument(
        path=Path("thesen.txt"),
        blocks=[
            Block("heading", "Digitalstrategien für Kommunen", level=1),
            Block(
                "paragraph",
                "Erfahrungen zeigen, dass folgende drei Thesen für eine Digitalstrategie wesentlich sind:",
            ),
            Block("heading", "1. NUR INTEGRIERTE STRATEGIEN FUNKTIONIEREN", level=2),
            Block(
                "paragraph",
                "Die Strategie muss sich an bestehenden Konzepten der Stadtentwicklung orientieren.",
            ),
            Block("heading", "2. NUR PARTIZIPATIVE STRATEGIEN FUNKTIONIEREN", level=2),
            Block("paragraph", "Akzeptanz entsteht, wenn Bürgerinnen und Bürger beteiligt sind."),
            Block("heading", "3. NUR UMSETZBARE STRATEGIEN FUNKTIONIEREN", level=2),
            Block("paragraph", "Aus der Strategie müssen greifbare Projekte folgen."),
        ],
    )


def test_headings_announced_by_a_lead_in_become_its_list_items() -> None:
    blocks = expand_announced_lists(_theses_document().blocks)
    items = [b.text for b in blocks if b.kind == "list_item"]
    assert items == [
        "NUR INTEGRIERTE STRATEGIEN FUNKTIONIEREN",
        "NUR PARTIZIPATIVE STRATEGIEN FUNKTIONIEREN",
        "NUR UMSETZBARE STRATEGIEN FUNKTIONIEREN",
    ]
    assert sum(b.kind == "heading" for b in blocks) == 4  # the headings stay


def test_a_lead_in_followed_by_unrelated_headings_is_left_alone() -> None:
    blocks = [
        Block("paragraph", "Wir danken allen Beteiligten:"),
        Block("heading", "Ein einziger Abschnitt", level=2),
        Block("paragraph", "Text."),
    ]
    assert expand_announced_lists(blocks) == blocks  # one heading is no list


def test_a_list_question_quotes_the_items_given_as_headings() -> None:
    drafts = chunk_document(_theses_document(), title="Thesenpapier", max_tokens=256, count_tokens=_words)
    chunks = [
        Chunk(chunk_id=f"t::{i}", doc_id="t", text=d.text, title="Thesenpapier", source="t.txt",
              section=" > ".join(d.section_path))
        for i, d in enumerate(drafts)
    ]  # fmt: skip
    lexical = LexicalIndex()
    lexical.build(chunks, generation=0)
    passages = [Passage(chunk=c, score=1.0 - i * 0.1) for i, c in enumerate(chunks)]
    answer = ExtractiveAnswerer(lexical, abstention_model=ALWAYS_ANSWER).answer(
        "Welche drei Thesen sind für eine Digitalstrategie wesentlich?", passages
    )
    first_line = answer.answer.splitlines()[1]
    assert "folgende drei Thesen" in first_line
    for thesis in ("INTEGRIERTE", "PARTIZIPATIVE", "UMSETZBARE"):
        assert thesis in first_line, answer.answer


def test_table_rows_are_quoted_with_their_header_as_pairs() -> None:
    text = (
        "Der Maßnahmenplan nennt Priorität und Verantwortung.\n\n"
        "Nr. | Maßnahme | Priorität | Verantwortlich\n"
        "S2 | Pilot Open-Source-Arbeitsplatz (openDesk) mit 30 Arbeitsplätzen | B | FB 1\n"
        "V3 | Freies WLAN an 14 Standorten | B | Stadtwerke"
    )
    units = answer_units(text)
    assert units[1] == (
        "Maßnahme: Pilot Open-Source-Arbeitsplatz (openDesk) mit 30 Arbeitsplätzen · Priorität: B · "
        "Verantwortlich: FB 1"
    )
    assert units[2] == "Maßnahme: Freies WLAN an 14 Standorten · Priorität: B · Verantwortlich: Stadtwerke"
    assert all(quotable(u) for u in units[1:])
    assert not any(u.startswith("Nr.") for u in units)  # the header row is no answer


def test_a_table_without_a_header_row_keeps_its_rows() -> None:
    text = "S2 | Pilot openDesk | B\nV3 | Freies WLAN | B"
    assert answer_units(text) == ["S2 | Pilot openDesk | B", "V3 | Freies WLAN | B"]
