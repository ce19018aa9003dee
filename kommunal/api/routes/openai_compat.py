"""OpenAI-compatible ``/v1/chat/completions`` and ``/v1/models`` for chat front ends.

Open WebUI, LibreChat and similar clients treat the assistant as a model: the last user
message is the question, the reply is the cited answer with its sources appended. Fields the
assistant does not use (``tools``, ``params``, ``temperature``, session ids, …) are ignored;
``n`` other than 1 and ``stop`` sequences are refused with an OpenAI-shaped 400 naming the
field, because silently ignoring them would hand the client something it did not ask for.
Open WebUI's background task prompts (title, tags, follow-ups, …) get a short reply without
retrieval (:mod:`kommunal.api.chat.tasks`).

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

import logging
import time
import uuid
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from kommunal.api.access import scoped_filters
from kommunal.api.chat.budget import SentenceBudget, TokenCounter, cited_numbers, token_counter
from kommunal.api.chat.conversation import chat_history, last_question, sources_block
from kommunal.api.chat.models import (
    MODEL_ID,
    ChatChoice,
    ChatChoiceMessage,
    ChatCompletion,
    ChatCompletionRequest,
    FinishReason,
    InvalidParameterDetail,
    ModelCard,
    ModelList,
    Usage,
)
from kommunal.api.chat.stream import answer_chunks
from kommunal.api.chat.tasks import TaskReply, task_reply
from kommunal.api.concurrency import run_blocking
from kommunal.api.deps import Reader, RuntimeDep
from kommunal.api.keys import ApiKey
from kommunal.api.privacy import log_question
from kommunal.api.problems import OPENAI_ERROR_RESPONSES, ApiProblem
from kommunal.api.routes.ask import remember, stream_answer
from kommunal.api.runtime import Runtime
from kommunal.api.sse import EventStreamResponse, event_stream_response

log = logging.getLogger(__name__)

router = APIRouter(tags=["OpenAI-kompatibel"], responses=OPENAI_ERROR_RESPONSES)

MAX_QUESTION_CHARS = 2000


@router.get("/models", response_model=ModelList, summary="Verfügbare Modelle (OpenAI-kompatibel)")
async def models(key: Reader) -> ModelList:
    """The one model the assistant offers (pick it in the chat front end)."""
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
    question = last_question(body.messages)
    task = task_reply(question)
    if task is not None:
        return await _task_completion(body, task, key, runtime)
    if not question:
        raise ApiProblem(
            422, "invalid_request", "Ungültige Eingabe im Feld „messages“: keine Nachricht der Rolle user."
        )
    if len(question) > MAX_QUESTION_CHARS:
        raise ApiProblem(
            422, "invalid_request", f"Die Frage ist zu lang (höchstens {MAX_QUESTION_CHARS} Zeichen)."
        )
    log_question(runtime.settings, "chat/completions", key.log_name, question)
    filters = scoped_filters(key)
    model = body.model or MODEL_ID
    created = int(time.time())
    prompt_text = "\n".join(m.text for m in body.messages)
    if body.stream:
        # opens the index if needed: its errors are a 503 here, not an in-band stream error
        count = await run_blocking(lambda: token_counter(runtime), runtime.settings.api_timeout_s)
        prompt_tokens = await _usage_prompt_tokens(body, count, prompt_text)
        pieces = stream_answer(
            request, runtime, key, question, filters, 5, history=chat_history(body.messages)
        )
        return EventStreamResponse(
            answer_chunks(
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


async def _usage_prompt_tokens(
    body: ChatCompletionRequest, count: TokenCounter, prompt_text: str
) -> int | None:
    """The prompt's tokens when the stream is to end with a usage chunk, else None."""
    if body.stream_options is not None and body.stream_options.include_usage:
        return await run_in_threadpool(count, prompt_text)
    return None


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


async def _task_completion(
    body: ChatCompletionRequest, task: TaskReply, key: ApiKey, runtime: Runtime
) -> ChatCompletion | EventStreamResponse:
    """The reply to a front end's task prompt: no retrieval, no sources, no question logged."""
    log.info("front-end task kind=%s key=%s", task.kind, key.log_name)
    count = await run_blocking(lambda: token_counter(runtime), runtime.settings.api_timeout_s)
    model = body.model or MODEL_ID
    created = int(time.time())
    prompt_text = "\n".join(m.text for m in body.messages)
    if body.stream:
        usage_prompt_tokens = await _usage_prompt_tokens(body, count, prompt_text)

        async def pieces() -> AsyncIterator[str]:
            yield task.content

        return EventStreamResponse(
            answer_chunks(
                pieces(), model=model, created=created, count=count, usage_prompt_tokens=usage_prompt_tokens
            )
        )
    usage = await run_in_threadpool(lambda: Usage.of(count(prompt_text), count(task.content)))
    return ChatCompletion(
        id=f"chatcmpl-{uuid.uuid4().hex}",
        created=created,
        model=model,
        choices=[ChatChoice(message=ChatChoiceMessage(content=task.content))],
        usage=usage,
    )
