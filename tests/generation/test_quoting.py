"""Which sentences the extractive answerer quotes: statements, not headings, questions or cut-off text."""

from __future__ import annotations

import pytest

from assistant.generation.abstention import AbstentionModel
from assistant.generation.evidence import quotable
from assistant.generation.extractive import ExtractiveAnswerer
from assistant.index.lexical import LexicalIndex
from assistant.text.answer_types import expected_answer_type
from assistant.types import Chunk, Passage

# Never abstains, so these tests see the choice of sentences alone.
ALWAYS_ANSWER = AbstentionModel(weights={}, bias=10.0, threshold=0.5, slot_threshold=0.0)

PILOT = Chunk(
    chunk_id="pilot-1",
    doc_id="digital-dabei",
    title="Digital dabei",
    source="digital-dabei.odt",
    text=(
        "Was hat das Pilotjahr gebracht?\n\n"
        "Ergebnisse des Pilotjahres der Digitallotsen\n\n"
        "Die Kosten des Pilotjahres der Digitallotsen lagen bei 14.500 Euro.\n\n"
        "Pilotjahr der Digitallotsen | 18 Ehrenamtliche | 14.500 Euro\n\n"
        "[…]\n\n"
        "… und im Pilotjahr der Digitallotsen"
    ),
)


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("Die Kosten des Pilotjahres lagen bei 14.500 Euro.", True),
        ("Zuerst werden diese Leistungen digitalisiert: Hundeanmeldung; Bewohnerparkausweis", True),
        ("Pilotjahr | 18 Ehrenamtliche | 14.500 Euro", True),  # a table row
        ("„Beteiligung ist kein Zusatz am Ende.“", True),
        ("Wie gehen Sie als Stadt das Smart City-Thema an?", False),  # the source's own question
        ("Ergebnisse des Pilotjahres", False),  # a heading
        ("Verwaltungsdigitalisierung und Smart City sind eng verknüpft, aber nicht das gleiche", False),
        ("… Digitalstrategie zu erarbeiten.", False),  # cut off by a window's length cap
        ("Die Schulung umfasst 20 Unterrichtsstunden in vier …", False),
        ("", False),
    ],
)
def test_quotable_units(unit, expected):
    assert quotable(unit) is expected


def test_a_short_line_with_the_asked_for_value_stays_quotable():
    when = expected_answer_type("Wann fand der Netzwerkaustausch statt?")
    assert not quotable("Termin 27. Mai 2021")
    assert quotable("Termin 27. Mai 2021", when)


def test_the_answer_quotes_statements_and_table_rows_only():
    lexical = LexicalIndex()
    lexical.build([PILOT], generation=0)
    answer = ExtractiveAnswerer(lexical, abstention_model=ALWAYS_ANSWER).answer(
        "Was hat das Pilotjahr der Digitallotsen gekostet?", [Passage(chunk=PILOT, score=1.0)]
    )
    quoted = [c.sentence for c in answer.citations]
    assert "Die Kosten des Pilotjahres der Digitallotsen lagen bei 14.500 Euro." in quoted
    assert not any(s.endswith("?") or "…" in s or s.startswith("Ergebnisse") for s in quoted)
