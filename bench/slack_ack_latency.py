"""How fast the Slack bot acknowledges an event while the language model takes its time.

    python -m bench.slack_ack_latency [--delay 10] [--events 3] [--data-dir DIR]

Serves the real bot (FastAPI router + bolt, uvicorn on 127.0.0.1) against the local mock
Slack Web API and a local OpenAI-compatible server that answers every request after
``--delay`` seconds. Sends ``--events`` signed ``app_mention`` events one after another and
prints the HTTP round-trip of each (Slack's limit: 3 s), then when each answer appeared.
Uses the index in ``--data-dir`` (index name ``corpus``), by default a copy of the test
suite's cached corpus index, or ingests corpus/ into a temporary directory.
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/fakes holds the protocol fakes

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from slack_sdk.signature import SignatureVerifier  # noqa: E402

from assistant.config import Settings  # noqa: E402
from assistant.embeddings import create_embedder  # noqa: E402
from assistant.index import Index  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from bots.slack.http_mode import slack_router  # noqa: E402
from tests.fakes.openai_server import FakeOpenAIServer, ScriptedResponse, unused_port  # noqa: E402
from tests.fakes.slack_api import BOT_USER_ID, TEAM_ID, FakeSlackAPI  # noqa: E402

SECRET = "bench-secret"
QUESTION = "Wie viel spart die Gemeinde Kessbach mit openDesk?"


def _index_dir(given: Path | None, tmp: Path) -> Path:
    if given:
        return given
    cached = ROOT / ".cache" / "test-corpus-index" / "corpus"
    if cached.exists():
        shutil.copytree(cached, tmp / "corpus")
        return tmp
    from ingestion.pipeline import Ingestor

    settings = Settings(data_dir=tmp, index_name="corpus")
    with Index(settings, create_embedder(settings), write=True) as index:
        Ingestor(index, settings).run([ROOT / "corpus"])
    return tmp


def _signed_mention(url: str, slack: FakeSlackAPI, n: int) -> float:
    text = f"<@{BOT_USER_ID}> {QUESTION}"
    ts = slack.add_message("CBENCH001", text)
    body = json.dumps(
        {
            "team_id": TEAM_ID,
            "api_app_id": "ABENCH",
            "type": "event_callback",
            "event_id": f"EvBench{n}",
            "event_time": int(time.time()),
            "event": {"type": "app_mention", "user": "UB", "text": text, "ts": ts, "channel": "CBENCH001"},
        }
    )
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body),
    }
    started = time.perf_counter()
    response = httpx.post(url, content=body, headers=headers, timeout=60)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"unexpected HTTP {response.status_code}: {response.text}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--delay", type=float, default=10.0, help="seconds the model takes per answer")
    parser.add_argument("--events", type=int, default=3)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp_name, FakeSlackAPI() as slack:
        tmp = Path(tmp_name)
        reply = ScriptedResponse(text="Kessbach spart Lizenzkosten [1].", delay_s=args.delay)
        with FakeOpenAIServer(default=reply) as llm:
            settings = Settings(
                data_dir=_index_dir(args.data_dir, tmp),
                index_name="corpus",
                slack_bot_token="xoxb-bench",
                slack_signing_secret=SECRET,
                slack_base_url=slack.api_url,
                llm_base_url=llm.base_url,
                llm_model="test-model",
                llm_timeout_s=args.delay + 30,
            )
            index = Index(settings, create_embedder(settings), purpose="bench")
            assistant = Assistant(index, settings)
            assistant.ask("Aufwärmen")  # load models before timing (this waits for the model once)
            api = FastAPI()
            api.include_router(slack_router(settings, lambda: assistant))
            port = unused_port()
            server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=port, log_level="warning"))
            threading.Thread(target=server.run, daemon=True).start()
            while not server.started:
                time.sleep(0.01)
            url = f"http://127.0.0.1:{port}/slack/events"

            started = time.perf_counter()
            acks = [_signed_mention(url, slack, n) for n in range(args.events)]
            answered = []
            for count in range(1, args.events + 1):  # wait for all, so nothing runs on at shutdown
                slack.wait_for("chat.postMessage", _is_answer, count=count, timeout=args.delay * 2 + 120)
                answered.append(time.perf_counter() - started)
            slack.wait_for("chat.delete", count=args.events)  # the placeholders are gone too
            server.should_exit = True
            index.close()

    print(f"model delay per answer: {args.delay:.1f} s, events: {args.events}")
    print(
        f"HTTP ack to Slack: median {statistics.median(acks) * 1000:.0f} ms, "
        f"max {max(acks) * 1000:.0f} ms (limit 3000 ms)"
    )
    print("answers posted after: " + ", ".join(f"{t:.1f} s" for t in answered))
    print("(the bot asks one question at a time per process: answers queue behind a slow model)")


def _is_answer(call: object) -> bool:
    return any(b.get("type") == "actions" for b in call.params.get("blocks") or [])  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
