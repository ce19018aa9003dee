"""Hardening headers on every response: nosniff everywhere, no-store on the API, CSP on the docs pages.

A pure ASGI middleware: it only adds headers to ``http.response.start`` and passes every body
message on as it comes, so server-sent events keep streaming. Libraries such as ``secure`` set
static headers; the docs pages need a hash of FastAPI's inline bootstrap script in their CSP
(FastAPI has no nonce hook), so this small module does it itself.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from kommunal.api.asgi import HttpMiddleware

NOSNIFF = {"X-Content-Type-Options": "nosniff"}
# Answers, passages, drafts and document lists are per key and may be confidential: no cache
# (browser, proxy) keeps them. Everything under these prefixes is per key or live status.
NO_STORE_PREFIXES = ("/api/", "/v1/")
DOCS_PATHS = ("/docs", "/docs/oauth2-redirect", "/redoc")

# What the Swagger UI and ReDoc pages load (kommunal/api/docs_assets.py serves their bundles,
# styles and favicon from this server, so no other origin appears): scripts and styles from
# 'self', FastAPI's inline bootstrap script by its hash, Swagger's data: icons, ReDoc's search
# worker (a blob: URL), and the schema and "Try it out" requests to this server. Both UIs set
# inline styles at run time. No font-src: without Google Fonts both pages use system fonts.
DOCS_SCRIPT_SRC = "'self'"
DOCS_CSP = (
    "default-src 'none'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "worker-src blob:",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
)
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def docs_csp(html: bytes) -> str:
    """The docs pages' Content-Security-Policy, allowing exactly the inline scripts in ``html``."""
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
        for body in _INLINE_SCRIPT.findall(html)
    ]
    script_src = " ".join(["script-src", DOCS_SCRIPT_SRC, *hashes])
    return "; ".join([DOCS_CSP[0], script_src, *DOCS_CSP[1:]])


class SecurityHeadersMiddleware(HttpMiddleware):
    """Adds the hardening headers; the docs pages are buffered (small HTML) to hash their scripts."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]
        if path in DOCS_PATHS:
            await self._docs(scope, receive, send)
            return
        no_store = path.startswith(NO_STORE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.update(NOSNIFF)
                if no_store:  # replaces the SSE responses' "no-cache", which still allows storing
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None
        body: list[bytes] = []

        async def buffered(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            html = b"".join(body)
            headers = MutableHeaders(scope=start)
            headers.update(NOSNIFF)
            headers["X-Frame-Options"] = "DENY"
            headers["Content-Security-Policy"] = docs_csp(html)
            await send(start)
            await send({"type": "http.response.body", "body": html})

        await self.app(scope, receive, buffered)
