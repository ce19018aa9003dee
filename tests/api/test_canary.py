"""A canary in the ``intern`` set: no read or write path of a key without ``intern`` returns or changes it.

An admin plants the canary document (unique text) in ``intern`` and a public document on the
same topic in ``oeffentlich``. Every request of the reader or editor key (both only
``oeffentlich``) must succeed where it should — so an error body cannot pass for "nothing
leaked" — and must not contain the canary; write attempts must leave it in place and in
``intern``. A key allowed ``intern`` does find the canary through the same requests (the control
that shows the queries would reach it).
"""

from __future__ import annotations

import io
import json
from typing import Any

import docx
import httpx
import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.feedback import FeedbackStore
from tests.api.conftest import Keys, upload

CANARY = "Kanarienvogel-Geheimnis 7F3A"
CANARY_FILE = "auenhain-vorlage-intern.md"
CANARY_TEXT = f"""# Funkstrecke Auenhain: interne Vorlage

Das Kennwort der Funkstrecke Auenhain lautet {CANARY}.
Die Funkstrecke Auenhain verbindet das Rathaus mit dem Wasserwerk; die Kosten trägt vorerst der Bauhof.
"""
PUBLIC_FILE = "funkstrecke-auenhain.md"
PUBLIC_TEXT = """# Funkstrecke Auenhain

Die Funkstrecke Auenhain verbindet das Rathaus mit dem Wasserwerk über zwei Richtfunkantennen.
Für die Funkstrecke Auenhain vergibt die Verwaltung ein Kennwort.
"""
QUESTION = "Wie lautet das Kennwort der Funkstrecke Auenhain?"
MODES = ("hybrid", "dense", "lexical")
DRAFT = {"section": "Funkstrecke Auenhain", "notes": "Kennwort der Funkstrecke", "length": 0.5}


@pytest.fixture(scope="module")
def canary_id(client: TestClient, keys: Keys) -> str:
    """Plant the canary (intern) and the public document; return the canary's doc_id."""
    planted = upload(client, keys.admin, {CANARY_FILE: CANARY_TEXT.encode()}, ["intern"])
    assert planted.status_code == 200, planted.text
    assert planted.json()["files"][0]["status"] == "ok", planted.text
    public = upload(client, keys.admin, {PUBLIC_FILE: PUBLIC_TEXT.encode()}, ["oeffentlich"])
    assert public.status_code == 200 and public.json()["files"][0]["status"] == "ok", public.text
    return str(planted.json()["files"][0]["doc_id"])


@pytest.fixture(scope="module")
def public_id(client: TestClient, keys: Keys, canary_id: str) -> str:
    listed = client.get("/api/v1/documents", headers=Keys.header(keys.admin)).json()
    return next(d["doc_id"] for d in listed if d["source"].endswith(PUBLIC_FILE))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _ok(response: httpx.Response, name: str) -> str:
    assert response.status_code == 200, (name, response.status_code, response.text)
    return response.text


def _search(client: TestClient, token: str, mode: str, filters: dict[str, Any] | None = None) -> Any:
    body: dict[str, Any] = {"query": QUESTION, "k": 100, "mode": mode}
    if filters is not None:
        body["filters"] = filters
    return client.post("/api/v1/search", json=body, headers=_bearer(token))


def _canary_is_intact(client: TestClient, keys: Keys, canary_id: str) -> None:
    """Still listed for the admin, still only in intern, still found with its text by an intern key."""
    listed = {d["doc_id"]: d for d in client.get("/api/v1/documents", headers=Keys.header(keys.admin)).json()}
    assert canary_id in listed
    assert listed[canary_id]["doc_sets"] == ["intern"]
    found = _search(client, keys.reader_intern, "lexical", {"doc_ids": [canary_id]})
    assert CANARY in _ok(found, "control search")


# --- the control: the same requests reach the canary for a key that may read intern -------------


@pytest.mark.parametrize("mode", MODES)
def test_control_key_with_intern_finds_the_canary_in_every_mode(
    client: TestClient, keys: Keys, canary_id: str, mode: str
) -> None:
    results = _search(client, keys.reader_intern, mode).json()["results"]
    assert canary_id in {r["chunk"]["doc_id"] for r in results}
    assert CANARY in json.dumps(results, ensure_ascii=False)


def test_control_key_with_intern_gets_the_canary_in_answers_and_drafts(
    client: TestClient, keys: Keys, canary_id: str
) -> None:
    asked = client.post(
        "/api/v1/ask", json={"question": QUESTION, "k": 20}, headers=_bearer(keys.reader_intern)
    )
    assert CANARY in _ok(asked, "ask")
    drafted = client.post("/api/v1/drafts", json=DRAFT, headers=_bearer(keys.reader_intern))
    assert CANARY in _ok(drafted, "draft")


# --- read paths ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("role", ["reader", "editor"])
def test_search_never_returns_the_canary(
    client: TestClient, keys: Keys, canary_id: str, public_id: str, mode: str, role: str
) -> None:
    token = getattr(keys, role)
    unfiltered = _search(client, token, mode)
    text = _ok(unfiltered, "search")
    assert CANARY not in text and canary_id not in text
    assert public_id in {r["chunk"]["doc_id"] for r in unfiltered.json()["results"]}  # it does find things
    for filters in (
        {"doc_sets": ["intern"]},
        {"doc_ids": [canary_id]},
        {"doc_sets": ["intern", "oeffentlich"]},
    ):
        asking = _search(client, token, mode, filters)
        text = _ok(asking, f"search {filters}")
        assert CANARY not in text and canary_id not in text, filters
    only_intern = _search(client, token, mode, {"doc_sets": ["intern"]}).json()["results"]
    assert only_intern == []


@pytest.mark.parametrize("filters", [None, {"doc_sets": ["intern"]}, {"doc_ids": ["CANARY_ID"]}])
def test_ask_never_returns_the_canary(
    client: TestClient, keys: Keys, canary_id: str, filters: dict[str, Any] | None
) -> None:
    body: dict[str, Any] = {"question": QUESTION, "k": 20}
    if filters is not None:
        body["filters"] = json.loads(json.dumps(filters).replace("CANARY_ID", canary_id))
    answer = client.post("/api/v1/ask", json=body, headers=_bearer(keys.reader))
    text = _ok(answer, "ask")
    assert CANARY not in text and canary_id not in text
    assert answer.json()["answer"]
    if filters is None:
        assert "Richtfunkantennen" in text  # the public document on the same topic answers


def test_ask_stream_never_returns_the_canary(client: TestClient, keys: Keys, canary_id: str) -> None:
    with client.stream(
        "POST", "/api/v1/ask/stream", json={"question": QUESTION, "k": 20}, headers=_bearer(keys.reader)
    ) as response:
        assert response.status_code == 200
        text = response.read().decode()
    assert "event: done" in text and "event: error" not in text
    assert CANARY not in text and canary_id not in text
    assert "Richtfunkantennen" in text


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_chat_completions_never_return_the_canary(
    client: TestClient, keys: Keys, canary_id: str, stream: bool
) -> None:
    body = {
        "model": "kommunal-assistant",
        "messages": [{"role": "user", "content": QUESTION}],
        "stream": stream,
    }
    with client.stream("POST", "/v1/chat/completions", json=body, headers=_bearer(keys.reader)) as response:
        assert response.status_code == 200
        text = response.read().decode()
    assert CANARY not in text and canary_id not in text
    if stream:
        assert text.rstrip().endswith("data: [DONE]") and '"error"' not in text
    else:
        assert json.loads(text)["choices"][0]["message"]["content"]


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def test_drafts_never_contain_the_canary(client: TestClient, keys: Keys, canary_id: str) -> None:
    headers = _bearer(keys.reader)
    drafted = client.post("/api/v1/drafts", json=DRAFT, headers=headers)
    text = _ok(drafted, "draft")
    assert CANARY not in text and canary_id not in text
    assert drafted.json()["markdown"]
    as_docx = client.post("/api/v1/drafts?format=docx", json=DRAFT, headers=headers)
    _ok(as_docx, "draft docx")
    downloaded = client.get(f"/api/v1/drafts/{drafted.json()['draft_id']}/docx", headers=headers)
    _ok(downloaded, "draft download")
    for name, response in (("docx", as_docx), ("download", downloaded)):
        words = _docx_text(response.content)
        assert "Funkstrecke Auenhain" in words, name  # the document was read, it is not empty
        assert CANARY not in words and canary_id not in words, name


def test_another_keys_draft_cannot_be_downloaded(client: TestClient, keys: Keys, canary_id: str) -> None:
    theirs = client.post("/api/v1/drafts", json=DRAFT, headers=_bearer(keys.reader_intern))
    assert CANARY in _ok(theirs, "intern draft")
    stolen = client.get(f"/api/v1/drafts/{theirs.json()['draft_id']}/docx", headers=_bearer(keys.reader))
    assert stolen.status_code == 404
    assert CANARY not in stolen.text


def test_document_list_leaves_out_the_canary(
    client: TestClient, keys: Keys, canary_id: str, public_id: str
) -> None:
    listed = client.get("/api/v1/documents", headers=Keys.header(keys.editor))
    text = _ok(listed, "documents")
    assert public_id in {d["doc_id"] for d in listed.json()}
    assert canary_id not in text and CANARY_FILE not in text and CANARY not in text


# --- write paths -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reader", "editor"])
def test_delete_of_the_canary_is_refused_and_it_stays(
    client: TestClient, keys: Keys, canary_id: str, role: str
) -> None:
    response = client.delete(f"/api/v1/documents/{canary_id}", headers=Keys.header(getattr(keys, role)))
    assert response.status_code == (404 if role == "editor" else 403), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert CANARY not in response.text
    _canary_is_intact(client, keys, canary_id)


@pytest.mark.parametrize("role", ["reader", "editor", "reader_intern"])
def test_reindex_is_admin_only(client: TestClient, keys: Keys, canary_id: str, role: str) -> None:
    response = client.post("/api/v1/documents/reindex", headers=Keys.header(getattr(keys, role)))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    _canary_is_intact(client, keys, canary_id)


def test_upload_with_the_canarys_file_name_does_not_replace_it(
    client: TestClient, keys: Keys, canary_id: str
) -> None:
    replacement = "# Funkstrecke Auenhain\n\nErsatztext der Redaktion ohne Geheimnis, Marke QX-ERSATZ.\n"
    response = upload(client, keys.editor, {CANARY_FILE: replacement.encode()}, ["oeffentlich"])
    assert response.status_code in (403, 409), response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == response.status_code and problem["detail"]
    assert any(word in problem["detail"] for word in ("Datei", "Dokument", "Schlüssel")), problem  # German
    assert CANARY not in response.text
    _canary_is_intact(client, keys, canary_id)
    everything = _search(client, keys.admin, "lexical", {"doc_ids": [canary_id]})
    assert "QX-ERSATZ" not in _ok(everything, "admin search")


def test_upload_whose_name_slugs_like_the_canary_gets_its_own_document(
    client: TestClient, keys: Keys, canary_id: str
) -> None:
    look_alike = CANARY_FILE.replace("-", " ")  # its slug is the canary's id; it needs an id of its own
    text = "# Funkstrecke Auenhain\n\nNotiz der Redaktion, Marke QX-AEHNLICH.\n"
    response = upload(client, keys.editor, {look_alike: text.encode()}, ["oeffentlich"])
    assert response.status_code == 200, response.text
    result = response.json()["files"][0]
    assert result["status"] == "ok", result
    assert result["doc_id"] != canary_id
    assert CANARY not in response.text
    _canary_is_intact(client, keys, canary_id)
    removed = client.delete(f"/api/v1/documents/{result['doc_id']}", headers=Keys.header(keys.editor))
    assert removed.status_code == 200
    _canary_is_intact(client, keys, canary_id)


def test_feedback_on_another_keys_answer_is_refused(
    client: TestClient, keys: Keys, canary_id: str, module_settings: Settings
) -> None:
    theirs = client.post(
        "/api/v1/ask", json={"question": QUESTION, "k": 20}, headers=_bearer(keys.reader_intern)
    )
    assert CANARY in _ok(theirs, "intern ask")  # an answer worth probing for
    answer_id = theirs.json()["answer_id"]
    for role in ("reader", "editor"):
        response = client.post(
            "/api/v1/feedback",
            json={"answer_id": answer_id, "rating": "down", "comment": "Probe"},
            headers=Keys.header(getattr(keys, role)),
        )
        assert response.status_code == 404, (role, response.text)
        assert response.json()["code"] == "not_found"
        assert CANARY not in response.text
    assert [f for f in FeedbackStore.for_settings(module_settings).list() if f.answer_id == answer_id] == []
