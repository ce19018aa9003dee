"""A real OpenAI-compatible HTTP server on 127.0.0.1 for tests: scripted replies, recorded requests.

It speaks ``POST /v1/chat/completions`` (JSON, or SSE when the request says ``"stream": true``)
and ``GET /v1/models``. Each test queues what the "model" answers next: text, a delay before
the reply or between streamed pieces, an HTTP error, or a connection dropped mid-stream.
Every request body is recorded, so tests can check exactly what a client sent.

Built on ``http.server`` rather than uvicorn: it starts in milliseconds, and stopping it
never waits for a handler that is still sleeping through a scripted delay.

    with FakeOpenAIServer() as server:
        server.reply("Die Stadt plant WLAN an Schulen [1].")
        ChatOpenAI(base_url=server.base_url, api_key="x", model="test-model").invoke("Frage")
        assert server.chat_requests[0].system_prompt.startswith("Du bist")
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.loopback import LoopbackServer

__all__ = ["FakeOpenAIServer", "RecordedRequest", "ScriptedResponse", "unused_port"]


@dataclass
class ScriptedResponse:
    """What the fake model does for one chat completion request."""

    text: str = ""
    delay_s: float = 0.0
    """Seconds to wait before sending anything (headers included)."""
    status: int = 200
    """Anything but 200 sends an OpenAI-style error body with this status."""
    error_message: str = "Scripted server error"
    chunks: list[str] | None = None
    """Streamed pieces; by default ``text`` split into words (with their trailing spaces)."""
    chunk_delay_s: float = 0.0
    """Seconds to wait before each streamed piece."""
    drop_after_chunks: int | None = None
    """Close the connection abruptly after this many streamed pieces (no [DONE])."""
    finish_reason: str = "stop"

    def pieces(self) -> list[str]:
        if self.chunks is not None:
            return list(self.chunks)
        return re.findall(r"\s*\S+\s*", self.text) or [self.text]


@dataclass
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    """Header names in lower case."""
    body: Any
    """Parsed JSON body (None for GET, the raw text if it was not JSON)."""
    received_at: float = field(default_factory=time.monotonic)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", [])) if isinstance(self.body, dict) else []

    def contents(self, role: str) -> list[str]:
        """Text of every message with ``role`` (content parts joined)."""
        return [_content_text(m.get("content")) for m in self.messages if m.get("role") == role]

    @property
    def system_prompt(self) -> str:
        return "\n".join(self.contents("system") + self.contents("developer"))

    @property
    def user_text(self) -> str:
        return "\n".join(self.contents("user"))

    @property
    def all_text(self) -> str:
        """Every message's text, in order."""
        return "\n".join(_content_text(m.get("content")) for m in self.messages)


class FakeOpenAIServer(LoopbackServer):
    """An OpenAI-compatible server in a background thread; use as a context manager."""

    name = "fake-openai"

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        models: tuple[str, ...] = ("test-model",),
        default: ScriptedResponse | None = None,
    ) -> None:
        super().__init__(_Handler, host=host, port=port)
        self.models = list(models)
        self.default = default or ScriptedResponse(text="OK")
        self.requests: list[RecordedRequest] = []
        self._script: deque[ScriptedResponse] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    @property
    def base_url(self) -> str:
        """What an OpenAI client takes as ``base_url``."""
        return f"{self.url}/v1"

    def stop(self) -> None:
        self._stopping.set()  # wakes handlers sleeping through a scripted delay
        super().stop()

    # --- scripting ---------------------------------------------------------------------

    def reply(self, text: str = "", **options: Any) -> ScriptedResponse:
        """Queue one reply (see :class:`ScriptedResponse` for the options)."""
        response = ScriptedResponse(text=text, **options)
        self.queue(response)
        return response

    def fail(self, status: int = 500, message: str = "Scripted server error") -> ScriptedResponse:
        """Queue one HTTP error reply."""
        return self.reply(status=status, error_message=message)

    def queue(self, *responses: ScriptedResponse | str) -> None:
        """Queue replies in order; a plain string is a text reply. Unqueued requests get ``default``."""
        with self._lock:
            self._script.extend(
                r if isinstance(r, ScriptedResponse) else ScriptedResponse(text=r) for r in responses
            )

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        """The recorded chat completion requests, in order."""
        with self._lock:
            return [r for r in self.requests if r.path.rstrip("/").endswith("/chat/completions")]

    def _next(self) -> ScriptedResponse:
        with self._lock:
            return self._script.popleft() if self._script else self.default

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops first; False when it is stopping."""
        return not (seconds > 0 and self._stopping.wait(seconds))


def unused_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on (for "connection refused" tests)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeOpenAI/1.0"

    @property
    def fake(self) -> FakeOpenAIServer:
        return self.server.fake  # type: ignore[attr-defined, no-any-return]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keeps test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.close_connection = True
        self.fake._record(RecordedRequest("GET", self.path, _lower_keys(self.headers), None))
        path = self.path.split("?", 1)[0].rstrip("/")
        if path in ("/v1/models", "/models"):
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in self.fake.models]
            self._send_json(200, {"object": "list", "data": data})
        else:
            self._send_json(404, _error_body("Not found", "not_found_error"))

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.close_connection = True
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", errors="replace") if length else ""
        try:
            body: Any = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw
        self.fake._record(RecordedRequest("POST", self.path, _lower_keys(self.headers), body))
        path = self.path.split("?", 1)[0].rstrip("/")
        if path not in ("/v1/chat/completions", "/chat/completions"):
            self._send_json(404, _error_body("Not found", "not_found_error"))
            return
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            self._send_json(400, _error_body("'messages' is required", "invalid_request_error"))
            return
        script = self.fake._next()
        if not self.fake._sleep(script.delay_s):
            return
        try:
            if script.status != 200:
                error_type = "server_error" if script.status >= 500 else "invalid_request_error"
                self._send_json(script.status, _error_body(script.error_message, error_type))
            elif body.get("stream"):
                self._stream(body, script)
            else:
                self._send_json(200, _completion(body, script))
        except OSError:
            pass  # the client gave up (timeout); nothing to tell it

    def _send_json(self, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def _stream(self, body: dict[str, Any], script: ScriptedResponse) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        base = {
            "id": "chatcmpl-fake",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": body.get("model", "test-model"),
        }

        def event(payload: dict[str, Any] | str) -> None:
            data = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
            frame = f"data: {data}\n\n".encode()
            self.wfile.write(f"{len(frame):X}\r\n".encode() + frame + b"\r\n")
            self.wfile.flush()

        event(
            {
                **base,
                "choices": [
                    {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}
                ],
            }
        )
        for sent, piece in enumerate(script.pieces()):
            if script.drop_after_chunks is not None and sent >= script.drop_after_chunks:
                self._drop()
                return
            if not self.fake._sleep(script.chunk_delay_s):
                return
            event({**base, "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]})
        event({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": script.finish_reason}]})
        if (body.get("stream_options") or {}).get("include_usage"):
            event({**base, "choices": [], "usage": _usage(body, script.text)})
        event("[DONE]")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _drop(self) -> None:
        """End the connection without the terminating chunk: the client sees a broken body."""
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)


def _completion(body: dict[str, Any], script: ScriptedResponse) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "test-model"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": script.text},
                "finish_reason": script.finish_reason,
            }
        ],
        "usage": _usage(body, script.text),
    }


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    prompt = sum(len(_content_text(m.get("content")).split()) for m in body.get("messages", []))
    completion = len(text.split())
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def _error_body(message: str, error_type: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": error_type, "param": None, "code": None}}


def _content_text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts: [{"type": "text", "text": "..."}]
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def _lower_keys(headers: Any) -> dict[str, str]:
    return {key.lower(): value for key, value in headers.items()}
