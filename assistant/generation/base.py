"""The answerer interface and the pieces every answerer shares (numbering sources, abstaining)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from assistant.types import Answer, Passage, Source

NOTHING_FOUND = "Dazu finde ich in den Dokumenten nichts."


@runtime_checkable
class Answerer(Protocol):
    """Turns a question and ranked passages into a cited German answer (or an abstention)."""

    mode: str

    def answer(self, question: str, passages: list[Passage]) -> Answer: ...

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        """Text pieces as they are produced, then the final :class:`Answer`."""
        ...


def new_answer_id() -> str:
    return uuid.uuid4().hex[:16]


def number_sources(passages: list[Passage]) -> list[Source]:
    """Sources numbered 1..n in the order of the passages given."""
    return [Source.from_chunk(n, p.chunk) for n, p in enumerate(passages, start=1)]


def abstention(question: str, mode: str, passages: list[Passage], reason: str = "") -> Answer:
    """The honest answer when the documents do not answer the question: cites nothing."""
    return Answer(
        answer_id=new_answer_id(),
        question=question,
        answer=NOTHING_FOUND,
        abstained=True,
        mode=mode,
        passages=[p.to_result() for p in passages],
        warnings=[reason] if reason else [],
    )
