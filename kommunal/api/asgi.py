"""The frame of the API's pure ASGI middlewares: HTTP requests go to :meth:`HttpMiddleware.handle`,
everything else (lifespan, websockets) straight to the app.

Pure ASGI rather than Starlette's ``BaseHTTPMiddleware``, so that streamed responses (server-sent
events) pass through message by message.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send


class HttpMiddleware:
    """Base of a middleware that acts on HTTP requests only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.handle(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """One HTTP request; subclasses wrap ``self.app`` here."""
        await self.app(scope, receive, send)
