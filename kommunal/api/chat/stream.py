"""Streamed replies: OpenAI ``chat.completion.chunk`` server-sent events."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

from starlette.concurrency import run_in_threadpool

from assistant.types import Answer
from kommunal.api.chat.budget import SentenceBudget, TokenCounter, cited_numbers
from kommunal.api.chat.conversation import sources_block
from kommunal.api.chat.models import Usage
from kommunal.api.problems import problem_event
from kommunal.api.sse import sse


async def answer_chunks(
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
