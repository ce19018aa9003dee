"""One fallback for answers and drafts: when the model is unreachable, the extractive path writes.

The reader learns it from one warning text, the same for an answer and a draft.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import TypeVar

from assistant.errors import LLMUnavailableError
from assistant.generation.base import Answerer
from assistant.types import Answer, Passage

log = logging.getLogger(__name__)
T = TypeVar("T")

FALLBACK_WARNING = (
    "Das Sprachmodell war nicht erreichbar; der Text wurde stattdessen wörtlich aus den Quellen "
    "zusammengestellt."
)


def first_available(
    primary: Callable[[], T], fallback: Callable[[], T] | None, fallback_mode: str
) -> tuple[T, bool]:
    """``primary()``, or ``fallback()`` when its model is unreachable; True when it fell back.

    Without a fallback the :class:`LLMUnavailableError` propagates.
    """
    try:
        return primary(), False
    except LLMUnavailableError as exc:
        if fallback is None:
            raise
        log.warning("falling back to %s: %s", fallback_mode, exc.code)
        return fallback(), True


class FallbackAnswerer:
    """Uses ``primary``; when its model is unreachable, answers with ``fallback`` plus a warning."""

    def __init__(self, primary: Answerer, fallback: Answerer, warning: str = FALLBACK_WARNING) -> None:
        self.primary = primary
        self.fallback = fallback
        self.warning = warning
        self.mode = primary.mode

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        answer, fell_back = first_available(
            lambda: self.primary.answer(question, passages),
            lambda: self.fallback.answer(question, passages),
            self.fallback.mode,
        )
        return self._warned(answer) if fell_back else answer

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        """Stream from ``primary``; fall back only if it failed before showing any text."""
        shown = False
        try:
            for item in self.primary.stream(question, passages):
                if isinstance(item, str) and item:
                    shown = True
                yield item
            return
        except LLMUnavailableError as exc:
            if shown:
                raise  # half an answer is on screen already; the caller must report the break
            log.warning("falling back to %s answerer: %s", self.fallback.mode, exc.code)
        for item in self.fallback.stream(question, passages):
            yield self._warned(item) if isinstance(item, Answer) else item

    def _warned(self, answer: Answer) -> Answer:
        answer.warnings.insert(0, self.warning)
        return answer
