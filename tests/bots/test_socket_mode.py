"""Socket Mode: the same bot over a WebSocket (no public URL), with Slack's retries deduplicated."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.service import Assistant
from bots.slack.socket_mode import socket_mode_handler
from tests.bots.conftest import BOT_TOKEN, CHANNELS_YAML, PUBLIC_CHANNEL, has_feedback, message_text
from tests.fakes.slack_api import BOT_USER_ID, TEAM_ID, FakeSlackAPI, FakeSocketMode

QUESTION = "Wie viel spart die Gemeinde Kessbach mit openDesk?"


def _settings(tmp_path: Path, slack_api: FakeSlackAPI, **overrides: Any) -> Settings:
    channels = tmp_path / "channels.yaml"
    channels.write_text(CHANNELS_YAML, encoding="utf-8")
    return Settings(
        data_dir=tmp_path / "bot-data",
        index_name="corpus",
        slack_bot_token=BOT_TOKEN,
        slack_channels_file=channels,
        slack_base_url=slack_api.api_url,
        **overrides,
    )


def test_mention_over_socket_mode_is_acked_answered_and_deduplicated(
    slack_api: FakeSlackAPI, bot_index: Any, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, slack_api, slack_app_token="xapp-test-token")
    assistant = Assistant(bot_index, settings)
    with FakeSocketMode() as socket:
        slack_api.socket_mode_url = socket.url
        handler = socket_mode_handler(settings, lambda: assistant)
        handler.connect()
        try:
            text = f"<@{BOT_USER_ID}> {QUESTION}"
            ts = slack_api.add_message(PUBLIC_CHANNEL, text)
            payload = {
                "team_id": TEAM_ID,
                "api_app_id": "ATEST0001",
                "type": "event_callback",
                "event_id": "EvSOCKET1",
                "event_time": int(time.time()),
                "event": {
                    "type": "app_mention",
                    "user": "UHUMAN01",
                    "text": text,
                    "ts": ts,
                    "channel": PUBLIC_CHANNEL,
                    "event_ts": ts,
                },
            }
            socket.push("env-1", payload)
            socket.push("env-2", payload, retry_attempt=1)  # Slack redelivers: same event_id
            assert socket.wait_for_ack("env-1") == {"envelope_id": "env-1"}
            assert socket.wait_for_ack("env-2") == {"envelope_id": "env-2"}

            answers = slack_api.wait_for(
                "chat.postMessage",
                lambda c: (
                    c.params.get("thread_ts") == ts
                    and any(b["type"] == "actions" for b in c.params["blocks"])
                ),
            )
            assert "Quellen" in message_text(answers[0].params)
            [opened] = slack_api.calls_to("apps.connections.open")
            assert opened.headers["authorization"] == "Bearer xapp-test-token"
            # A later question is answered after the retry was dropped: still one answer in the first thread.
            later = slack_api.add_message(PUBLIC_CHANNEL, f"<@{BOT_USER_ID}> Was sind Digitallotsen?")
            event = {
                **payload["event"],
                "ts": later,
                "event_ts": later,
                "text": f"<@{BOT_USER_ID}> Was sind Digitallotsen?",
            }
            socket.push("env-3", {**payload, "event_id": "EvSOCKET2", "event": event})
            slack_api.wait_for(
                "chat.postMessage", lambda c: c.params.get("thread_ts") == later and has_feedback(c.params)
            )
            assert len([p for p in slack_api.posts(PUBLIC_CHANNEL, ts) if has_feedback(p)]) == 1
        finally:
            handler.close()


def test_socket_mode_without_app_token_explains_what_is_missing(
    slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError, match="ASSISTANT_SLACK_APP_TOKEN"):
        socket_mode_handler(_settings(tmp_path, slack_api), lambda: None)  # type: ignore[arg-type, return-value]
