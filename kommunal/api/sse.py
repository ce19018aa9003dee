"""Server-sent events: framing, and streaming a blocking generator until the client leaves."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import StreamingResponse

from kommunal.api.concurrency import iterate_in_thread

T = TypeVar("T")


class EventStreamResponse(StreamingResponse):
    """``text/event-stream`` without buffering by proxies."""

    media_type = "text/event-stream"

    def __init__(self, content: AsyncIterator[str], status_code: int = 200, **kwargs: Any) -> None:
        headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no", **kwargs.pop("headers", {})}
        super().__init__(content, status_code=status_code, headers=headers, **kwargs)


def event_stream_response(events: tuple[str, ...] | None = None, description: str = "") -> dict[str, Any]:
    """OpenAPI description of a 200 event stream: the schema describes one event (OpenAPI 3.1 style)."""
    event: dict[str, Any] = {"type": "string"}
    if events:
        event["enum"] = list(events)
    schema = {
        "type": "object",
        "properties": {"event": event, "data": {"type": "string", "description": "JSON, or [DONE]."}},
        "required": ["data"],
    }
    return {
        "description": description or "Server-Sent Events",
        "content": {"text/event-stream": {"schema": schema}},
    }


def sse(data: Any, event: str | None = None) -> str:
    """One SSE frame; ``data`` is sent as compact JSON unless it is a string."""
    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    head = f"event: {event}\n" if event else ""
    return head + "".join(f"data: {line}\n" for line in payload.split("\n")) + "\n"


async def until_disconnect(request: Request, make_iterator: Callable[[], Iterator[T]]) -> AsyncIterator[T]:
    """Items of a blocking iterator, produced in a thread, for as long as the client listens.

    Between items the client's connection is checked; when it is gone the producing thread
    is told to stop, which closes the iterator and with it the model's streaming response.
    """
    cancelled = threading.Event()
    async for item in iterate_in_thread(make_iterator, cancelled=cancelled):
        if await request.is_disconnected():
            cancelled.set()
            return
        yield item
