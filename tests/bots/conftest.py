"""Fixtures for the Slack bot: the mock Slack Web API, a real index, the bot served over HTTP.

The bot under test is the real bolt app behind the real FastAPI router, served by uvicorn on
127.0.0.1; Slack's side is :class:`tests.fakes.slack_api.FakeSlackAPI`. Requests are signed
with the signing secret exactly as Slack signs them.
"""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from slack_sdk.signature import SignatureVerifier

from assistant.config import Settings
from assistant.service import Assistant
from tests.fakes.slack_api import BOT_USER_ID, TEAM_ID, FakeSlackAPI

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"
CANARY = "Quastenflosserprotokoll"
PUBLIC_CHANNEL = "CPUBLIC01"
INTERN_CHANNEL = "CINTERN01"
QUIET_CHANNEL = "CQUIET001"
INTERN_USER = "UINTERN01"
# Rules without doc_sets (default, QUIET_CHANNEL, other DMs) get settings.default_doc_sets,
# i.e. ["oeffentlich"]; the corpus documents join that set at ingest, the canary only "intern".
CHANNELS_YAML = f"""
default:
  mentions_only: false
channels:
  {INTERN_CHANNEL}:
    doc_sets: [oeffentlich, intern]
  {QUIET_CHANNEL}:
    mentions_only: true
direct_messages:
  users:
    {INTERN_USER}: [oeffentlich, intern]
"""
CANARY_DOC = f"""---
title: "Interne Notiz zum {CANARY}"
doc_type: other
doc_sets: [intern]
---
# Interne Notiz

Das {CANARY} regelt, dass der Fachbereich Organisation jede Freigabe im Vier-Augen-Prinzip prüft.
Das {CANARY} gilt nur für interne Abläufe der Stadtverwaltung Lindwerder.
"""


@pytest.fixture
def slack_api() -> Iterator[FakeSlackAPI]:
    with FakeSlackAPI() as server:
        yield server


@pytest.fixture(scope="module")
def bot_index(corpus_index_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """corpus/ plus an intern canary document, opened once per test module."""
    from assistant.embeddings import create_embedder
    from assistant.index import Index
    from ingestion.pipeline import Ingestor

    root = tmp_path_factory.mktemp("slack-index")
    shutil.copytree(corpus_index_template, root / "data")
    canary_dir = root / "canary"
    canary_dir.mkdir()
    (canary_dir / "interne-notiz.md").write_text(CANARY_DOC, encoding="utf-8")
    settings = Settings(data_dir=root / "data", index_name="corpus")
    index = Index(settings, create_embedder(settings), write=True, purpose="slack tests")
    report = Ingestor(index, settings).run([canary_dir])
    assert not report.failed, report.to_json_dict()
    # The set model the bot relies on: every document is in a set (those without doc_sets in
    # their metadata in settings.default_doc_sets = ["oeffentlich"]), the canary only in "intern".
    documents = index.manifest.documents()
    assert all(d.doc_sets for d in documents), "a document without a set"
    assert [d.doc_sets for d in documents if CANARY in d.title] == [["intern"]]
    assert sum(d.doc_sets == ["oeffentlich"] for d in documents) >= 5
    yield index
    index.close()


@dataclass
class SlackBot:
    """The bot served over HTTP, plus what a test needs to talk to it."""

    url: str
    settings: Settings
    slack: FakeSlackAPI

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """POST a request signed the way Slack signs it (v0 HMAC-SHA256 over timestamp and body)."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": signature,
            **(headers or {}),
        }
        return httpx.post(self.url, content=body.encode("utf-8"), headers=all_headers, timeout=30)

    def send_event(
        self, event: dict[str, Any], *, event_id: str | None = None, **options: Any
    ) -> httpx.Response:
        envelope = {
            "token": "legacy",
            "team_id": TEAM_ID,
            "api_app_id": "ATEST0001",
            "type": "event_callback",
            "event_id": event_id or f"Ev{time.monotonic_ns()}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True}],
            "event": event,
        }
        return self.post(json.dumps(envelope), "application/json", **options)

    def mention(
        self, channel: str, text: str, *, user: str = "UHUMAN01", thread_ts: str | None = None, **options: Any
    ) -> tuple[str, httpx.Response]:
        """A person writes ``@bot text`` in ``channel``; returns the message ts and the HTTP response."""
        full = f"<@{BOT_USER_ID}> {text}"
        ts = self.slack.add_message(channel, full, user=user, thread_ts=thread_ts)
        event = {
            "type": "app_mention",
            "user": user,
            "text": full,
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
            **({"thread_ts": thread_ts} if thread_ts else {}),
        }
        return ts, self.send_event(event, **options)

    def message(
        self,
        channel: str,
        text: str,
        *,
        user: str = "UHUMAN01",
        thread_ts: str | None = None,
        channel_type: str = "channel",
        **extra: Any,
    ) -> tuple[str, httpx.Response]:
        ts = self.slack.add_message(channel, text, user=user, thread_ts=thread_ts)
        event = {
            "type": "message",
            "user": user,
            "text": text,
            "ts": ts,
            "channel": channel,
            "event_ts": ts,
            "channel_type": channel_type,
            **extra,
            **({"thread_ts": thread_ts} if thread_ts else {}),
        }
        return ts, self.send_event(event)

    def command(
        self, command: str, text: str, *, channel: str = PUBLIC_CHANNEL, user: str = "UHUMAN01"
    ) -> httpx.Response:
        form = {
            "token": "legacy",
            "team_id": TEAM_ID,
            "channel_id": channel,
            "channel_name": "allgemein",
            "user_id": user,
            "user_name": "mitarbeiterin",
            "command": command,
            "text": text,
            "api_app_id": "ATEST0001",
            "response_url": self.slack.response_url("command"),
            "trigger_id": "1337.42.abcd",
        }
        return self.post(urlencode(form), "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any]) -> httpx.Response:
        return self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    def answer_posts(self, channel: str, thread_ts: str) -> list[dict[str, Any]]:
        """Posted messages in the thread that carry the feedback buttons (one per answer)."""
        return [p for p in self.slack.posts(channel, thread_ts) if has_feedback(p)]

    def wait_for_answer(self, channel: str, thread_ts: str, count: int = 1) -> list[dict[str, Any]]:
        calls = self.slack.wait_for(
            "chat.postMessage",
            lambda c: (
                c.params.get("channel") == channel
                and c.params.get("thread_ts") == thread_ts
                and has_feedback(c.params)
            ),
            count=count,
        )
        return [c.params for c in calls]


def has_feedback(params: dict[str, Any]) -> bool:
    return any(b.get("type") == "actions" for b in params.get("blocks") or [])


def message_text(params: dict[str, Any]) -> str:
    """All text of a posted message: fallback text and every block's text."""
    parts = [str(params.get("text", ""))]
    for block in params.get("blocks") or []:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text.get("text", ""))
        for element in block.get("elements") or []:
            if isinstance(element, dict) and isinstance(element.get("text"), str):
                parts.append(element["text"])
    return "\n".join(parts)


def wait_until(probe: Callable[[], Any], timeout: float = 120.0) -> Any:
    """Poll ``probe`` until it returns something truthy (for work the bot does after its ack)."""
    deadline = time.monotonic() + timeout
    while not (result := probe()):
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(0.05)
    return result


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def serve_bot(slack_api: FakeSlackAPI, bot_index: Any, tmp_path: Path) -> Iterator[Callable[..., SlackBot]]:
    """Start the bot (FastAPI + slack_router under uvicorn); ``serve_bot(**settings_overrides)``."""
    from bots.slack.http_mode import slack_router

    servers: list[tuple[uvicorn.Server, threading.Thread]] = []
    channels = tmp_path / "channels.yaml"
    channels.write_text(CHANNELS_YAML, encoding="utf-8")

    def start(**overrides: Any) -> SlackBot:
        settings = Settings(
            data_dir=tmp_path / "bot-data",
            index_name="corpus",
            slack_bot_token=BOT_TOKEN,
            slack_signing_secret=SIGNING_SECRET,
            slack_channels_file=channels,
            slack_base_url=slack_api.api_url,
            **overrides,
        )
        assistant = Assistant(bot_index, settings)
        app = FastAPI()
        app.include_router(slack_router(settings, lambda: assistant))
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        deadline = time.monotonic() + 30
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.01)
        return SlackBot(f"http://127.0.0.1:{port}/slack/events", settings, slack_api)

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)
