"""Every protected endpoint: 401 without a key and with an unknown or revoked key,
403 with a key whose role is too small."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Keys

QUESTION = "Wie viel spart Kessbach mit openDesk?"

# (method, path, request kwargs, least role)
ENDPOINTS: list[tuple[str, str, dict[str, Any], str]] = [
    ("POST", "/api/v1/ask", {"json": {"question": QUESTION}}, "reader"),
    ("POST", "/api/v1/ask/stream", {"json": {"question": QUESTION}}, "reader"),
    ("POST", "/api/v1/search", {"json": {"query": "Glasfaser"}}, "reader"),
    ("POST", "/api/v1/feedback", {"json": {"answer_id": "abc", "rating": "up"}}, "reader"),
    ("GET", "/api/v1/documents", {}, "editor"),
    ("POST", "/api/v1/documents", {"files": [("files", ("a.txt", b"Text", "text/plain"))]}, "editor"),
    ("DELETE", "/api/v1/documents/gibt/es/nicht", {}, "editor"),
    ("POST", "/api/v1/documents/reindex", {}, "admin"),
    ("GET", "/v1/models", {}, "reader"),
    (
        "POST",
        "/v1/chat/completions",
        {"json": {"messages": [{"role": "user", "content": QUESTION}]}},
        "reader",
    ),
    (
        "POST",
        "/api/v1/drafts",
        {"json": {"section": "Bildung", "profile": {"kind": "Stadt"}, "length": 1}},
        "reader",
    ),
]
LOWER_ROLE = {"editor": "reader", "admin": "editor"}


def _ids(endpoint: tuple[str, str, dict[str, Any], str]) -> str:
    return f"{endpoint[0]} {endpoint[1]}"


def _skip_missing(client: TestClient, path: str) -> None:
    if path == "/api/v1/drafts" and path not in client.app.openapi()["paths"]:  # type: ignore[attr-defined]
        pytest.skip("drafts endpoint not available (assistant.drafting not ready)")


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_ids)
def test_without_key_is_401(client: TestClient, endpoint: tuple[str, str, dict[str, Any], str]) -> None:
    method, path, kwargs, _ = endpoint
    _skip_missing(client, path)
    response = client.request(method, path, **kwargs)
    assert response.status_code == 401
    body = response.json()
    code = body["code"] if path.startswith("/api/") else body["error"]["code"]  # OpenAI error shape on /v1
    assert code == "unauthenticated"
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_ids)
@pytest.mark.parametrize("token", ["ka_000000000000_falsch", "irgendwas", "revoked"])
def test_unknown_or_revoked_key_is_401(
    client: TestClient, keys: Keys, endpoint: tuple[str, str, dict[str, Any], str], token: str
) -> None:
    method, path, kwargs, _ = endpoint
    _skip_missing(client, path)
    token = keys.revoked if token == "revoked" else token
    response = client.request(method, path, headers={"X-API-Key": token}, **kwargs)
    assert response.status_code == 401
    # the same key as bearer token is refused the same way
    response = client.request(method, path, headers={"Authorization": f"Bearer {token}"}, **kwargs)
    assert response.status_code == 401


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e[3] != "reader"], ids=_ids)
def test_too_small_role_is_403(
    client: TestClient, keys: Keys, endpoint: tuple[str, str, dict[str, Any], str]
) -> None:
    method, path, kwargs, least = endpoint
    token = getattr(keys, LOWER_ROLE[least])
    response = client.request(method, path, headers=Keys.header(token), **kwargs)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert least in response.json()["detail"]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_ids)
def test_sufficient_role_passes_auth(
    client: TestClient, keys: Keys, endpoint: tuple[str, str, dict[str, Any], str]
) -> None:
    """The same requests with a key of the right role are not refused (the checks above are real)."""
    method, path, kwargs, least = endpoint
    _skip_missing(client, path)
    if path == "/api/v1/documents" and method == "POST":
        kwargs = {**kwargs, "data": {"doc_sets": ["oeffentlich"]}}
    token = {"reader": keys.reader, "editor": keys.editor, "admin": keys.admin}[least]
    response = client.request(method, path, headers=Keys.header(token), **kwargs)
    assert response.status_code not in (401, 403), response.text
    if path.startswith("/api/v1/documents/") and method == "DELETE":
        assert response.status_code == 404
    if method == "POST" and path == "/api/v1/documents":  # undo the upload for the other tests
        doc_id = response.json()["files"][0]["doc_id"]
        assert (
            client.delete(f"/api/v1/documents/{doc_id}", headers=Keys.header(keys.admin)).status_code == 200
        )


def test_health_and_ready_are_open(client: TestClient) -> None:
    assert client.get("/api/v1/health").json() == {"status": "ok"}
    ready = client.get("/api/v1/ready")
    assert ready.status_code == 200
    assert ready.json()["ready"] is True
    assert ready.json()["chunks"] > 0
