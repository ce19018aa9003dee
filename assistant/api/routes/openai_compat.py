"""OpenAI-compatible ``/v1/chat/completions`` and ``/v1/models`` for chat front ends.

Open WebUI, LibreChat and similar clients treat the assistant as a model: the last user
message is the question, the reply is the cited answer with its sources appended. Fields the
assistant does not use (``tools``, ``params``, ``temperature``, session ids, …) are ignored.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.access import scoped_filters
from assistant.api.concurrency import run_blocking
from assistant.api.deps import Reader, RuntimeDep
from assistant.api.privacy import log_question
from assistant.api.problems import OPENAI_ERROR_RESPONSES, ApiProblem, problem_event
from assistant.api.routes.ask import remember, stream_answer
from assistant.api.sse import EventStreamResponse, event_stream_response, sse
from assistant.types import Answer

router = APIRouter(tags=["OpenAI-kompatibel"], responses=OPENAI_ERROR_RESPONSES)

MODEL_ID = "kommunal-assistant"


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


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    model: str | None = None
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False


class ChatChoiceMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


class ChatChoice(BaseModel):
    index: int = 0
    message: ChatChoiceMessage
    finish_reason: Literal["stop"] = "stop"


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "kommunal-assistant"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


def with_sources(answer: Answer) -> str:
    """The answer text with its numbered sources appended as a Markdown list."""
    return answer.answer + sources_block(answer)


def sources_block(answer: Answer) -> str:
    if not answer.sources:
        return ""
    lines = []
    for s in answer.sources:
        where = f", {s.location}" if s.location else ""
        link = f" – {s.url or s.source}"
        lines.append(f"- [{s.n}] {s.title}{where}{link}")
    return "\n\n**Quellen**\n" + "\n".join(lines)


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
) -> ChatCompletion | EventStreamResponse:
    """Answers the last user message from the documents; ``"stream": true`` streams OpenAI chunks."""
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
    if body.stream:
        await run_blocking(runtime.assistant, runtime.settings.api_timeout_s)
        pieces = stream_answer(request, runtime, key, question, filters, 5)
        return EventStreamResponse(_chunks(pieces, model, created))

    def work() -> Answer:
        with runtime.reading() as assistant:
            return assistant.ask(question, filters)

    answer = await run_blocking(work, runtime.settings.api_timeout_s)
    remember(runtime, key, answer)
    return ChatCompletion(
        id=f"chatcmpl-{answer.answer_id}",
        created=created,
        model=model,
        choices=[ChatChoice(message=ChatChoiceMessage(content=with_sources(answer)))],
    )


async def _chunks(pieces: AsyncIterator[str | Answer], model: str, created: int) -> AsyncIterator[str]:
    """OpenAI ``chat.completion.chunk`` events, the sources as the last content, then ``[DONE]``."""
    completion_id = "chatcmpl-stream"

    def chunk(delta: dict[str, str], finish: str | None = None) -> str:
        return sse(
            {
                "id": completion_id,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            }
        )

    yield chunk({"role": "assistant", "content": ""})
    try:
        async for piece in pieces:
            if isinstance(piece, Answer):
                completion_id = f"chatcmpl-{piece.answer_id}"
                tail = sources_block(piece)
                if tail:
                    yield chunk({"content": tail})
            elif piece:
                yield chunk({"content": piece})
        yield chunk({}, "stop")
    except Exception as exc:  # noqa: BLE001 - the status line is sent; report in-band
        problem = problem_event(exc)
        yield sse({"error": {"message": problem["detail"], "type": problem["code"], "code": problem["code"]}})
    yield sse("[DONE]")
