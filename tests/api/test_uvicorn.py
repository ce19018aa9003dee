"""The app behind a real uvicorn on 127.0.0.1: plain requests, a chunked 413, and a client that
disconnects mid-stream, which must stop the language model's stream for that request."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.config import Settings
from tests.api.conftest import Keys, copy_corpus_index, make_keys
from tests.fakes import FakeOpenAIServer
from tests.fakes.uvicorn_thread import served_app

QUESTION = "Wie viel spart Kessbach mit openDesk?"
PIECES = 60


class CountingOpenAIServer(FakeOpenAIServer):
    """Counts the streamed pieces the fake model starts to send (each waits ``chunk_delay_s`` first)."""

    def __init__(self) -> None:
        super().__init__()
        self.pieces_started = 0

    def _sleep(self, seconds: float) -> bool:
        if seconds > 0:
            self.pieces_started += 1
        return super()._sleep(seconds)


@pytest.fixture
def llm() -> Iterator[CountingOpenAIServer]:
    with CountingOpenAIServer() as server:
        yield server


@pytest.fixture
def server(
    corpus_index_template: Path, tmp_path: Path, llm: CountingOpenAIServer
) -> Iterator[tuple[str, Keys]]:
    settings = Settings(
        data_dir=copy_corpus_index(corpus_index_template, tmp_path),
        index_name="corpus",
        api_rate_limit_per_minute=0,
        api_max_body_mb=0.05,
        llm_base_url=llm.base_url,
        llm_model="test-model",
        llm_timeout_s=10,
    )
    keys = make_keys(settings)
    with served_app(settings) as url:
        yield url, keys


def test_health_and_ask_over_real_http(server: tuple[str, Keys], llm: CountingOpenAIServer) -> None:
    url, keys = server
    llm.reply("Kessbach spart mit openDesk Lizenzkosten [1].")
    with httpx.Client(base_url=url, timeout=30) as client:
        assert client.get("/api/v1/health").json() == {"status": "ok"}
        assert client.get("/api/v1/ready").json()["ready"] is True
        assert client.post("/api/v1/ask", json={"question": QUESTION}).status_code == 401
        response = client.post("/api/v1/ask", json={"question": QUESTION}, headers=Keys.header(keys.admin))
        assert response.status_code == 200
        assert response.json()["mode"] == "llm"
        assert "openDesk" in response.json()["answer"]
        assert client.get("/openapi.json").json()["info"]["title"] == "Kommunal-Assistent API"


def test_chunked_upload_over_the_limit_is_413(server: tuple[str, Keys]) -> None:
    url, keys = server
    boundary = "grenze"

    def body() -> Iterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="gross.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        for _ in range(100):
            yield b"Digitalisierung " * 64  # 100 kB in total > 50 kB
        yield f"\r\n--{boundary}--\r\n".encode()

    with httpx.Client(base_url=url, timeout=30) as client:
        response = client.post(
            "/api/v1/documents",
            content=body(),
            headers={**Keys.header(keys.admin), "Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        assert response.request.headers.get("transfer-encoding") == "chunked"
        assert response.status_code == 413
        assert response.json()["code"] == "body_too_large"


def test_client_disconnect_stops_the_model_stream(
    server: tuple[str, Keys], llm: CountingOpenAIServer
) -> None:
    url, keys = server
    words = [f"Wort{i} " for i in range(PIECES - 1)] + ["Kessbach [1]."]
    llm.reply(chunks=words, chunk_delay_s=0.1)
    with (
        httpx.Client(base_url=url, timeout=30) as client,
        client.stream(
            "POST", "/api/v1/ask/stream", json={"question": QUESTION}, headers=Keys.header(keys.admin)
        ) as response,
    ):
        assert response.status_code == 200
        for line in response.iter_lines():
            if line.startswith("event: token"):
                break  # leave after the first piece: the connection closes
    # wait until the fake model stops sending (or sends everything, which would fail the test)
    deadline = time.monotonic() + 20
    last, stable_since = -1, time.monotonic()
    while time.monotonic() < deadline:
        if llm.pieces_started != last:
            last, stable_since = llm.pieces_started, time.monotonic()
        elif time.monotonic() - stable_since > 1.5:
            break
        time.sleep(0.1)
    assert 0 < llm.pieces_started < PIECES / 2
    # the request's read lock was released: a write (which needs it exclusively) goes through
    with httpx.Client(base_url=url, timeout=15) as client:
        response = client.delete("/api/v1/documents/gibt-es-nicht", headers=Keys.header(keys.admin))
        assert response.status_code == 404
        # and the next stream runs to its end
        llm.reply("Kessbach spart Lizenzkosten [1].")
        with client.stream(
            "POST", "/api/v1/ask/stream", json={"question": QUESTION}, headers=Keys.header(keys.admin)
        ) as response:
            events = [line for line in response.iter_lines() if line.startswith("event: ")]
        assert events[-1] == "event: done"
