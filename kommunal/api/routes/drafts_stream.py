"""Drafts as server-sent events: an event when each part starts and finishes, then the draft.

The core reports progress through a callback (:mod:`assistant.drafting.progress`); here the
draft runs in a thread of its own and the callback hands each step to the event stream. When
the client goes away the stream closes, and the next progress call ends the draft, so the read
lock and the model are not held for nobody.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from assistant.drafting import Draft, DraftRequest
from assistant.drafting.progress import DraftProgress, ProgressHook
from kommunal.api.access import scoped_filters
from kommunal.api.concurrency import run_blocking
from kommunal.api.keys import ApiKey
from kommunal.api.problems import problem_event
from kommunal.api.runtime import Runtime
from kommunal.api.sse import EventStreamResponse, event_stream_response, sse, until_disconnect

EVENTS = ("part_started", "part_finished", "done", "error")
STREAM_DOC = """Server-sent events, in this order:

- `part_started` / `part_finished` (twice per part of the outline: first while the evidence is
  gathered, `"phase": "evidence"`, then while the part is written, `"phase": "writing"`):
  `{"phase", "status", "index", "total", "key", "title", "mode", "sources", "gap", "message"}`,
  `index` from 1 to `total`, `title` the part's German heading, `sources` the sources cited so far,
  `message` a German progress line („Teil 2 von 5: Maßnahmen (wird geschrieben)“);
- `done`: the complete `Draft`, the same as `POST /drafts` returns (its DOCX then via
  `GET /drafts/{draft_id}/docx`);
- or instead `error`: a problem body, when the work fails after the stream started.

Closing the connection stops the draft at the next part."""

STREAM_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: event_stream_response(EVENTS, "Fortschritt je Teil, dann der Entwurf")
}


class DraftCancelledError(Exception):
    """Raised into the drafting thread by the progress hook once nobody listens any more."""


@dataclass
class _Finished:
    draft: Draft


@dataclass
class _Failed:
    error: BaseException


def progress_then_draft(run: Callable[[ProgressHook], Draft]) -> Iterator[DraftProgress | Draft]:
    """The progress steps of ``run(hook)`` as they happen, then its draft.

    ``run`` works in its own thread; closing this iterator makes the next hook call raise
    :class:`DraftCancelledError` there, which ends the draft.
    """
    steps: queue.Queue[DraftProgress | _Finished | _Failed] = queue.Queue()
    stop = threading.Event()

    def hook(step: DraftProgress) -> None:
        if stop.is_set():
            raise DraftCancelledError
        steps.put(step)

    def work() -> None:
        try:
            steps.put(_Finished(run(hook)))
        except BaseException as exc:  # noqa: BLE001 - handed to the iterating side
            steps.put(_Failed(exc))

    threading.Thread(target=work, name="api-draft", daemon=True).start()
    try:
        while True:
            item = steps.get()
            if isinstance(item, _Finished):
                yield item.draft
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()


async def stream_draft(
    http_request: Request, runtime: Runtime, key: ApiKey, request: DraftRequest
) -> EventStreamResponse:
    """The event stream of one draft (``request`` already checked and cleaned)."""
    await run_blocking(runtime.assistant, runtime.settings.api_timeout_s)  # index errors: 503, not in-band
    filters = scoped_filters(key)

    def run(hook: ProgressHook) -> Draft:
        with runtime.reading() as assistant:
            return assistant.draft(request, filters, progress=hook)

    steps = until_disconnect(http_request, lambda: progress_then_draft(run))

    async def events() -> AsyncIterator[str]:
        try:
            async for step in steps:
                if isinstance(step, Draft):
                    runtime.drafts.put(step.draft_id, key.owner, step)
                    yield sse(step.model_dump(mode="json"), "done")
                else:
                    yield sse({**step.model_dump(), "message": step.describe()}, f"part_{step.status}")
        except Exception as exc:  # noqa: BLE001 - the status line is sent; report in-band
            yield sse(problem_event(exc), "error")

    return EventStreamResponse(events())
