"""OpenAI-compatible ``/v1/chat/completions`` and ``/v1/models`` for chat front ends.

Open WebUI, LibreChat and similar clients treat the assistant as a model: the last user
message is the question, the reply is the cited answer with its sources appended. Fields the
assistant does not use (``tools``, ``params``, ``temperature``, session ids, …) are ignored;
``n`` other than 1 and ``stop`` sequences are refused with an OpenAI-shaped 400 naming the
field, because silently ignoring them would hand the client something it did not ask for.

``usage`` counts tokens with the embedding model's tokenizer (the one the index was built
with; it is loaded anyway and costs microseconds): ``prompt_tokens`` is the text of the
request's messages, ``completion_tokens`` the whole reply content (answer and sources list).
It is an estimate of what an LLM's own tokenizer would count, not a bill.

``max_tokens`` / ``max_completion_tokens`` bound the answer text and cut it after the last
whole sentence that fits (``finish_reason: "length"``); at least the first sentence that cites
a source is kept, so a truncated reply is never empty or uncited. The sources list that
follows names only the sources the kept sentences cite (with their original numbers) and is
not counted against the limit: cutting it would leave [n] markers without their source.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from assistant.conversation import Turn
from assistant.text.sentences import split_sentences
from assistant.types import Answer
from kommunal.api.access import scoped_filters
from kommunal.api.concurrency import run_blocking
from kommunal.api.deps import Reader, RuntimeDep
from kommunal.api.privacy import log_question
from kommunal.api.problems import (
    OPENAI_ERROR_RESPONSES,
    ApiProblem,
    OpenAIErrorDetail,
    problem_event,
)
from kommunal.api.routes.ask import remember, stream_answer
from kommunal.api.runtime import Runtime
from kommunal.api.sse import EventStreamResponse, event_stream_response, sse

router = APIRouter(tags=["OpenAI-kompatibel"], responses=OPENAI_ERROR_RESPONSES)

MODEL_ID = "kommunal-assistant"

TokenCounter = Callable[[str], int]


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="ignore")

    role: str
    content: str | list[dict[str, Any]] | None = None

    @property
    def text(self) -> str:
        if isinstance(self.content, str):
            return self.content
        if isinstance(self.content, list):  # content parts: [{"type": "text", "text": "..."}]
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type", "text") == "text")
        return ""


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")

    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    model: str | None = None
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(
        default=None, ge=1, description="Bound on the answer text's tokens; cut at a sentence end."
    )
    max_completion_tokens: int | None = Field(default=None, ge=1, description="Same as max_tokens.")
    n: int | None = Field(default=None, description="Only 1 is supported (400 otherwise).")
    stop: str | list[str] | None = Field(default=None, description="Not supported (400 when given).")

    @property
    def token_limit(self) -> int | None:
        limits = [v for v in (self.max_tokens, self.max_completion_tokens) if v is not None]
        return min(limits) if limits else None


class ChatChoiceMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


FinishReason = Literal["stop", "length"]


class ChatChoice(BaseModel):
    index: int = 0
    message: ChatChoiceMessage
    finish_reason: FinishReason = "stop"


class Usage(BaseModel):
    """Token counts (the embedding model's tokenizer; see the module docstring)."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int

    @classmethod
    def of(cls, prompt_tokens: int, completion_tokens: int) -> Usage:
        return cls(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        )


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "kommunal-assistant"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class InvalidParameterDetail(OpenAIErrorDetail):
    """OpenAI's error detail with the ``param`` it names (``problems.OpenAIErrorDetail`` has none)."""

    param: str | None = None


def with_sources(answer: Answer) -> str:
    """The answer text with its numbered sources appended as a Markdown list."""
    return answer.answer + sources_block(answer)


def sources_block(answer: Answer, cited: Iterable[int] | None = None) -> str:
    """The Markdown sources list; with ``cited``, only the sources of those numbers."""
    wanted = None if cited is None else set(cited)
    note = f"\n\n_{answer.related_note}_" if answer.related_note else ""  # what a follow-up was read as
    lines = []
    for s in answer.sources:
        if wanted is not None and s.n not in wanted:
            continue
        where = f", {s.location}" if s.location else ""
        link = f" – {s.url or s.source}"
        lines.append(f"- [{s.n}] {s.title}{where}{link}")
    return note + ("\n\n**Quellen**\n" + "\n".join(lines) if lines else "")


def chat_history(messages: list[ChatMessage]) -> list[Turn]:
    """The conversation before the last user message: each earlier user message with the
    titles the assistant's reply to it listed under **Quellen** (they name its topic)."""
    turns: list[Turn] = []
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=-1)
    for message in messages[: max(last_user, 0)]:
        if message.role == "user" and message.text.strip():
            turns.append(Turn(question=message.text.strip()))
        elif message.role == "assistant" and turns:
            titles = tuple(m.group(1).strip() for m in _SOURCE_LINE.finditer(message.text))
            turns[-1] = Turn(turns[-1].question, message.text, cited_titles=titles)
    return turns


_SOURCE_LINE = re.compile(r"^- \[\d{1,3}\] (.+?)(?: – .*)?$", re.M)


@router.get("/models", response_model=ModelList, summary="Verfügbare Modelle (OpenAI-kompatibel)")
async def models(key: Reader) -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL_ID)])


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    summary="Chat-Antwort (OpenAI-kompatibel, mit Quellen)",
    responses={200: event_stream_response(description='JSON, or with "stream": true OpenAI chunks')},
)
async def chat_completions(
    body: ChatCompletionRequest, key: Reader, runtime: RuntimeDep, request: Request
) -> ChatCompletion | EventStreamResponse | JSONResponse:
    """Answers the last user message from the documents; ``"stream": true`` streams OpenAI chunks.

    ``max_tokens`` cuts the answer after a whole sentence (``finish_reason: "length"``); with
    ``stream_options.include_usage`` the stream ends with a chunk carrying ``usage``."""
    refused = _unsupported(body)
    if refused is not None:
        return refused
    question = next((m.text.strip() for m in reversed(body.messages) if m.role == "user"), "")
    if not question:
        raise ApiProblem(
            422, "invalid_request", "Ungültige Eingabe im Feld „messages“: keine Nachricht der Rolle user."
        )
    if len(question) > 2000:
        raise ApiProblem(422, "invalid_request", "Die Frage ist zu lang (höchstens 2000 Zeichen).")
    log_question(runtime.settings, "chat/completions", key.name, question)
    filters = scoped_filters(key)
    model = body.model or MODEL_ID
    created = int(time.time())
    prompt_text = "\n".join(m.text for m in body.messages)
    if body.stream:
        # opens the index if needed: its errors are a 503 here, not an in-band stream error
        count = await run_blocking(lambda: token_counter(runtime), runtime.settings.api_timeout_s)
        prompt_tokens = None
        if body.stream_options is not None and body.stream_options.include_usage:
            prompt_tokens = await run_in_threadpool(count, prompt_text)
        pieces = stream_answer(
            request, runtime, key, question, filters, 5, history=chat_history(body.messages)
        )
        return EventStreamResponse(
            _chunks(
                pieces,
                model=model,
                created=created,
                count=count,
                limit=body.token_limit,
                usage_prompt_tokens=prompt_tokens,
            )
        )

    def work() -> ChatCompletion:
        with runtime.reading() as assistant:
            answer = assistant.ask(question, filters, history=chat_history(body.messages))
        count = token_counter(runtime)
        content = answer.answer
        finish: FinishReason = "stop"
        if body.token_limit is not None:
            budget = SentenceBudget(body.token_limit, count)
            content = budget.feed(answer.answer) + budget.close()
            if budget.truncated:
                finish = "length"
        cited = cited_numbers(content) if finish == "length" else None
        content += sources_block(answer, cited)
        remember(runtime, key, answer)
        return ChatCompletion(
            id=f"chatcmpl-{answer.answer_id}",
            created=created,
            model=model,
            choices=[ChatChoice(message=ChatChoiceMessage(content=content), finish_reason=finish)],
            usage=Usage.of(count(prompt_text), count(content)),
        )

    return await run_blocking(work, runtime.settings.api_timeout_s)


def _unsupported(body: ChatCompletionRequest) -> JSONResponse | None:
    """An OpenAI-shaped 400 naming the first parameter the assistant cannot honour, else None."""
    if body.n is not None and body.n != 1:
        return invalid_parameter(
            "n",
            "unsupported_value",
            "Der Parameter „n“ wird nicht unterstützt: der Assistent gibt genau eine Antwort "
            "je Anfrage (n = 1).",
        )
    if body.stop:  # None, "" and [] ask for nothing
        return invalid_parameter(
            "stop",
            "unsupported_parameter",
            "Der Parameter „stop“ wird nicht unterstützt: die Antwort endet mit ihren Quellen "
            "und wird nicht an Stoppsequenzen abgeschnitten. Zum Kürzen „max_tokens“ verwenden.",
        )
    return None


def invalid_parameter(param: str, code: str, message: str) -> JSONResponse:
    """A 400 in OpenAI's shape (``type: invalid_request_error``, ``param``), as its SDKs parse it."""
    detail = InvalidParameterDetail(message=message, type="invalid_request_error", code=code, param=param)
    # dumped on its own: as OpenAIError.error, pydantic would serialise only the base fields
    return JSONResponse({"error": detail.model_dump()}, status_code=400)


def token_counter(runtime: Runtime) -> TokenCounter:
    """Tokens of a text as the index's embedding tokenizer counts them, without its special tokens
    and passage prefix. Blocking (the embedder may be behind a lock): call it in a worker thread."""
    embedder = runtime.assistant().index.embedder
    # count_tokens counts a passage as the model sees it (specials, e5's "passage: " prefix);
    # "a" is one token in every tokenizer we ship, so this is the fixed overhead.
    overhead = embedder.count_tokens("a") - 1

    def count(text: str) -> int:
        return max(embedder.count_tokens(text) - overhead, 0) if text.strip() else 0

    return count


# A bracket group that cites a source: "[1]", and in a model's raw stream "[1, 2]", "[Quelle 1]".
_CITATION = re.compile(r"\[\s*(?:Quellen?\s*)?(\d{1,3}(?:\s*(?:,|;|-|–|und|&)\s*\d{1,3})*)\s*\]", re.I)
_MARKERS_ONLY = re.compile(r"(?:\s*\[[^\]\n]{1,30}\])+\s*")
_TRAILING_MARKERS = re.compile(r"(?:[ \t]*\[\s*(?:Quellen?\s*)?\d[^\]\n]{0,30}\])+", re.I)


def cited_numbers(text: str) -> list[int]:
    """Source numbers the citation groups of ``text`` name, in order of first use."""
    numbers = (int(n) for group in _CITATION.findall(text) for n in re.findall(r"\d+", group))
    return list(dict.fromkeys(numbers))


def sentence_ends(text: str) -> list[int]:
    """Offsets in ``text`` after each sentence (:func:`split_sentences`), each with the citation
    markers that follow it ("Satz. [1]" ends after "[1]")."""
    ends: list[int] = []
    position = 0
    for sentence in split_sentences(text):
        start = text.find(sentence, position)
        if start < 0:  # split_sentences keeps the text's characters; stop rather than guess
            break
        position = start + len(sentence)
        if ends and _MARKERS_ONLY.fullmatch(sentence):
            ends[-1] = max(ends[-1], position)
        else:
            ends.append(position)
        trailing = _TRAILING_MARKERS.match(text, ends[-1])
        if trailing:
            ends[-1] = trailing.end()
    return ends


class SentenceBudget:
    """Whole sentences of a growing answer text for as long as they fit into ``limit`` tokens.

    ``feed`` takes the next piece and returns the text that may be sent now (complete
    sentences within the budget); ``close`` returns the rest. The kept text is the longest run of
    whole sentences within the limit, extended to the first sentence that cites a source when
    the run cites none (or to the first sentence when the answer cites nothing at all).
    """

    def __init__(self, limit: int, count: TokenCounter) -> None:
        self.limit = limit
        self.count = count
        self.truncated = False
        self._text = ""
        self._sent = 0  # characters of _text released so far
        self._tokens: dict[int, int] = {}

    def feed(self, piece: str) -> str:
        if self.truncated:
            return ""
        self._text += piece
        return self._release(sentence_ends(self._text)[:-1], final=False)  # the last may go on

    def close(self) -> str:
        if self.truncated:
            return ""
        ends = sentence_ends(self._text)
        if not ends or self._fits(len(self._text.rstrip())):
            rest = self._text[self._sent :]
            self._sent = len(self._text)
            return rest
        return self._release(ends, final=True)

    def _fits(self, end: int) -> bool:
        if end not in self._tokens:
            self._tokens[end] = self.count(self._text[:end])
        return self._tokens[end] <= self.limit

    def _release(self, ends: list[int], *, final: bool) -> str:
        within = self._sent
        over = False
        for end in ends:
            if end <= self._sent:
                continue
            if self._fits(end):
                within = end
                continue
            over = True
            break
        cut = within
        if over or (final and within < ends[-1]):
            if cited_numbers(self._text[:within]):
                cut, self.truncated = within, True
            else:
                first_cited = next((e for e in ends if e > within and cited_numbers(self._text[:e])), None)
                if first_cited is not None:
                    cut, self.truncated = first_cited, True
                elif final:
                    cut, self.truncated = max(within, ends[0]), True
        if final and cut < len(self._text.rstrip()):
            self.truncated = True
        released = self._text[self._sent : cut]
        self._sent = max(self._sent, cut)
        return released


async def _chunks(
    pieces: AsyncIterator[str | Answer],
    *,
    model: str,
    created: int,
    count: TokenCounter,
    limit: int | None = None,
    usage_prompt_tokens: int | None = None,
) -> AsyncIterator[str]:
    """OpenAI ``chat.completion.chunk`` events under one id, the sources as the last content, a
    usage chunk when asked for (``usage_prompt_tokens`` given), then ``[DONE]``."""
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"  # before the first chunk: every chunk shares it
    include_usage = usage_prompt_tokens is not None
    sent: list[str] = []

    def chunk(delta: dict[str, str], finish: str | None = None) -> str:
        event: dict[str, Any] = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        if include_usage:  # as OpenAI does: null on every chunk but the last
            event["usage"] = None
        return sse(event)

    def content(text: str) -> str:
        sent.append(text)
        return chunk({"content": text})

    budget = SentenceBudget(limit, count) if limit is not None else None
    yield chunk({"role": "assistant", "content": ""})
    try:
        async for piece in pieces:
            if isinstance(piece, Answer):
                if budget is not None:
                    rest = await run_in_threadpool(budget.close)
                    if rest:
                        yield content(rest)
                cited = cited_numbers("".join(sent)) if budget is not None and budget.truncated else None
                tail = sources_block(piece, cited)
                if tail:
                    yield content(tail)
            elif piece and not (budget is not None and budget.truncated):
                ready = piece if budget is None else await run_in_threadpool(budget.feed, piece)
                if ready:
                    yield content(ready)
        yield chunk({}, "length" if budget is not None and budget.truncated else "stop")
        if usage_prompt_tokens is not None:
            completion_tokens = await run_in_threadpool(count, "".join(sent))
            usage = Usage.of(usage_prompt_tokens, completion_tokens)
            yield sse(
                {
                    "id": completion_id,
                    "object": "chat.completion.chunk",
                    "created": created,
                    "model": model,
                    "choices": [],
                    "usage": usage.model_dump(),
                }
            )
    except Exception as exc:  # noqa: BLE001 - the status line is sent; report in-band
        problem = problem_event(exc)
        yield sse({"error": {"message": problem["detail"], "type": problem["code"], "code": problem["code"]}})
    yield sse("[DONE]")
