"""A local Slack Web API on 127.0.0.1 for tests: records every call, keeps channel history, can fail.

``slack_sdk.WebClient(base_url=server.api_url)`` talks to it like to ``https://slack.com/api/``.
It answers the methods the bot uses (``auth.test``, ``chat.postMessage``, ``chat.update``,
``chat.delete``, ``chat.postEphemeral``, ``conversations.replies``, ``reactions.*``,
``views.open``, ``files.getUploadURLExternal`` + the upload URL + ``files.completeUploadExternal``)
and receives what bolt's ``respond()`` posts to a slash command's ``response_url``.

Messages posted through ``chat.postMessage`` are kept per channel, so ``conversations.replies``
returns a real thread, bot messages included. Tests add user messages with
:meth:`FakeSlackAPI.add_message`. Scripted failures answer the next N calls of a method with an
HTTP status (429 with ``Retry-After``) or an ``{"ok": false, "error": ...}`` body.

Built on ``http.server`` like ``tests/fakes/openai_server.py``: starts in milliseconds and needs
no event loop.

    with FakeSlackAPI() as slack:
        client = WebClient(token="xoxb-test", base_url=slack.api_url)
        slack.fail("chat.postMessage", status=429, retry_after=1)
        ...
        post = slack.wait_for("chat.postMessage", lambda call: call.params.get("thread_ts") == ts)
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.fakes.loopback import LoopbackServer

__all__ = ["BOT_ID", "BOT_USER_ID", "FakeSlackAPI", "FakeSocketMode", "SlackCall", "TEAM_ID"]

TEAM_ID = "T0TEST"
BOT_USER_ID = "UBOT0001"
BOT_ID = "BBOT0001"


@dataclass
class SlackCall:
    """One request the server received."""

    method: str
    """Web API method ("chat.postMessage"), or "upload"/"response_url" for those URLs."""
    params: dict[str, Any]
    """Query, form and JSON parameters merged; JSON-encoded ``blocks``/``files`` decoded."""
    headers: dict[str, str]
    status: int = 200
    """The HTTP status the server answered with."""
    raw: bytes = b""
    received_at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.params.get("_failed")


@dataclass
class _Failure:
    status: int
    error: str
    retry_after: int | None


class FakeSlackAPI(LoopbackServer):
    """A Slack Web API server in a background thread; use as a context manager."""

    name = "fake-slack"

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(_Handler, host=host, port=port)
        self.calls: list[SlackCall] = []
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.uploads: dict[str, bytes] = {}
        self.socket_mode_url: str | None = None
        self._failures: dict[str, deque[_Failure | None]] = defaultdict(deque)
        self._clock = itertools.count(1)
        self._files = itertools.count(1)
        self._cond = threading.Condition()

    # --- lifecycle ---------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """What ``WebClient`` takes as ``base_url`` (with the trailing slash it needs)."""
        return f"{self.url}/api/"

    def response_url(self, name: str = "cmd") -> str:
        """A ``response_url`` for a slash command or action payload that this server receives."""
        return f"{self.url}/response/{name}"

    # --- scripting ---------------------------------------------------------------------

    def fail(
        self, method: str, *, status: int = 429, retry_after: int | None = 1, times: int = 1, after: int = 0
    ) -> None:
        """Answer ``times`` calls of ``method`` with an HTTP error (429 + Retry-After by default).

        ``after`` lets that many calls of the method succeed first.
        """
        self._script(method, _Failure(status, "ratelimited", retry_after), times, after)

    def error(self, method: str, error: str = "internal_error", *, times: int = 1, after: int = 0) -> None:
        """Answer ``times`` calls of ``method`` with ``ok: false`` + ``error``, after ``after`` successes."""
        self._script(method, _Failure(200, error, None), times, after)

    def _script(self, method: str, failure: _Failure, times: int, after: int) -> None:
        with self._cond:
            self._failures[method].extend([None] * after + [failure] * times)

    def add_message(
        self, channel: str, text: str, *, user: str = "UHUMAN01", thread_ts: str | None = None
    ) -> str:
        """Put a user's message into a channel (or thread) as if a person wrote it; returns its ts."""
        ts = self._next_ts()
        message: dict[str, Any] = {"type": "message", "ts": ts, "user": user, "text": text}
        if thread_ts:
            message["thread_ts"] = thread_ts
        with self._cond:
            self.messages[channel].append(message)
        return ts

    # --- inspection --------------------------------------------------------------------

    def calls_to(self, method: str) -> list[SlackCall]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def posts(self, channel: str | None = None, thread_ts: str | None = None) -> list[dict[str, Any]]:
        """Parameters of every successful ``chat.postMessage``, optionally of one channel/thread."""
        return [
            c.params
            for c in self.calls_to("chat.postMessage")
            if c.ok
            and (channel is None or c.params.get("channel") == channel)
            and (thread_ts is None or c.params.get("thread_ts") == thread_ts)
        ]

    def thread(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """The current messages of a thread (parent first), as ``conversations.replies`` returns them."""
        with self._cond:
            found = [
                m for m in self.messages[channel] if m["ts"] == thread_ts or m.get("thread_ts") == thread_ts
            ]
        return sorted(found, key=lambda m: float(m["ts"]))

    def wait_for(
        self,
        method: str,
        predicate: Callable[[SlackCall], bool] = lambda call: True,
        *,
        count: int = 1,
        timeout: float = 120.0,
    ) -> list[SlackCall]:
        """Block until ``count`` successful calls of ``method`` match ``predicate``; return them.

        Generous default timeout: it only matters when the bot never makes the call.
        """
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls if c.method == method and c.ok and predicate(c)]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(c.method, c.status, c.params.get("text", "")[:60]) for c in self.calls]
                    raise AssertionError(f"no {count}x {method} within {timeout}s; calls: {seen}")
                self._cond.wait(remaining)

    # --- internals ---------------------------------------------------------------------

    def _next_ts(self) -> str:
        return f"{1700000000 + next(self._clock)}.{next(self._clock):06d}"

    def _record(self, call: SlackCall) -> None:
        with self._cond:
            self.calls.append(call)
            self._cond.notify_all()

    def _take_failure(self, method: str) -> _Failure | None:
        with self._cond:
            queue = self._failures.get(method)
            return queue.popleft() if queue else None

    def handle(self, method: str, params: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
        """The JSON answer of one Web API method (called by the request handler)."""
        token = headers.get("authorization", "")
        if method == "apps.connections.open":
            if not token.startswith("Bearer xapp-"):
                return {"ok": False, "error": "invalid_auth"}
            if not self.socket_mode_url:
                return {"ok": False, "error": "socket_mode_not_configured"}
            return {"ok": True, "url": self.socket_mode_url}
        if not token.startswith("Bearer xoxb-"):
            return {"ok": False, "error": "invalid_auth"}
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return {"ok": False, "error": "unknown_method"}
        return handler(params)  # type: ignore[no-any-return]

    def _m_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://kommune-test.slack.com/",
            "team": "Kommune Test",
            "user": "agenda-assistent",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _m_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        message = {
            "type": "message",
            "ts": ts,
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "text": params.get("text", ""),
            "blocks": params.get("blocks", []),
        }
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        if params.get("metadata"):
            metadata = params["metadata"]
            message["metadata"] = json.loads(metadata) if isinstance(metadata, str) else metadata
        with self._cond:
            self.messages[channel].append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _m_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = params.get("channel"), params.get("ts")
        with self._cond:
            for message in self.messages.get(str(channel), []):
                if message["ts"] == ts:
                    message.update({k: params[k] for k in ("text", "blocks") if k in params})
                    return {"ok": True, "channel": channel, "ts": ts, "text": message["text"]}
        return {"ok": False, "error": "message_not_found"}

    def _m_chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(params.get("channel")), params.get("ts")
        with self._cond:
            before = len(self.messages[channel])
            self.messages[channel] = [m for m in self.messages[channel] if m["ts"] != ts]
            if len(self.messages[channel]) == before:
                return {"ok": False, "error": "message_not_found"}
        return {"ok": True, "channel": channel, "ts": ts}

    def _m_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        messages = self.thread(str(params.get("channel")), str(params.get("ts")))
        if str(params.get("include_all_metadata", "")).lower() not in ("1", "true"):
            messages = [{k: v for k, v in m.items() if k != "metadata"} for m in messages]
        if not messages:
            return {"ok": False, "error": "thread_not_found"}
        return {"ok": True, "messages": messages, "has_more": False}

    def _m_reactions_add(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    def _m_reactions_remove(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True}

    def _m_views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        return {"ok": True, "view": {"id": "VFAKE1", **(params.get("view") or {})}}

    def _m_files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("filename") or not params.get("length"):
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._files):07d}"
        return {"ok": True, "file_id": file_id, "upload_url": f"{self.url}/upload/{file_id}"}

    def _m_files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files") or []
        missing = [f["id"] for f in files if f.get("id") not in self.uploads]
        if not files or missing:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", "")} for f in files]}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeSlack/1.0"

    @property
    def fake(self) -> FakeSlackAPI:
        return self.server.fake  # type: ignore[attr-defined, no-any-return]

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keeps test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._handle(b"")

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        length = int(self.headers.get("Content-Length") or 0)
        self._handle(self.rfile.read(length) if length else b"")

    def _handle(self, raw: bytes) -> None:
        parsed = urlparse(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        parts = parsed.path.strip("/").split("/")
        params = _params(parsed.query, raw, headers.get("content-type", ""))
        if parts[0] == "upload" and len(parts) == 2:
            self.fake.uploads[parts[1]] = raw
            self.fake._record(SlackCall("upload", {"file_id": parts[1]}, headers, raw=raw))
            self._send(200, b"OK", "text/plain")
            return
        if parts[0] == "response" and len(parts) == 2:
            self.fake._record(SlackCall("response_url", {"name": parts[1], **params}, headers, raw=raw))
            self._send(200, b"ok", "text/plain")
            return
        if parts[0] != "api" or len(parts) != 2:
            self._send(404, b"not found", "text/plain")
            return
        method = parts[1]
        failure = self.fake._take_failure(method)
        if failure is not None and failure.status != 200:
            self.fake._record(SlackCall(method, params, headers, status=failure.status, raw=raw))
            extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            body = json.dumps({"ok": False, "error": failure.error}).encode()
            self._send(failure.status, body, "application/json", extra)
            return
        if failure is not None:
            answer = {"ok": False, "error": failure.error}
        else:
            answer = self.fake.handle(method, params, headers)
        if not answer.get("ok"):
            params = {**params, "_failed": answer.get("error")}
        self.fake._record(SlackCall(method, params, headers, raw=raw))
        self._send(200, json.dumps(answer, ensure_ascii=False).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


def _params(query: str, raw: bytes, content_type: str) -> dict[str, Any]:
    params: dict[str, Any] = {k: v[0] for k, v in parse_qs(query).items()}
    text = raw.decode("utf-8", errors="replace")
    if "json" in content_type and text:
        try:
            body = json.loads(text)
        except json.JSONDecodeError:
            body = {}
        if isinstance(body, dict):
            params.update(body)
    elif "x-www-form-urlencoded" in content_type and text:
        params.update({k: v[0] for k, v in parse_qs(text, keep_blank_values=True).items()})
    for key in ("blocks", "files", "view"):
        if isinstance(params.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):
                params[key] = json.loads(params[key])
    return params


class FakeSocketMode:
    """Slack's Socket Mode WebSocket endpoint: says hello, pushes envelopes, records the acks.

    Point :attr:`FakeSlackAPI.socket_mode_url` at :attr:`url`; ``apps.connections.open`` hands it
    to the client as Slack would.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        from websockets.sync.server import serve

        self.acks: list[dict[str, Any]] = []
        self._connection: Any = None
        self._cond = threading.Condition()
        self._server = serve(self._handle, host, 0, compression=None)
        self.host = host
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self._server.socket.getsockname()[1]}/link"

    def __enter__(self) -> FakeSocketMode:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="fake-socket-mode", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _handle(self, connection: Any) -> None:
        hello = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "ATEST0001"}}
        connection.send(json.dumps(hello))
        with self._cond:
            self._connection = connection
            self._cond.notify_all()
        for message in connection:
            data = json.loads(message)
            with self._cond:
                self.acks.append(data)
                self._cond.notify_all()

    def push(
        self, envelope_id: str, payload: dict[str, Any], *, kind: str = "events_api", retry_attempt: int = 0
    ) -> None:
        """Send one envelope to the connected client (waits for the client to connect)."""
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        with self._cond:
            if not self._cond.wait_for(lambda: self._connection is not None, timeout=60):
                raise AssertionError("the Socket Mode client never connected")
            connection = self._connection
        connection.send(json.dumps(envelope))

    def wait_for_ack(self, envelope_id: str, timeout: float = 60.0) -> dict[str, Any]:
        with self._cond:
            found = self._cond.wait_for(
                lambda: any(a.get("envelope_id") == envelope_id for a in self.acks), timeout=timeout
            )
            if not found:
                raise AssertionError(f"no ack for envelope {envelope_id}; acks: {self.acks}")
            return next(a for a in self.acks if a.get("envelope_id") == envelope_id)
