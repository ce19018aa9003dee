"""One access line and one metrics observation per request, measured to the end of the body.

The line goes to the logger ``kommunal.api.requests`` at INFO with the key/value extras
``method``, ``path``, ``route`` (the route template as in the OpenAPI schema,
``/api/v1/documents/{doc_id}``),
``status``, ``duration_ms`` and ``key`` (the key's log name); never the body, so never the
question (that is :mod:`kommunal.api.privacy`'s opt-in). A pure ASGI middleware, so streamed
answers are timed until their last event and pass through unbuffered.
"""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kommunal.api.asgi import HttpMiddleware
from kommunal.api.metrics import ApiMetrics

access_log = logging.getLogger("kommunal.api.requests")

UNMATCHED = "unmatched"
"""The route label of requests no route matches (404s): raw paths would make labels unbounded."""


def route_template(scope: Scope, path: str) -> str:
    """The path template of the route that handled ``path`` (``/api/v1/documents/{doc_id}``),
    or :data:`UNMATCHED` when no route did.

    FastAPI leaves the matched route in ``scope["route"]``, but for routes of an included router
    with the router's own path (``/documents/{doc_id}``, without the ``/api/v1`` prefix). The
    prefix is literal text, so it is the part of ``path`` before the shortest split after which
    the route's pattern matches the rest.
    """
    route = scope.get("route")
    template = getattr(route, "path_format", None)
    pattern = getattr(route, "path_regex", None)
    if template is None or pattern is None:
        return UNMATCHED
    for start, char in enumerate(path):
        if char == "/" and pattern.match(path[start:]):
            return path[:start] + template
    return str(template)


class RequestLogMiddleware(HttpMiddleware):
    """Logs the access line and records the request in ``metrics`` when the response is done."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        super().__init__(app)
        self.metrics = metrics

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Created here so that the routes' request.state (which writes the key name into it) is
        # this very dict, whichever scope copies the layers in between make.
        state = scope.setdefault("state", {})
        path: str = scope["path"]  # as requested, before a mount changes it
        started = time.perf_counter()
        status = 500  # when the app fails before it starts a response

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            seconds = time.perf_counter() - started
            route = route_template(scope, path)
            self.metrics.observe_request(scope["method"], route, status, seconds)
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": path,
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                    "key": state.get("key_name", "-"),
                },
            )
