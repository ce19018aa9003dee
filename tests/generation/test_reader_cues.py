"""The reader's newer rules: answer cues, the document's subject as said, a first quote made whole."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from assistant.generation.evidence import ScoredSentence
from assistant.generation.extractive import complete_first
from assistant.generation.reader import DEFAULT_WEIGHTS, UnitReader
from assistant.index.lexical import LexicalIndex
from assistant.types import Chunk, Passage

BATH = Chunk(
    chunk_id="bad::0",
    doc_id="hallenbad",
    title="Hallenbad am Kesselsee",
    source="hallenbad.odt",
    text=(
        "Das Hallenbad bleibt im Sommer sechs Wochen geschlossen und öffnet im September wieder.\n\n"
        "Das Hallenbad bleibt im Sommer geschlossen, weil die Lüftungsanlage erneuert wird."
    ),
)
BUS = Chunk(
    chunk_id="bus::0",
    doc_id="rufbus",
    title="Rufbus Talheim",
    source="rufbus.odt",
    text="Angefahren werden der Marktplatz, der Bahnhof und das Freibad an der Ziegelei.",
)
COUNCIL = Chunk(
    chunk_id="rat::0",
    doc_id="gemeinderat",
    title="Sitzung des Gemeinderats",
    source="gemeinderat.odt",
    text="Der Gemeinderat hat den Rufbus Talheim im Herbst nach längerer Debatte beschlossen.",
)
FUNDING = Chunk(
    chunk_id="foerder::0",
    doc_id="foerderliste",
    title="Fördermittel",
    source="foerderliste.odt",
    text=(
        "Die Förderliste nennt für jedes Vorhaben das Programm, die Quote und die Frist.\n\n"
        "Sie wird dem Gemeinderat zweimal im Jahr vorgelegt.\n\n"
        "Jede Maßnahme bekommt im Statusbericht eine Ampel.\n\n"
        "Gelb heißt: bis zu drei Monate Verzug oder bis zu zehn Prozent Mehrkosten."
    ),
)


class SameVectors:
    """Unit vectors that are all alike: the dense part cannot decide, the other signals do."""

    def query(self, text: str) -> np.ndarray:
        return np.ones(4) / 2

    def lookup(self, units: list[str]) -> dict[str, np.ndarray]:
        return {u: np.ones(4) / 2 for u in units}


@pytest.fixture(scope="module")
def lexical() -> LexicalIndex:
    index = LexicalIndex()
    index.build([BATH, BUS, COUNCIL, FUNDING], generation=0)
    return index


def test_a_why_question_prefers_the_unit_that_gives_a_reason(lexical):
    reader = UnitReader(lexical, SameVectors(), DEFAULT_WEIGHTS)
    units = reader.read(
        "Warum bleibt das Hallenbad im Sommer geschlossen?", [Passage(chunk=BATH, score=1.0)]
    ).units
    assert "weil" in units[0].text


def test_the_documents_subject_counts_as_said(lexical):
    passages = [Passage(chunk=BUS, score=1.0), Passage(chunk=COUNCIL, score=0.8)]
    question = "Welche Haltestellen fährt der Rufbus Talheim an?"
    with_subject = UnitReader(lexical, SameVectors(), DEFAULT_WEIGHTS).read(question, passages).units
    without = UnitReader(lexical, SameVectors(), replace(DEFAULT_WEIGHTS, subject=0.0)).read(
        question, passages
    )
    assert with_subject[0].text.startswith("Angefahren werden")  # names neither „Rufbus“ nor „Talheim“
    assert without.units[0].text.startswith("Der Gemeinderat")  # the sentence that repeats the name


def _unit(lexical: LexicalIndex, chunk: Chunk, position: int, text: str) -> ScoredSentence:
    return ScoredSentence(text, 0, position, 0.5, 0.5, frozenset(lexical.analyze(text)))


def test_a_first_quote_that_points_back_gets_its_sentence_before(lexical):
    first = _unit(lexical, FUNDING, 1, "Sie wird dem Gemeinderat zweimal im Jahr vorgelegt.")
    question = set(lexical.analyze("Wie oft wird die Förderliste vorgelegt?"))
    [joined] = complete_first([first], [Passage(chunk=FUNDING, score=1.0)], lexical, question)
    assert joined.text == (
        "Die Förderliste nennt für jedes Vorhaben das Programm, die Quote und die Frist. "
        "Sie wird dem Gemeinderat zweimal im Jahr vorgelegt."
    )


def test_a_first_quote_that_repeats_the_question_gets_the_sentence_after(lexical):
    first = _unit(lexical, FUNDING, 2, "Jede Maßnahme bekommt im Statusbericht eine Ampel.")
    second = _unit(
        lexical, FUNDING, 3, "Gelb heißt: bis zu drei Monate Verzug oder bis zu zehn Prozent Mehrkosten."
    )
    question = set(lexical.analyze("Was heißt eine gelbe Ampel im Statusbericht einer Maßnahme?"))
    chosen = complete_first([first, second], [Passage(chunk=FUNDING, score=1.0)], lexical, question)
    assert [c.text for c in chosen] == [f"{first.text} {second.text}"]  # the neighbour is not quoted twice


def test_a_first_quote_that_answers_stays_as_it_is(lexical):
    first = _unit(
        lexical, FUNDING, 0, "Die Förderliste nennt für jedes Vorhaben das Programm, die Quote und die Frist."
    )
    question = set(lexical.analyze("Was steht auf der Förderliste?"))
    assert complete_first([first], [Passage(chunk=FUNDING, score=1.0)], lexical, question) == [first]
    long = set(lexical.analyze("Wie oft wird die Förderliste vorgelegt?"))
    back = _unit(lexical, FUNDING, 1, "Sie wird dem Gemeinderat zweimal im Jahr vorgelegt.")
    assert complete_first([back], [Passage(chunk=FUNDING, score=1.0)], lexical, long, max_chars=60) == [back]
