"""One logging setup: JSON lines that parse (serve, uvicorn's own loggers, other commands),
timestamps in the text format, the access line at INFO without -v and never the question."""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from assistant.config import Settings
from assistant.logging_setup import JsonFormatter, TextFormatter, level_for
from tests.api.conftest import Keys, copy_corpus_index, make_keys
from tests.fakes.openai_server import unused_port

QUESTION = "Wie viel spart Kessbach mit openDesk?"
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def record(message: str, **extra: Any) -> logging.LogRecord:
    made = logging.LogRecord("kommunal.test", logging.INFO, __file__, 1, message, ("x",), None)
    made.__dict__.update(extra)
    return made


def test_json_formatter_carries_time_level_logger_message_and_extras() -> None:
    line = json.loads(JsonFormatter().format(record("request %s", status=200, route="/api/v1/ask")))
    assert TIME.match(line["time"]), line["time"]
    assert line["level"] == "INFO" and line["logger"] == "kommunal.test"
    assert line["message"] == "request x"
    assert line["status"] == 200 and line["route"] == "/api/v1/ask"
    assert JsonFormatter().format(record("path %s", where=Path("/tmp"))).endswith('"where": "/tmp"}')


def test_text_formatter_starts_with_a_timestamp_and_appends_extras() -> None:
    line = TextFormatter().format(record("request %s", status=200))
    stamp, rest = line.split(" ", 1)
    assert TIME.match(stamp), line
    assert rest == "INFO kommunal.test: request x status=200"


def test_services_log_at_info_commands_at_warning_unless_configured() -> None:
    assert level_for(None, service=True) == "INFO"
    assert level_for(None) == "WARNING"
    assert level_for(None, verbose=True) == "INFO"
    assert level_for("ERROR", service=True) == "ERROR"
    assert level_for("DEBUG", verbose=True) == "DEBUG"


def json_lines(text: str) -> list[dict[str, Any]]:
    """Every non-empty line of ``text`` as JSON (fails on the first line that is not)."""
    lines = []
    for line in text.splitlines():
        if line.strip():
            try:
                lines.append(json.loads(line))
            except ValueError:
                raise AssertionError(f"not a JSON log line: {line!r}\n---\n{text}") from None
    return lines


def environment(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_DATA_DIR=str(settings.data_dir),
        ASSISTANT_INDEX_NAME=settings.index_name,
        ASSISTANT_API_RATE_LIMIT_PER_MINUTE="0",
        **extra,
    )
    return env


@pytest.fixture
def settings(corpus_index_template: Path, tmp_path: Path) -> Settings:
    return Settings(data_dir=copy_corpus_index(corpus_index_template, tmp_path), index_name="corpus")


def test_serve_writes_json_lines_with_the_access_line_and_never_the_question(
    settings: Settings, tmp_path: Path
) -> None:
    keys = make_keys(settings)
    port = unused_port()
    log_file = tmp_path / "serve.log"
    command = [sys.executable, "-m", "kommunal", "--log-format", "json", "serve", "--port", str(port)]
    with log_file.open("wb") as sink:
        process = subprocess.Popen(command, env=environment(settings), stdout=sink, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, log_file.read_text()
            assert time.monotonic() < deadline, "serve did not become ready"
            try:
                if httpx.get(url + "/api/v1/ready", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        answer = httpx.post(
            url + "/api/v1/ask", json={"question": QUESTION}, headers=Keys.header(keys.reader), timeout=60
        )
        assert answer.status_code == 200 and not answer.json()["abstained"]
    finally:
        process.terminate()
        process.wait(timeout=30)
    output = log_file.read_text()
    lines = json_lines(output)
    assert all(TIME.match(line["time"]) and line["level"] and line["logger"] for line in lines), output
    access = [
        line for line in lines if line["logger"] == "kommunal.api.requests" and line["message"] == "request"
    ]
    ask = [line for line in access if line["route"] == "/api/v1/ask"]
    assert len(ask) == 1, output
    assert ask[0]["method"] == "POST" and ask[0]["status"] == 200 and ask[0]["key"] == "leser"
    assert ask[0]["level"] == "INFO" and ask[0]["duration_ms"] > 0
    # uvicorn's own loggers go through the same JSON formatter.
    assert any(line["logger"].startswith("uvicorn") for line in lines), output
    assert QUESTION not in output and "openDesk" not in output


def test_log_format_and_level_settings_apply_to_other_commands(settings: Settings) -> None:
    env = environment(settings, ASSISTANT_LOG_FORMAT="json", ASSISTANT_LOG_LEVEL="debug")
    done = subprocess.run(
        [sys.executable, "-m", "kommunal", "verify", "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ok"] is True  # stdout stays one JSON document
    lines = json_lines(done.stderr)
    assert any(line["level"] == "DEBUG" for line in lines), done.stderr
