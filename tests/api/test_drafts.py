"""Drafts over HTTP: Markdown with citations in JSON, DOCX download, free-text requests."""

from __future__ import annotations

import io

from docx import Document
from fastapi.testclient import TestClient

from tests.api.conftest import Keys

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REQUEST = {"section": "verwaltung", "profile": {"kind": "Stadt", "inhabitants": 30000}, "length": 1}


def test_draft_is_cited_markdown_and_downloads_as_docx(client: TestClient, keys: Keys) -> None:
    response = client.post("/api/v1/drafts", json=REQUEST, headers=Keys.header(keys.admin))
    assert response.status_code == 200, response.text
    draft = response.json()
    assert draft["markdown"].startswith("# Digitale Verwaltung")
    assert draft["sources"] and draft["citations"]
    assert {c["n"] for c in draft["citations"]} <= {s["n"] for s in draft["sources"]}
    assert draft["coverage"]["parts"]

    docx = client.get(f"/api/v1/drafts/{draft['draft_id']}/docx", headers=Keys.header(keys.admin))
    assert docx.status_code == 200
    assert docx.headers["content-type"] == DOCX
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Digitale Verwaltung" in text
    # the draft belongs to the key that made it
    other = client.get(f"/api/v1/drafts/{draft['draft_id']}/docx", headers=Keys.header(keys.reader_intern))
    assert other.status_code == 404


def test_draft_from_free_text_as_docx(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/v1/drafts/from-text?format=docx",
        json={"text": "Entwurf für das Kapitel Bürgerbeteiligung für eine Kleinstadt mit 12.000 Einwohnern"},
        headers=Keys.header(keys.admin),
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == DOCX
    assert response.content[:2] == b"PK"
    assert "attachment" in response.headers["content-disposition"]


def test_draft_request_errors_are_german_problems(client: TestClient, keys: Keys) -> None:
    vague = client.post("/api/v1/drafts/from-text", json={"text": "Hallo"}, headers=Keys.header(keys.admin))
    assert vague.status_code == 400
    assert "Abschnitt" in vague.json()["detail"]
    too_long = client.post("/api/v1/drafts", json={**REQUEST, "length": 9}, headers=Keys.header(keys.admin))
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "length"
