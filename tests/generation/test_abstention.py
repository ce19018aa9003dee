"""The answer-time evidence check: a typed question needs a sentence that holds the asked-for value."""

import json

import pytest

from assistant.generation.abstention import AbstentionModel, load_model
from assistant.generation.evidence import answer_slot_coverage, evidence_features, query_terms
from assistant.generation.extractive import ExtractiveAnswerer
from assistant.index.lexical import LexicalIndex
from assistant.types import Chunk, Passage

RUFBUS_TOPIC = Chunk(
    chunk_id="rufbus-1",
    doc_id="mobilitaet",
    title="Mobilität",
    source="mobilitaet.md",
    text="Der Rufbus LindFlex fährt seit 2024 in allen Ortsteilen. "
    "Fahrgäste buchen den Rufbus per App oder Telefon.",
)
RUFBUS_COUNT = Chunk(
    chunk_id="rufbus-2",
    doc_id="bilanz",
    title="Jahresbilanz",
    source="bilanz.md",
    text="Im ersten Betriebsjahr beförderte der Rufbus LindFlex rund 12.400 Fahrgäste.",
)
OTHER = Chunk(
    chunk_id="glasfaser-1",
    doc_id="glasfaser",
    title="Glasfaser",
    source="glasfaser.md",
    text="Der Landkreis baut Glasfaser aus. Bis 2026 sollen 90 Prozent der Haushalte angeschlossen sein.",
)
COUNT_QUESTION = "Wie viele Fahrgäste hat der Rufbus LindFlex im ersten Betriebsjahr befördert?"
# Decides by the slot alone, so the tests do not depend on the shipped calibration.
SLOT_ONLY = AbstentionModel(weights={}, bias=1.0, threshold=0.5, slot_threshold=0.3)


@pytest.fixture(scope="module")
def lexical() -> LexicalIndex:
    index = LexicalIndex()
    index.build([RUFBUS_TOPIC, RUFBUS_COUNT, OTHER], generation=0)
    return index


def ranked(*chunks: Chunk) -> list[Passage]:
    return [Passage(chunk=c, score=1.0 - 0.1 * i, scores={"dense": 0.85}) for i, c in enumerate(chunks)]


def slot(question: str, passages: list[Passage], lexical: LexicalIndex) -> float:
    return answer_slot_coverage(question, query_terms(question, lexical), passages, lexical)


def test_topic_without_the_asked_value_leaves_the_slot_empty(lexical):
    # The passage is about the Rufbus and even says "Fahrgäste", but holds no count (2024 is a year).
    assert slot(COUNT_QUESTION, ranked(RUFBUS_TOPIC, OTHER), lexical) == 0.0


def test_sentence_with_the_value_and_the_question_terms_fills_the_slot(lexical):
    assert slot(COUNT_QUESTION, ranked(RUFBUS_TOPIC, RUFBUS_COUNT), lexical) > 0.5


def test_a_value_about_something_else_covers_little(lexical):
    # "90 Prozent" is a number, but its sentence shares no term with the question.
    assert slot(COUNT_QUESTION, ranked(OTHER), lexical) == 0.0


def test_open_questions_have_no_slot_to_fill(lexical):
    assert slot("Wie buchen die Leute den Rufbus?", ranked(OTHER), lexical) == 1.0


def test_extractive_answerer_abstains_when_the_slot_stays_empty(lexical):
    answerer = ExtractiveAnswerer(lexical, abstention_model=SLOT_ONLY)
    answer = answerer.answer(COUNT_QUESTION, ranked(RUFBUS_TOPIC, OTHER))
    assert answer.abstained
    assert answer.citations == []
    assert answer.warnings == ["Die gefundenen Passagen nennen keine Anzahl zu dieser Frage."]


def test_extractive_answerer_answers_with_the_value_when_it_is_there(lexical):
    answerer = ExtractiveAnswerer(lexical, abstention_model=SLOT_ONLY)
    answer = answerer.answer(COUNT_QUESTION, ranked(RUFBUS_TOPIC, RUFBUS_COUNT))
    assert not answer.abstained
    assert "12.400 Fahrgäste" in answer.answer
    assert any(c.chunk_id == "rufbus-2" for c in answer.citations)


def test_model_abstains_on_an_empty_slot_or_a_low_probability():
    model = AbstentionModel(weights={"dense_top": 10.0}, bias=-8.0, threshold=0.5, slot_threshold=0.2)
    confident = {"dense_top": 0.9, "answer_slot_coverage": 1.0}
    assert not model.should_abstain(confident)
    assert model.should_abstain({**confident, "answer_slot_coverage": 0.1})
    assert model.should_abstain({**confident, "dense_top": 0.5})


def test_model_file_round_trip(tmp_path):
    model = AbstentionModel(
        weights={"answer_slot_coverage": 0.5}, bias=-0.3, threshold=0.45, slot_threshold=0.1
    )
    path = tmp_path / "model.json"
    path.write_text(model.to_json(), encoding="utf-8")
    assert load_model(path) == model


def test_shipped_model_uses_only_known_features():
    shipped = json.loads(load_model().to_json())
    features = evidence_features("Wie viele?", [], LexicalIndex())
    assert set(shipped["weights"]) <= set(features)


def test_the_document_title_counts_as_context_of_its_sentences(lexical):
    # The answer sentence does not repeat the subject its document's title names.
    titled = RUFBUS_COUNT.model_copy(
        update={
            "title": "Rufbus LindFlex: Jahresbilanz",
            "text": "Im ersten Betriebsjahr fuhren rund 12.400 Fahrgäste mit.",
        }
    )
    untitled = titled.model_copy(update={"title": "Jahresbilanz"})
    assert slot(COUNT_QUESTION, ranked(titled), lexical) > slot(COUNT_QUESTION, ranked(untitled), lexical)
