"""Follow-up questions: which ones refer back, what they are answered as, and through every channel."""

from __future__ import annotations

import pytest

from assistant.conversation import Turn, condense
from assistant.index.lexical import LexicalIndex
from assistant.types import Chunk

TEXTS = [
    (
        "kessbach",
        "openDesk in der Gemeinde Kessbach",
        "Kessbach spart mit openDesk jährlich 21.000 Euro Lizenzkosten.",
    ),
    (
        "kessbach",
        "openDesk in der Gemeinde Kessbach",
        "Die Umstellung auf openDesk kostete einmalig 38.000 Euro.",
    ),
    ("brunnhagen", "Smart Parking Brunnhagen", "Brunnhagen hat 420 Parksensoren im LoRaWAN-Netz verbaut."),
    ("lotsen", "Digitallotsen Lindwerder", "Die Digitallotsen beraten dienstags in der Stadtbibliothek."),
]


@pytest.fixture(scope="module")
def terms() -> LexicalIndex:
    index = LexicalIndex()
    chunks = [
        Chunk(chunk_id=f"{doc}::{i}", doc_id=doc, text=text, title=title, source=f"{doc}.txt")
        for i, (doc, title, text) in enumerate(TEXTS)
    ]
    index.build(chunks, generation=0)
    return index


FIRST = Turn(
    "Wie viel spart Kessbach mit openDesk?", cited_doc_ids=("kessbach",), cited_titles=(TEXTS[0][1],)
)


@pytest.mark.parametrize(
    "question",
    ["Und was kostet das?", "Und wo?", "Seit wann läuft das dort?", "Gab es dafür Fördermittel?",
     "Und wie lange hat die Umstellung gedauert?"],
)  # fmt: skip
def test_follow_ups_carry_the_earlier_subject_and_sources(terms: LexicalIndex, question: str) -> None:
    asked = condense([FIRST], question, terms)
    assert asked.rewritten, asked
    assert asked.question == question and asked.query.startswith(question)
    assert "Kessbach" in asked.query and "openDesk" in asked.query
    assert asked.prefer_doc_ids == ("kessbach",)
    assert asked.note == "Bezogen auf die vorige Frage: Kessbach, openDesk"


@pytest.mark.parametrize(
    "question",
    [
        "Wie viele Parksensoren hat Brunnhagen verbaut?",  # nothing points back
        "Und was kostet das LoRaWAN-Netz in Brunnhagen?",  # points back, but names its own subject
        "Wann beraten die Digitallotsen in der Stadtbibliothek?",
    ],
)
def test_a_new_subject_is_not_bent_to_the_earlier_question(terms: LexicalIndex, question: str) -> None:
    asked = condense([FIRST], question, terms)
    assert not asked.rewritten and asked.query == question and not asked.prefer_doc_ids and not asked.note


def test_without_history_nothing_is_rewritten(terms: LexicalIndex) -> None:
    assert condense([], "Und was kostet das?", terms).query == "Und was kostet das?"
    assert condense(None, "Und was kostet das?", terms).rewritten is False


def test_the_earlier_sources_titles_pick_the_subject(terms: LexicalIndex) -> None:
    earlier = Turn(
        "Wie viele Beratungen haben die Digitallotsen im Pilotjahr durchgeführt?",
        cited_doc_ids=("lotsen",),
        cited_titles=("Digitallotsen Lindwerder",),
    )
    asked = condense([earlier], "Und wann kann man dort vorbeikommen?", terms)
    assert asked.query == "Und wann kann man dort vorbeikommen? (Digitallotsen)"
