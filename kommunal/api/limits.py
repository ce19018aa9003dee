"""Request body size limit, counted while the body streams in (chunked bodies included) -> 413.

Starlette ships a ``RequestBodyLimitMiddleware``, but it answers with a plain-text body
whenever a Content-Length is declared; the API promises JSON problem bodies, so this small
middleware does the counting itself.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kommunal.api.asgi import HttpMiddleware
from kommunal.api.problems import problem_response


class BodyTooLargeError(Exception):
    """Raised from ``receive`` once the body exceeds the limit; the app's own reply is discarded."""


class BodySizeLimitMiddleware(HttpMiddleware):
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the app's reaction to BodyTooLargeError (a 400 or 500): replaced below
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded or started:
                raise
        if exceeded and not started:
            await self._reject(scope, receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        limit_mb = self.max_bytes / (1024 * 1024)
        response = problem_response(
            request,
            413,
            "body_too_large",
            f"Die Anfrage ist zu groß; erlaubt sind höchstens {limit_mb:g} MB "
            "(ASSISTANT_API_MAX_BODY_MB). Große Dokumente bitte einzeln hochladen.",
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
