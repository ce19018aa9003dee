"""The LLM answerer: a chat model behind any OpenAI-compatible server writes the cited answer.

Flow: the same evidence check as the extractive answerer decides first (an abstention never
calls the model); otherwise the passages are numbered, wrapped in ``<quelle>`` delimiters
that the system prompt declares untrusted, and sent with the question. What comes back is
checked: links the sources don't present and control sequences are neutralised, citations
to unknown sources dropped, uncited sentences flagged, and only cited sources are returned.

The answerer takes any ``BaseChatModel`` (:mod:`assistant.generation.chat_model` builds it and
translates its failures; :mod:`assistant.generation.chat_messages` writes the messages);
:class:`~assistant.generation.fallback.FallbackAnswerer` turns an unreachable model into an
extractive answer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from assistant.checks import check_bounds
from assistant.errors import LLMUnavailableError
from assistant.generation.abstention import AbstentionModel, load_model
from assistant.generation.base import abstention, new_answer_id, number_sources
from assistant.generation.chat_messages import build_messages, says_nothing_found, strip_preamble
from assistant.generation.chat_model import create_chat_model, translate_error
from assistant.generation.citations import OutputSanitizer, allowed_urls, check_citations, neutralise_output
from assistant.generation.evidence import Analyzer, evidence_features, missing_value_note, pinned
from assistant.generation.reader import UnitReader
from assistant.types import Answer, Passage, Source

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.config import Settings

__all__ = ["TRUNCATED_WARNING", "LLMAnswerer"]

log = logging.getLogger(__name__)

TRUNCATED_WARNING = "Die Antwort wurde wegen der Längenbegrenzung abgeschnitten."


class LLMAnswerer:
    """Cited answers written by a chat model from numbered, delimited sources."""

    mode = "llm"

    def __init__(
        self,
        chat_model: BaseChatModel,
        analyzer: Analyzer,
        *,
        abstention_model: AbstentionModel | None = None,
        max_sources: int = 8,
        max_source_chars: int = 2000,
        timeout_s: float | None = None,
        endpoint: str | None = None,
    ) -> None:
        check_bounds("max_sources", max_sources, gt=0)
        check_bounds("max_source_chars", max_source_chars, gt=0)
        self.chat_model = chat_model
        self.analyzer = analyzer
        self.abstention_model = abstention_model or load_model()
        self.max_sources = max_sources
        self.max_source_chars = max_source_chars
        self.timeout_s = timeout_s
        self.endpoint = endpoint

    @classmethod
    def from_settings(cls, settings: Settings, analyzer: Analyzer, **kwargs: Any) -> LLMAnswerer:
        """An answerer for the server and model named in ``settings``; each source is cut at the
        reader-window limit, so the model reads the windows the retriever hands over."""
        kwargs.setdefault("max_source_chars", settings.reader_window_max_chars)
        return cls(
            create_chat_model(settings),
            analyzer,
            timeout_s=settings.llm_timeout_s,
            endpoint=settings.llm_base_url,
            **kwargs,
        )

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        started = time.perf_counter()
        early = self._evidence_abstention(question, passages)
        if early is not None:
            return _timed(early, started)
        sources = number_sources(passages[: self.max_sources])
        messages = build_messages(question, sources, self.max_source_chars)
        called = time.perf_counter()
        try:
            reply = self.chat_model.invoke(messages)
        except Exception as exc:
            error = self._translate(exc)
            if error is None:
                raise
            raise error from exc
        llm_ms = round((time.perf_counter() - called) * 1000, 2)
        truncated = reply.response_metadata.get("finish_reason") == "length"
        answer = self._finish(question, passages, sources, reply.text, truncated=truncated)
        answer.timings["llm_ms"] = llm_ms
        return _timed(answer, started)

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        """Text pieces as the model writes them (links already neutralised), then the checked Answer.

        The final Answer is authoritative: its text has invalid citations removed, which the
        pieces shown before it may still contain.
        """
        started = time.perf_counter()
        early = self._evidence_abstention(question, passages)
        if early is not None:
            yield early.answer
            yield _timed(early, started)
            return
        sources = number_sources(passages[: self.max_sources])
        messages = build_messages(question, sources, self.max_source_chars)
        sanitizer = OutputSanitizer(allowed_urls(sources))
        parts: list[str] = []
        first_piece_ms: float | None = None
        truncated = False
        try:
            for chunk in self.chat_model.stream(messages):
                truncated = truncated or chunk.response_metadata.get("finish_reason") == "length"
                piece = chunk.text
                if not piece:
                    continue
                if first_piece_ms is None:
                    first_piece_ms = round((time.perf_counter() - started) * 1000, 2)
                parts.append(piece)
                safe = sanitizer.feed(piece)
                if safe:
                    yield safe
        except Exception as exc:
            error = self._translate(exc)
            if error is None:
                raise
            raise error from exc
        tail = sanitizer.flush()
        if tail:
            yield tail
        answer = self._finish(question, passages, sources, "".join(parts), truncated=truncated)
        if first_piece_ms is not None:
            answer.timings["first_piece_ms"] = first_piece_ms
        yield _timed(answer, started)

    def _evidence_abstention(self, question: str, passages: list[Passage]) -> Answer | None:
        if not passages:
            return abstention(question, self.mode, passages, "Keine passenden Passagen gefunden.")
        reading = UnitReader.for_index(self.analyzer).read(question, passages)
        features = evidence_features(
            question, passages, pinned(self.analyzer), terms=reading.terms, sentences=reading.units
        )
        if self.abstention_model.should_abstain(features):
            return abstention(question, self.mode, passages, missing_value_note(question, features))
        return None

    def _finish(
        self,
        question: str,
        passages: list[Passage],
        sources: list[Source],
        raw: str,
        *,
        truncated: bool = False,
    ) -> Answer:
        text = strip_preamble(raw)
        if not text:
            return abstention(question, self.mode, passages, "Das Sprachmodell hat keine Antwort geliefert.")
        if says_nothing_found(text):
            return abstention(question, self.mode, passages)
        check = check_citations(neutralise_output(text, allowed_urls(sources)), sources)
        cited = set(check.cited_numbers)
        return Answer(
            answer_id=new_answer_id(),
            question=question,
            answer=check.text,
            abstained=False,
            mode=self.mode,
            citations=check.citations,
            sources=[s for s in sources if s.n in cited],
            passages=[p.to_result() for p in passages],
            warnings=check.warnings() + ([TRUNCATED_WARNING] if truncated else []),
        )

    def _translate(self, exc: Exception) -> LLMUnavailableError | None:
        error = translate_error(exc, timeout_s=self.timeout_s, endpoint=self.endpoint)
        if error is not None:
            log.warning("llm call failed: endpoint=%s error=%s cause=%r", self.endpoint, error.code, exc)
        return error


def _timed(answer: Answer, started: float) -> Answer:
    answer.timings["generate_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return answer
