"""Two API replicas and two Slack bots with nothing shared but PostgreSQL and a Chroma server (issue 17).

Each process has its own empty data directory — as on two hosts. An upload through one API
replica is answered by the other after its generation check (its lexical index is its own read
model); a key revoked through one host's store is refused by the other replica at the next
request. The same Slack event delivered to both bot hosts is answered once: the claim is a row
in PostgreSQL, not a file in either data directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Self

import httpx
import pytest

from assistant.config import Settings
from kommunal.api.keys import KeyStore
from tests.bots.conftest import BOT_TOKEN, PUBLIC_CHANNEL, SIGNING_SECRET, SlackBot, has_feedback
from tests.fakes.api_process import ApiProcess
from tests.fakes.chroma_server import free_port
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackAPI

pytestmark = pytest.mark.slow  # PostgreSQL, a Chroma server and two API processes with the model

NEW_DOCUMENT = (
    "# Lärmkarte Uhlstedt\n\nDie Gemeinde Uhlstedt misst den Verkehrslärm mit zwölf Sensoren an "
    "Schulwegen und veröffentlicht die Werte stündlich als offene Daten.\n"
)
QUESTION = "Mit wie vielen Sensoren misst Uhlstedt den Verkehrslärm?"


def replica_env(data_dir: Path, chroma_url: str, database_url: str) -> dict[str, str]:
    return {
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_CHROMA_URL": chroma_url,
        "ASSISTANT_DATABASE_URL": database_url,
        "ASSISTANT_CHROMA_TIMEOUT_S": "5",
        "ASSISTANT_API_RATE_LIMIT_PER_MINUTE": "0",
    }


@pytest.fixture
def replicas(shared: Settings, tmp_path) -> Iterator[list[ApiProcess]]:
    started = []
    try:
        for name in ("host-a", "host-b"):
            env = replica_env(tmp_path / name, str(shared.chroma_url), shared.database_url.get_secret_value())
            env["ASSISTANT_INDEX_NAME"] = shared.index_name
            started.append(ApiProcess(env, tmp_path / f"{name}.log").start())
        yield started
    finally:
        for replica in started:
            replica.stop()


def ask(replica: ApiProcess, token: str) -> httpx.Response:
    return httpx.post(
        replica.url + "/api/v1/ask", json={"question": QUESTION}, headers={"X-API-Key": token}, timeout=120
    )


def test_an_upload_on_one_replica_is_answered_by_the_other(shared, replicas, tmp_path):
    host_a, host_b = replicas
    keys = KeyStore.for_settings(shared.model_copy(update={"data_dir": tmp_path / "host-a"}))
    _, editor = keys.create("redaktion", "editor", ["oeffentlich"])
    _, reader = keys.create("leser", "reader", ["oeffentlich"])

    before = ask(host_b, reader)
    assert before.status_code == 200, before.text
    assert "laerm-uhlstedt" not in {s["doc_id"] for s in before.json()["sources"]}

    uploaded = httpx.post(
        host_a.url + "/api/v1/documents",
        headers={"X-API-Key": editor},
        files=[("files", ("laerm-uhlstedt.md", NEW_DOCUMENT.encode(), "application/octet-stream"))],
        data={"doc_sets": ["oeffentlich"]},
        timeout=300,
    )
    assert uploaded.status_code == 200, uploaded.text
    (result,) = uploaded.json()["files"]
    assert result["status"] == "ok", result

    answer = ask(host_b, reader)  # the other host: its own data directory, its own BM25
    assert answer.status_code == 200, answer.text
    assert answer.json()["sources"][0]["doc_id"] == result["doc_id"]
    assert not (tmp_path / "host-b" / shared.index_name / "manifest.sqlite").exists()

    # Revoked through host A's store, refused by host B at its next request.
    KeyStore.for_settings(shared.model_copy(update={"data_dir": tmp_path / "host-a"})).revoke("leser")
    refused = ask(host_b, reader)
    assert refused.status_code == 401, refused.text
    assert ask(host_a, reader).status_code == 401


class SlackBotProcess:
    """``python -m kommunal slack --http`` as a process of its own: one bot host."""

    def __init__(self, env: dict[str, str], log: Path, slack: FakeSlackAPI, settings: Settings) -> None:
        self.env = {**os.environ, **env}
        self.log = log
        self.port = free_port()
        self.bot = SlackBot(f"http://127.0.0.1:{self.port}/slack/events", settings, slack)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 180.0) -> Self:
        """Start and wait until a signed ``url_verification`` comes back with its challenge."""
        command = [sys.executable, "-m", "kommunal", "slack", "--http", "--port", str(self.port)]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        probe = json.dumps({"token": "legacy", "type": "url_verification", "challenge": "bereit"})
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.output()
            try:
                if self.bot.post(probe, "application/json").text.strip('"{} ').endswith("bereit"):
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"Slack bot on port {self.port} did not start: {self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture
def slack_hosts(shared: Settings, tmp_path) -> Iterator[tuple[FakeSlackAPI, list[SlackBotProcess]]]:
    """Two bot processes, each with its own data directory, against one Slack Web API fake."""
    started: list[SlackBotProcess] = []
    with FakeSlackAPI() as slack:
        database_url = shared.database_url.get_secret_value()
        try:
            for name in ("bot-a", "bot-b"):
                env = replica_env(tmp_path / name, str(shared.chroma_url), database_url)
                env |= {
                    "ASSISTANT_INDEX_NAME": shared.index_name,
                    "ASSISTANT_SLACK_BOT_TOKEN": BOT_TOKEN,
                    "ASSISTANT_SLACK_SIGNING_SECRET": SIGNING_SECRET,
                    "ASSISTANT_SLACK_BASE_URL": slack.api_url,
                    "ASSISTANT_LOG_LEVEL": "INFO",
                }
                started.append(SlackBotProcess(env, tmp_path / f"{name}.log", slack, shared).start())
            yield slack, started
        finally:
            for bot in started:
                bot.stop()


def test_the_same_slack_event_on_two_bot_hosts_is_answered_once(slack_hosts, shared, tmp_path):
    slack, hosts = slack_hosts
    text = f"<@{BOT_USER_ID}> Wie viel spart die Gemeinde Kessbach mit openDesk?"
    ts = slack.add_message(PUBLIC_CHANNEL, text, user="UHUMAN01")
    event = {"type": "app_mention", "user": "UHUMAN01", "text": text, "ts": ts}
    event |= {"channel": PUBLIC_CHANNEL, "event_ts": ts, "client_msg_id": "3f1c0de2-two-hosts"}

    # The same delivery (one event_id) reaches both hosts at once, as behind a load balancer
    # that retries on the other host.
    with ThreadPoolExecutor(2) as pool:
        responses = list(pool.map(lambda h: h.bot.send_event(event, event_id="EvTWOHOSTS1"), hosts))
    assert [r.status_code for r in responses] == [200, 200]
    # The loser drops it synchronously, before its 200: nothing of it is still pending.
    dropped = [h for h in hosts if "duplicate delivery ignored event_id=EvTWOHOSTS1" in h.output()]
    assert len(dropped) == 1, [h.output()[-2000:] for h in hosts]

    in_thread = lambda call: call.params.get("thread_ts") == ts  # noqa: E731
    slack.wait_for("chat.postMessage", lambda c: in_thread(c) and has_feedback(c.params))
    slack.wait_for("chat.delete")  # the winner removed its placeholder: its work is done

    # The same message again under new event ids (Slack's second subscription, a retry with a
    # new id) to each host: the message claim in PostgreSQL holds on both.
    for n, host in enumerate(hosts, start=2):
        assert host.bot.send_event(event, event_id=f"EvTWOHOSTS{n}").status_code == 200
    # Later questions on both hosts are answered after those duplicates were looked at.
    later = [host.bot.mention(PUBLIC_CHANNEL, "Was ist das Digitallotsen-Programm?")[0] for host in hosts]
    for later_ts in later:
        hosts[0].bot.wait_for_answer(PUBLIC_CHANNEL, later_ts)

    posts = [c.params for c in slack.calls_to("chat.postMessage") if in_thread(c)]
    assert len([p for p in posts if has_feedback(p)]) == 1, posts  # exactly one answer
    assert len(posts) == 2, posts  # and the one placeholder of the host that answered
    # Nothing of the bot state sits in either host's data directory.
    assert [p for name in ("bot-a", "bot-b") for p in (tmp_path / name).rglob("*.sqlite*")] == []
