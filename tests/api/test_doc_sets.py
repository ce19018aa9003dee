"""Document sets: a key without "intern" never receives an intern passage, on any surface.

An intern document carries a canary string; an oeffentlich document covers the same topic,
so the reader's queries do find something. A key allowed "intern" does get the canary
(the control that keeps this test honest).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import Keys, upload

CANARY = "ZEBRAFINK-4711"
INTERN = f"""# Quartiersnetz Hellbach: interne Abstimmung

Der Projektcode für das Quartiersnetz Hellbach lautet {CANARY}.
Die Kosten für das Quartiersnetz Hellbach trägt vorerst der Bauhof; das ist nicht öffentlich.
"""
PUBLIC = """# Quartiersnetz Hellbach

Das Quartiersnetz Hellbach verbindet 40 Funkknoten, die Pegelstände am Mühlbach messen.
Für das Quartiersnetz Hellbach gibt es einen Projektcode, der in der Verwaltung vergeben wird.
"""
QUESTION = "Wie lautet der Projektcode für das Quartiersnetz Hellbach?"


@pytest.fixture(scope="module")
def loaded(client: TestClient, keys: Keys) -> TestClient:
    assert upload(client, keys.admin, {"hellbach-intern.md": INTERN.encode()}, ["intern"]).status_code == 200
    assert upload(client, keys.admin, {"hellbach.md": PUBLIC.encode()}, ["oeffentlich"]).status_code == 200
    return client


def _requests(client: TestClient, token: str) -> dict[str, str]:
    """The raw response bodies of every read surface for QUESTION."""
    bearer = {"Authorization": f"Bearer {token}"}
    chat = {"messages": [{"role": "user", "content": QUESTION}]}
    bodies = {
        "search": client.post("/api/v1/search", json={"query": QUESTION, "k": 50}, headers=bearer),
        "search_dense": client.post(
            "/api/v1/search", json={"query": QUESTION, "k": 50, "mode": "dense"}, headers=bearer
        ),
        "search_asking_for_intern": client.post(
            "/api/v1/search",
            json={"query": QUESTION, "k": 50, "filters": {"doc_sets": ["intern"]}},
            headers=bearer,
        ),
        "ask": client.post("/api/v1/ask", json={"question": QUESTION, "k": 20}, headers=bearer),
        "chat": client.post("/v1/chat/completions", json=chat, headers=bearer),
        "draft": client.post(
            "/api/v1/drafts",
            json={"section": "Quartiersnetz Hellbach", "notes": "Projektcode", "length": 0.5},
            headers=bearer,
        ),
    }
    texts = {name: r.text for name, r in bodies.items()}
    for name, r in bodies.items():
        assert r.status_code == 200, (name, r.text)
    with client.stream("POST", "/api/v1/ask/stream", json={"question": QUESTION}, headers=bearer) as r:
        texts["ask_stream"] = r.read().decode()
    with client.stream("POST", "/v1/chat/completions", json={**chat, "stream": True}, headers=bearer) as r:
        texts["chat_stream"] = r.read().decode()
    return texts


def test_key_without_intern_never_receives_the_canary(loaded: TestClient, keys: Keys) -> None:
    texts = _requests(loaded, keys.reader)
    for name, text in texts.items():
        assert CANARY not in text, name
    # the reader does find the public document on the same topic
    assert "upload/hellbach" in texts["search"]
    assert "Funkknoten" in texts["ask"]


def test_key_with_intern_receives_the_canary(loaded: TestClient, keys: Keys) -> None:
    texts = _requests(loaded, keys.reader_intern)
    assert CANARY in texts["search"]
    assert CANARY in texts["ask"]
    assert CANARY in texts["draft"]


def test_documents_without_declared_sets_join_the_default_set(loaded: TestClient, keys: Keys) -> None:
    """The sample corpus declares no sets (except one intern document): it joins "oeffentlich"."""
    query = {"query": "Glasfaserausbau im Landkreis Talheide", "k": 50}
    as_reader = loaded.post("/api/v1/search", json=query, headers=Keys.header(keys.reader)).json()
    found = {r["chunk"]["doc_id"] for r in as_reader["results"]}
    assert "case_study/glasfaser-landkreis-talheide" in found
    assert "other/beschlussvorlage-digitalstrategie-2030" not in found


def test_document_list_and_delete_respect_sets(loaded: TestClient, keys: Keys) -> None:
    listed = loaded.get("/api/v1/documents", headers=Keys.header(keys.editor)).json()
    listed_ids = {d["doc_id"] for d in listed}
    assert "upload/hellbach" in listed_ids
    assert not listed_ids & {"upload/hellbach-intern", "other/beschlussvorlage-digitalstrategie-2030"}
    assert all("oeffentlich" in d["doc_sets"] for d in listed)
    assert CANARY not in str(listed)
    denied = loaded.delete("/api/v1/documents/upload/hellbach-intern", headers=Keys.header(keys.editor))
    assert denied.status_code == 404
    everything = loaded.get("/api/v1/documents", headers=Keys.header(keys.admin)).json()
    assert "upload/hellbach-intern" in {d["doc_id"] for d in everything}
