"""Questions and search: cited answers (JSON or streamed as server-sent events) and ranked passages."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace

from fastapi import APIRouter, Request

from assistant.conversation import Turn, turn_of
from assistant.types import Answer, SearchFilters
from kommunal.api.access import scoped_filters
from kommunal.api.concurrency import run_blocking
from kommunal.api.deps import Reader, RuntimeDep
from kommunal.api.keys import ApiKey
from kommunal.api.models import AskRequest, HistoryTurn, SearchRequest, SearchResponse
from kommunal.api.privacy import log_question
from kommunal.api.problems import PROBLEM_RESPONSES, problem_event
from kommunal.api.runtime import Runtime
from kommunal.api.sse import EventStreamResponse, event_stream_response, sse, until_disconnect

router = APIRouter(tags=["Fragen und Suche"], responses=PROBLEM_RESPONSES)

STREAM_DOC = """Server-sent events, in this order:

- `token` (any number): `{"text": "…"}`, pieces of the answer as they are written;
- `citations`: `{"citations": [...], "sources": [...]}` of the checked answer;
- `done`: the complete `Answer` (authoritative: invalid citations are removed here);
- or instead `error`: a problem body, when the work fails after the stream started.

Closing the connection stops the work for this request."""


@router.post("/ask", response_model=Answer, summary="Frage beantworten (mit Quellen)")
async def ask(body: AskRequest, key: Reader, runtime: RuntimeDep) -> Answer:
    """A short German answer with numbered citations and sources, or an honest abstention."""
    log_question(runtime.settings, "ask", key.name, body.question)
    filters = scoped_filters(key, body.filters)

    history = conversation(runtime, key, body.history)

    def work() -> Answer:
        with runtime.reading() as assistant:
            return assistant.ask(body.question, filters, k=body.k, history=history)

    answer = await run_blocking(work, runtime.settings.api_timeout_s)
    remember(runtime, key, answer)
    return answer


@router.post(
    "/ask/stream",
    response_class=EventStreamResponse,
    summary="Frage beantworten, Antwort als Server-Sent Events",
    description=STREAM_DOC,
    responses={200: event_stream_response(("token", "citations", "done", "error"))},
)
async def ask_stream(
    body: AskRequest, key: Reader, runtime: RuntimeDep, request: Request
) -> EventStreamResponse:
    log_question(runtime.settings, "ask/stream", key.name, body.question)
    await run_blocking(runtime.assistant, runtime.settings.api_timeout_s)  # index errors: 503, not in-band
    filters = scoped_filters(key, body.filters)
    history = conversation(runtime, key, body.history)
    pieces = stream_answer(request, runtime, key, body.question, filters, body.k, history=history)

    async def events() -> AsyncIterator[str]:
        try:
            async for piece in pieces:
                if isinstance(piece, Answer):
                    citations = {
                        "citations": [c.model_dump() for c in piece.citations],
                        "sources": [s.model_dump() for s in piece.sources],
                    }
                    yield sse(citations, "citations")
                    yield sse(piece.model_dump(), "done")
                else:
                    yield sse({"text": piece}, "token")
        except Exception as exc:  # noqa: BLE001 - the status line is sent; report in-band
            yield sse(problem_event(exc), "error")

    return EventStreamResponse(events())


def stream_answer(
    request: Request,
    runtime: Runtime,
    key: ApiKey,
    question: str,
    filters: SearchFilters,
    k: int,
    *,
    history: list[Turn] | None = None,
) -> AsyncIterator[str | Answer]:
    """Answer pieces, then the final :class:`Answer`, stopping when the client disconnects."""

    def produce() -> Iterator[str | Answer]:
        with runtime.reading() as assistant:
            for piece in assistant.ask_stream(question, filters, k=k, history=history):
                if isinstance(piece, Answer):
                    remember(runtime, key, piece)
                yield piece

    return until_disconnect(request, produce)


@router.post("/search", response_model=SearchResponse, summary="Passagen suchen")
async def search(body: SearchRequest, key: Reader, runtime: RuntimeDep) -> SearchResponse:
    """Ranked passages with scores and metadata; filters apply inside the index queries."""
    log_question(runtime.settings, "search", key.name, body.query)
    filters = scoped_filters(key, body.filters)

    def work() -> SearchResponse:
        started = time.perf_counter()
        with runtime.reading() as assistant:
            results = assistant.search(body.query, body.k, filters, mode=body.mode)
        took = round((time.perf_counter() - started) * 1000, 2)
        return SearchResponse(query=body.query, results=results, timings={"total_ms": took})

    return await run_blocking(work, runtime.settings.api_timeout_s)


def remember(runtime: Runtime, key: ApiKey, answer: Answer) -> None:
    """Keep the answer for feedback on its answer_id, and count it (and an abstention) for /metrics."""
    runtime.answers.put(answer.answer_id, key.owner, answer)
    runtime.metrics.count_answer(answer)


def conversation(runtime: Runtime, key: ApiKey, turns: list[HistoryTurn] | None) -> list[Turn]:
    """The request's earlier questions as turns; an answer this key received adds its sources."""
    history = []
    for turn in turns or []:
        earlier = runtime.answers.get(turn.answer_id, key.owner) if turn.answer_id else None
        if earlier is not None:
            history.append(replace(turn_of(earlier), question=turn.question))
        else:
            history.append(Turn(question=turn.question))
    return history
