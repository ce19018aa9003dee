"""The LLM answerer: a chat model behind any OpenAI-compatible server writes the cited answer.

Flow: the same evidence check as the extractive answerer decides first (an abstention never
calls the model); otherwise the passages are numbered, wrapped in ``<quelle>`` delimiters
that the system prompt declares untrusted, and sent with the question. What comes back is
checked: links the sources don't present and control sequences are neutralised, citations
to unknown sources dropped, uncited sentences flagged, and only cited sources are returned.

LangChain stays inside this module: the answerer takes any ``BaseChatModel``;
:func:`create_chat_model` builds ``ChatOpenAI`` for vLLM, Ollama, LM Studio, llama.cpp's
server or a hosted endpoint. Transport failures become :class:`LLMUnavailableError` /
:class:`LLMTimeoutError`; :class:`FallbackAnswerer` turns them into an extractive answer.
"""

from __future__ import annotations

import logging
import re
import socket
import time
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import ConfigError, LLMTimeoutError, LLMUnavailableError
from assistant.generation.abstention import AbstentionModel, load_model
from assistant.generation.base import NOTHING_FOUND, Answerer, abstention, new_answer_id, number_sources
from assistant.generation.citations import OutputSanitizer, allowed_urls, check_citations, neutralise_output
from assistant.generation.evidence import Analyzer, evidence_features, missing_value_note, pinned
from assistant.generation.reader import UnitReader
from assistant.types import Answer, Passage, Source

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.config import Settings

__all__ = [
    "FALLBACK_WARNING",
    "TRUNCATED_WARNING",
    "FallbackAnswerer",
    "LLMAnswerer",
    "build_messages",
    "create_chat_model",
    "system_prompt",
    "translate_error",
]

log = logging.getLogger(__name__)

PROMPT_FILE = Path(__file__).parent / "prompts" / "answer_de.txt"
EXAMPLES_FILE = Path(__file__).parent / "prompts" / "answer_examples_de.txt"
FALLBACK_WARNING = (
    "Das Sprachmodell war nicht erreichbar; die Antwort wurde aus den Quellen zusammengestellt."
)

TRUNCATED_WARNING = "Die Antwort wurde wegen der Längenbegrenzung abgeschnitten."
_RETRY_LATER = "Bitte später erneut versuchen."

Messages = list[tuple[str, str]]


@lru_cache(maxsize=1)
def system_prompt() -> str:
    """The German system prompt, with the exact abstention sentence filled in."""
    return PROMPT_FILE.read_text(encoding="utf-8").replace("{nothing_found}", NOTHING_FOUND).strip()


def create_chat_model(settings: Settings) -> BaseChatModel:
    """``ChatOpenAI`` for the OpenAI-compatible server in ``settings.llm_base_url``."""
    if not settings.llm_base_url:
        raise ConfigError("Kein Sprachmodell konfiguriert: ASSISTANT_LLM_BASE_URL ist nicht gesetzt.")
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ConfigError("langchain-openai fehlt. Installieren mit: pip install langchain-openai") from exc
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature,
        # ChatOpenAI sends its max_tokens as "max_completion_tokens", which llama.cpp-based
        # servers, LM Studio and older Ollama ignore; plain "max_tokens" is understood by all
        # local servers (and by hosted chat models other than OpenAI's reasoning models).
        extra_body={"max_tokens": settings.llm_max_tokens},
    )


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
        if max_sources <= 0:
            raise ValueError(f"max_sources must be greater than 0. Currently, it is {max_sources}.")
        if max_source_chars <= 0:
            raise ValueError(f"max_source_chars must be greater than 0. Currently, it is {max_source_chars}.")
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
        text = _strip_preamble(raw)
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


class FallbackAnswerer:
    """Uses ``primary``; when its model is unreachable, answers with ``fallback`` plus a warning."""

    def __init__(self, primary: Answerer, fallback: Answerer, warning: str = FALLBACK_WARNING) -> None:
        self.primary = primary
        self.fallback = fallback
        self.warning = warning
        self.mode = primary.mode

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        try:
            return self.primary.answer(question, passages)
        except LLMUnavailableError as exc:
            log.warning("falling back to %s answerer: %s", self.fallback.mode, exc.code)
            return self._warned(self.fallback.answer(question, passages))

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


def build_messages(
    question: str, sources: list[Source], max_source_chars: int = 2000, *, with_examples: bool = True
) -> Messages:
    """System prompt, the worked examples as earlier turns, then the delimited sources and question.

    Small models copied an example that sat inside the system prompt into real answers; as
    earlier chat turns (about a clearly fictional "Beispielgemeinde", one of them an abstention)
    they read as a finished conversation instead.
    """
    blocks = []
    for source in sources:
        text = source.text.strip()
        if len(text) > max_source_chars:
            text = text[:max_source_chars].rsplit(" ", 1)[0] + " …"
        title = _defuse(source.title).replace('"', "'").replace("\n", " ").strip()
        blocks.append(f'<quelle nr="{source.n}" titel="{title}">\n{_defuse(text)}\n</quelle>')
    user = "\n".join(blocks) + f"\n\nFrage: {_defuse(question.strip())}"
    examples = example_turns() if with_examples else []
    return [("system", system_prompt()), *examples, ("human", user)]


def example_turns() -> Messages:
    """The worked examples of ``prompts/answer_examples_de.txt`` as (human, ai) turns."""
    text = EXAMPLES_FILE.read_text(encoding="utf-8").replace("{nothing_found}", NOTHING_FOUND)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    turns: Messages = []
    for block in body.split("=== FRAGE ===")[1:]:
        asked, answered = block.split("=== ANTWORT ===")
        turns += [("human", asked.strip()), ("ai", answered.strip())]
    return turns


def says_nothing_found(text: str) -> bool:
    """True when the model's reply is (essentially only) the abstention sentence."""
    normal = _normalise(text)
    target = _normalise(NOTHING_FOUND)
    if target in normal:
        rest = normal.replace(target, " ").split()
        return len(rest) < 4
    # Paraphrases small models use instead of the exact sentence, when nothing is cited.
    return not re.search(r"\[\s*\d", text) and _PARAPHRASE.search(normal) is not None


def translate_error(
    exc: BaseException, *, timeout_s: float | None = None, endpoint: str | None = None
) -> LLMUnavailableError | None:
    """The assistant's error for a failed model call, or None if ``exc`` is not a transport failure."""
    import httpx
    import openai
    from langchain_core import exceptions as lc

    if isinstance(exc, lc.ModelTimeoutError | openai.APITimeoutError | httpx.TimeoutException | TimeoutError):
        limit = f" (Zeitlimit {timeout_s:g} s)" if timeout_s else ""
        return LLMTimeoutError(
            f"Das Sprachmodell hat nicht rechtzeitig geantwortet{limit}. Bitte später erneut versuchen.",
            source=endpoint,
        )
    status = getattr(exc, "status_code", None)
    if isinstance(exc, lc.ModelError | openai.APIError | httpx.TransportError):
        return LLMUnavailableError(_unavailable_message(exc, status), source=endpoint)
    return None


def _unavailable_message(exc: BaseException, status: int | None) -> str:
    import httpx
    import openai

    if status in (401, 403):
        return (
            f"Das Sprachmodell ist nicht erreichbar (Zugriff verweigert, HTTP {status}). "
            "Bitte den Schlüssel in ASSISTANT_LLM_API_KEY prüfen."
        )
    if status == 404:
        return (
            "Das Sprachmodell ist nicht erreichbar (Modell oder Adresse nicht gefunden, HTTP 404). "
            "Bitte ASSISTANT_LLM_MODEL und ASSISTANT_LLM_BASE_URL prüfen."
        )
    if status == 429:
        return f"Das Sprachmodell ist ausgelastet (HTTP 429). {_RETRY_LATER}"
    if status is not None and 400 <= status < 500:
        return f"Das Sprachmodell hat die Anfrage abgelehnt (HTTP {status}), etwa weil sie zu lang ist."
    if status is not None:
        return f"Das Sprachmodell ist nicht erreichbar (Serverfehler, HTTP {status}). {_RETRY_LATER}"
    if any(isinstance(e, httpx.ConnectError | ConnectionRefusedError | socket.gaierror) for e in _chain(exc)):
        return f"Das Sprachmodell ist nicht erreichbar (keine Verbindung zum Server). {_RETRY_LATER}"
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
        return f"Die Verbindung zum Sprachmodell ist abgebrochen. {_RETRY_LATER}"
    return f"Das Sprachmodell ist nicht erreichbar (ungültige Antwort des Servers). {_RETRY_LATER}"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the exceptions it was raised from (the SDKs wrap the transport's error)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


# "<quelle" / "</quelle" inside data would let a document close its own delimiter.
_DELIMITER = re.compile(r"<\s*/?\s*quelle", re.IGNORECASE)
_PREAMBLE = re.compile(r"^\s*(?:\*\*)?Antwort(?:\*\*)?\s*:\s*(?:\*\*)?\s*", re.IGNORECASE)
_PARAPHRASE = re.compile(
    r"(?:nicht in den (?:quellen|dokumenten)|(?:quellen|dokumente) enthalten keine"
    r"|keine (?:angaben|informationen) (?:dazu|zu|über))"
)


def _defuse(text: str) -> str:
    return _DELIMITER.sub(lambda m: m.group().replace("<", "‹"), text)


def _strip_preamble(text: str) -> str:
    return _PREAMBLE.sub("", text.strip(), count=1).strip()


def _normalise(text: str) -> str:
    text = re.sub(r"\[[^\]]*\]", " ", text.lower())
    return " ".join(re.findall(r"\w+", text))


def _timed(answer: Answer, started: float) -> Answer:
    answer.timings["generate_ms"] = round((time.perf_counter() - started) * 1000, 2)
    return answer
