"""Hardening headers: nosniff everywhere, no-store on everything per key, a CSP on the docs pages.

Plus, over a real uvicorn, that the middleware does not buffer server-sent events.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from tests.api.conftest import Keys, copy_corpus_index, make_keys, upload
from tests.fakes import FakeOpenAIServer
from tests.fakes.uvicorn_thread import served_app

QUESTION = "Wie viel spart Kessbach mit openDesk?"
CHAT = {"messages": [{"role": "user", "content": QUESTION}]}
DRAFT = {"section": "Bildung", "profile": {"kind": "Stadt"}, "length": 0.5}


def _no_store(response: httpx.Response, name: str) -> None:
    assert response.headers.get("cache-control") == "no-store", (name, dict(response.headers))
    assert response.headers.get("x-content-type-options") == "nosniff", name


def test_answers_search_drafts_and_documents_are_not_stored(client: TestClient, keys: Keys) -> None:
    admin = Keys.header(keys.admin)
    reader = Keys.header(keys.reader)
    responses: dict[str, httpx.Response] = {
        "ask": client.post("/api/v1/ask", json={"question": QUESTION}, headers=reader),
        "search": client.post("/api/v1/search", json={"query": QUESTION}, headers=reader),
        "chat": client.post("/v1/chat/completions", json=CHAT, headers=reader),
        "documents": client.get("/api/v1/documents", headers=admin),
        "models": client.get("/v1/models", headers=reader),
    }
    if "/api/v1/drafts" in client.app.openapi()["paths"]:  # type: ignore[attr-defined]
        drafted = client.post("/api/v1/drafts", json=DRAFT, headers=reader)
        responses["draft"] = drafted
        responses["draft_docx"] = client.post("/api/v1/drafts?format=docx", json=DRAFT, headers=reader)
        responses["draft_download"] = client.get(
            f"/api/v1/drafts/{drafted.json()['draft_id']}/docx", headers=reader
        )
    uploaded = upload(client, keys.editor, {"kopfzeilen.txt": b"Kopfzeilen im Test."}, ["oeffentlich"])
    responses["upload"] = uploaded
    responses["delete"] = client.delete(
        f"/api/v1/documents/{uploaded.json()['files'][0]['doc_id']}", headers=admin
    )
    for name, response in responses.items():
        assert response.status_code == 200, (name, response.text)
        _no_store(response, name)
    for path in ("/api/v1/ask/stream", "/v1/chat/completions"):
        body = {"question": QUESTION} if path.endswith("stream") else {**CHAT, "stream": True}
        with client.stream("POST", path, json=body, headers=reader) as streamed:
            assert streamed.status_code == 200
            assert streamed.headers["content-type"].startswith("text/event-stream")
            _no_store(streamed, path)


def test_errors_and_open_routes_carry_nosniff(client: TestClient, keys: Keys) -> None:
    responses = {
        "health": client.get("/api/v1/health"),
        "unauthenticated": client.post("/api/v1/ask", json={"question": QUESTION}),
        "invalid": client.post("/api/v1/search", json={}, headers=Keys.header(keys.reader)),
        "unknown_path": client.get("/gibt/es/nicht"),
        "openapi": client.get("/openapi.json"),
    }
    assert [r.status_code for r in responses.values()] == [200, 401, 422, 404, 200]
    for name, response in responses.items():
        assert response.headers.get("x-content-type-options") == "nosniff", name
    assert responses["unauthenticated"].headers["cache-control"] == "no-store"
    assert "x-frame-options" not in responses["health"].headers  # only the HTML pages need it


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (p.split() for p in policy.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_docs_pages_cannot_be_framed_and_allow_only_what_they_load(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    csp = _directives(page.headers["content-security-policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    # the assets are served by the app itself (offline docs): no other origin is allowed ...
    assert csp["script-src"][0] == "'self'" and "'self'" in csp["style-src"]
    assert "http" not in page.headers["content-security-policy"]
    # ... every script and stylesheet the page loads from elsewhere would need its origin ...
    for origin in re.findall(r'<script[^>]*\bsrc="(https://[^/"]+)', page.text):
        assert origin in csp["script-src"], origin
    for link in re.findall(r"<link[^>]*>", page.text):
        origin = re.search(r'href="(https://[^/"]+)', link)
        if origin and "stylesheet" in link:
            assert origin[1] in csp["style-src"], origin[1]
    # ... and every inline script by its hash, so FastAPI's bootstrap code runs
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page.text, re.DOTALL)
    if path != "/redoc":
        assert inline, "FastAPI's page has an inline bootstrap script"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp["script-src"]
    assert "'self'" in csp["connect-src"]  # the schema and "Try it out"


def test_swagger_page_is_served_unchanged(client: TestClient) -> None:
    """The CSP middleware buffers the docs page to hash it; the page itself must arrive whole."""
    page = client.get("/docs")
    assert int(page.headers["content-length"]) == len(page.content)
    assert "SwaggerUIBundle" in page.text and page.text.rstrip().endswith("</html>")


@pytest.fixture
def served(corpus_index_template: Path, tmp_path: Path) -> Iterator[tuple[str, Keys, FakeOpenAIServer]]:
    """The app behind a real uvicorn with a fake model that streams slowly."""
    with FakeOpenAIServer() as llm:
        settings = Settings(
            data_dir=copy_corpus_index(corpus_index_template, tmp_path),
            index_name="corpus",
            api_rate_limit_per_minute=0,
            llm_base_url=llm.base_url,
            llm_model="test-model",
            llm_timeout_s=10,
        )
        keys = make_keys(settings)
        with served_app(settings) as url:
            yield url, keys, llm


@pytest.mark.parametrize(
    ("path", "body"),
    [("/api/v1/ask/stream", {"question": QUESTION}), ("/v1/chat/completions", {**CHAT, "stream": True})],
)
def test_streams_still_stream_with_the_headers(
    served: tuple[str, Keys, FakeOpenAIServer], path: str, body: dict[str, Any]
) -> None:
    url, keys, llm = served
    pieces = 12
    llm.reply(chunks=[f"Wort{i} " for i in range(pieces - 1)] + ["Kessbach [1]."], chunk_delay_s=0.25)
    with httpx.Client(base_url=url, timeout=30) as http:
        started = time.monotonic()
        with http.stream("POST", path, json=body, headers=Keys.header(keys.reader)) as response:
            assert response.status_code == 200
            _no_store(response, path)
            first = None
            for line in response.iter_lines():
                if first is None and "Wort0" in line:
                    first = time.monotonic() - started
            total = time.monotonic() - started
    assert first is not None
    # buffered, the first piece would arrive with the last, after ~3 s of model output
    assert total - first > 0.25 * pieces / 2, (first, total)
