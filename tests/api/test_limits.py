"""Limits and failures: 413 (also chunked), 429, 503/504 from the language model, CORS, question logging."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.index.lock import IndexLock
from kommunal.api import create_app
from tests.api.conftest import AppFactory, Keys, make_keys
from tests.api.test_ask_search import parse_sse
from tests.fakes import FakeOpenAIServer

QUESTION = "Wie viel spart Kessbach mit openDesk?"


def _llm(server: FakeOpenAIServer, **overrides: object) -> dict[str, object]:
    return {
        "llm_base_url": server.base_url,
        "llm_model": "test-model",
        "llm_timeout_s": 0.5,
        "llm_fallback_extractive": False,
        **overrides,
    }


def test_body_over_the_limit_is_413_with_content_length(make_client: AppFactory) -> None:
    client, keys = make_client(api_max_body_mb=0.01)
    big = b"Digitalisierung " * 2000  # 32 kB > 10 kB
    response = client.post(
        "/api/v1/documents",
        headers=Keys.header(keys.admin),
        files=[("files", ("gross.txt", big, "text/plain"))],
    )
    assert response.status_code == 413
    assert response.json()["code"] == "body_too_large"
    assert "ASSISTANT_API_MAX_BODY_MB" in response.json()["detail"]
    assert client.get("/api/v1/documents", headers=Keys.header(keys.admin)).json()  # still serving


def test_chunked_body_without_content_length_is_counted_while_streaming(make_client: AppFactory) -> None:
    client, keys = make_client(api_max_body_mb=0.01)
    sent: list[int] = []

    def body() -> Iterator[bytes]:
        payload = json.dumps({"question": "Frage " * 5000}).encode()
        for start in range(0, len(payload), 1024):
            sent.append(start)
            yield payload[start : start + 1024]

    response = client.post(
        "/api/v1/ask", content=body(), headers={**Keys.header(keys.admin), "Content-Type": "application/json"}
    )
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    small = client.post("/api/v1/ask", json={"question": QUESTION}, headers=Keys.header(keys.admin))
    assert small.status_code == 200


def test_rate_limit_per_key_is_429_with_retry_after(make_client: AppFactory) -> None:
    client, keys = make_client(api_rate_limit_per_minute=1, api_rate_limit_burst=2)
    statuses = [client.get("/v1/models", headers=Keys.header(keys.reader)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = client.get("/v1/models", headers=Keys.header(keys.reader))
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    # another key has its own budget; health is never limited
    assert client.get("/v1/models", headers=Keys.header(keys.admin)).status_code == 200
    assert client.get("/api/v1/health").status_code == 200


def test_llm_slower_than_its_timeout_is_504(make_client: AppFactory, openai_server: FakeOpenAIServer) -> None:
    client, keys = make_client(**_llm(openai_server))
    openai_server.reply("Kessbach spart Lizenzkosten [1].", delay_s=5)
    response = client.post("/api/v1/ask", json={"question": QUESTION}, headers=Keys.header(keys.admin))
    assert response.status_code == 504
    assert response.json()["code"] == "llm_timeout"
    assert "nicht rechtzeitig" in response.json()["detail"]
    assert len(openai_server.chat_requests) == 1

    openai_server.reply("Kessbach spart Lizenzkosten [1].", delay_s=5)
    chat = client.post(
        "/v1/chat/completions",
        json={"messages": [{"role": "user", "content": QUESTION}]},
        headers=Keys.header(keys.admin),
    )
    assert chat.status_code == 504
    assert chat.json()["error"]["code"] == "llm_timeout"


def test_llm_timeout_during_a_stream_is_an_error_event(
    make_client: AppFactory, openai_server: FakeOpenAIServer
) -> None:
    client, keys = make_client(**_llm(openai_server))
    openai_server.reply("Kessbach spart Lizenzkosten [1].", chunk_delay_s=5)
    with client.stream(
        "POST", "/api/v1/ask/stream", json={"question": QUESTION}, headers=Keys.header(keys.admin)
    ) as response:
        assert response.status_code == 200
        events = parse_sse(response.read().decode())
    assert events[-1][0] == "error"
    assert json.loads(events[-1][1])["status"] == 504


def test_request_taking_longer_than_the_api_timeout_is_504(
    make_client: AppFactory, openai_server: FakeOpenAIServer
) -> None:
    client, keys = make_client(**_llm(openai_server, llm_timeout_s=30), api_timeout_s=0.5)
    openai_server.reply("Kessbach spart Lizenzkosten [1].", delay_s=5)
    response = client.post("/api/v1/ask", json={"question": QUESTION}, headers=Keys.header(keys.admin))
    assert response.status_code == 504
    assert response.json()["code"] == "timeout"


def test_llm_server_error_is_503(make_client: AppFactory, openai_server: FakeOpenAIServer) -> None:
    client, keys = make_client(**_llm(openai_server))
    openai_server.fail(500)
    response = client.post("/api/v1/ask", json={"question": QUESTION}, headers=Keys.header(keys.admin))
    assert response.status_code == 503
    assert response.json()["code"] == "llm_unavailable"


@pytest.mark.parametrize("configured", [False, True])
def test_cors_is_off_unless_origins_are_configured(make_client: AppFactory, configured: bool) -> None:
    origin = "https://intranet.lindwerder.example"
    preflight = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "X-API-Key",
    }
    client, _ = make_client(api_cors_origins=[origin] if configured else [])
    response = client.options("/api/v1/ask", headers=preflight)
    assert response.headers.get("access-control-allow-origin") == (origin if configured else None)


@pytest.mark.parametrize("log_questions", [False, True])
def test_questions_are_logged_in_full_only_when_configured(
    make_client: AppFactory, caplog: pytest.LogCaptureFixture, log_questions: bool
) -> None:
    client, keys = make_client(api_log_questions=log_questions)
    secret = "Wie erreiche ich Frau Erika Mustermann, Hauptstraße 5, wegen openDesk?"
    with caplog.at_level(logging.INFO, logger="kommunal.api"):
        assert (
            client.post("/api/v1/ask", json={"question": secret}, headers=Keys.header(keys.admin)).status_code
            == 200
        )
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "route=ask" in logged
    assert ("Mustermann" in logged) is log_questions


def test_index_held_by_another_process_is_503_and_not_ready(corpus_settings: Settings) -> None:
    """An embedded index owned elsewhere: /ready and /ask answer 503 quickly; /health stays 200."""
    settings = corpus_settings.model_copy(update={"lock_timeout_s": 0.2})
    keys = make_keys(settings)
    other = IndexLock(settings.index_dir / "index.lock", purpose="anderer Prozess")
    try:
        _check_unavailable(settings, keys)
    finally:
        other.release()


def _check_unavailable(settings: Settings, keys: Keys) -> None:
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/v1/health").status_code == 200
        ready = client.get("/api/v1/ready")
        assert ready.status_code == 503
        assert ready.json()["code"] == "not_ready"
        assert "anderen Prozess" in ready.json()["detail"]
        ask = client.post("/api/v1/ask", json={"question": QUESTION}, headers=Keys.header(keys.admin))
        assert ask.status_code == 503
        assert ask.json()["code"] == "index_locked"
