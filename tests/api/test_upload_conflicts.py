"""Uploads never touch a document outside the caller's sets, and distinct names get distinct ids
(issue 18, defect 1)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from assistant.config import Settings
from kommunal.api.keys import KeyStore
from tests.api.conftest import AppFactory, Keys, upload

INTERN_TEXT = "Der interne Bericht nennt den Haushaltsansatz Zeppelinwiese für 2027."
PUBLIC_TEXT = "Der öffentliche Bericht beschreibt die Bürgersprechstunde am Rathausplatz."


def _editor(settings: Settings, name: str, doc_set: str) -> str:
    return KeyStore(settings.api_keys_path).create(name, "editor", [doc_set])[1]


def _documents(client: TestClient, token: str) -> dict[str, list[str]]:
    response = client.get("/api/v1/documents", headers=Keys.header(token))
    assert response.status_code == 200, response.text
    return {d["doc_id"]: d["doc_sets"] for d in response.json() if d["doc_id"].startswith("upload/")}


def _search(client: TestClient, token: str, query: str) -> list[str]:
    response = client.post("/api/v1/search", json={"query": query, "k": 10}, headers=Keys.header(token))
    assert response.status_code == 200, response.text
    return [p["chunk"]["text"] for p in response.json()["results"]]


def test_same_name_from_another_set_does_not_replace_the_document(make_client: AppFactory) -> None:
    client, keys = make_client()
    settings = client.app.state.runtime.settings  # type: ignore[attr-defined]
    intern = _editor(settings, "red-intern", "intern")
    public = _editor(settings, "red-oeffentlich", "oeffentlich")
    first = upload(client, intern, {"bericht.txt": INTERN_TEXT.encode()}, ["intern"])
    assert first.status_code == 200, first.text
    assert first.json()["files"][0]["status"] == "ok"

    second = upload(client, public, {"bericht.txt": PUBLIC_TEXT.encode()}, ["oeffentlich"])

    assert second.status_code == 409, second.text
    body = second.json()
    assert body["code"] == "conflict" and "bericht.txt" in body["detail"]
    assert second.headers["content-type"].startswith("application/problem+json")
    # The intern document is untouched: same id, same set, same text.
    assert _documents(client, keys.admin) == {"upload/bericht": ["intern"]}
    assert any("Zeppelinwiese" in t for t in _search(client, keys.admin, "Haushaltsansatz Zeppelinwiese"))
    found = _search(client, keys.admin, "Bürgersprechstunde Rathausplatz")
    assert not any("Bürgersprechstunde" in t for t in found)
    # The owner can still replace its own document.
    again = upload(client, intern, {"bericht.txt": (INTERN_TEXT + " Ergänzt.").encode()}, ["intern"])
    assert again.status_code == 200 and again.json()["files"][0]["status"] == "ok", again.text


def test_mixed_upload_reports_the_conflict_per_file(make_client: AppFactory) -> None:
    client, keys = make_client()
    settings = client.app.state.runtime.settings  # type: ignore[attr-defined]
    intern = _editor(settings, "red-intern", "intern")
    assert upload(client, intern, {"bericht.txt": INTERN_TEXT.encode()}, ["intern"]).status_code == 200
    files = {"bericht.txt": PUBLIC_TEXT.encode(), "neu.txt": PUBLIC_TEXT.encode()}
    response = upload(client, keys.editor, files, ["oeffentlich"])
    assert response.status_code == 200, response.text
    results = {f["path"]: f for f in response.json()["files"]}
    assert results["bericht.txt"]["status"] == "failed" and results["bericht.txt"]["error_code"] == "conflict"
    assert results["neu.txt"]["status"] == "ok"
    assert _documents(client, keys.admin) == {"upload/bericht": ["intern"], "upload/neu": ["oeffentlich"]}


def test_a_document_shared_with_another_set_is_neither_replaced_nor_deleted(make_client: AppFactory) -> None:
    client, keys = make_client()
    shared = upload(client, keys.admin, {"gemeinsam.txt": INTERN_TEXT.encode()}, ["intern", "oeffentlich"])
    assert shared.status_code == 200, shared.text
    replaced = upload(client, keys.editor, {"gemeinsam.txt": PUBLIC_TEXT.encode()}, ["oeffentlich"])
    assert replaced.status_code == 409, replaced.text
    deleted = client.delete("/api/v1/documents/upload/gemeinsam", headers=Keys.header(keys.editor))
    assert deleted.status_code == 403, deleted.text
    assert deleted.json()["code"] == "forbidden"
    assert _documents(client, keys.admin) == {"upload/gemeinsam": ["intern", "oeffentlich"]}


def test_names_that_slug_alike_get_distinct_ids(make_client: AppFactory) -> None:
    client, keys = make_client()
    files = {
        "plan ä.txt": b"Plan A nennt den Glasfaserausbau im Ortsteil Nord.",
        "plan ö.txt": "Plan O nennt das Rufbus-Angebot im Ortsteil Süd.".encode(),
        "a b.txt": "Datei eins beschreibt das Bürgerportal.".encode(),
        "a-b.txt": b"Datei zwei beschreibt die Schul-WLAN-Ausstattung.",
    }
    response = upload(client, keys.editor, files, ["oeffentlich"])
    assert response.status_code == 200, response.text
    results = response.json()["files"]
    assert [f["status"] for f in results] == ["ok"] * 4, results
    ids = [f["doc_id"] for f in results]
    assert len(set(ids)) == 4, ids
    assert {"upload/plan-ae", "upload/plan-oe", "upload/a-b"} <= set(ids)
    assert len(_documents(client, keys.admin)) == 4
    # Uploading the same four again replaces each one in place: still four documents, same ids.
    again = upload(client, keys.editor, files, ["oeffentlich"])
    assert [f["doc_id"] for f in again.json()["files"]] == ids
    assert len(_documents(client, keys.admin)) == 4


def test_a_long_name_keeps_its_extension(make_client: AppFactory) -> None:
    client, keys = make_client()
    name = "Bericht " + "ä" * 300 + ".md"
    response = upload(client, keys.editor, {name: b"# Titel\n\nEin kurzer Bericht."}, ["oeffentlich"])
    assert response.status_code == 200, response.text
    stored = response.json()["files"][0]
    assert stored["status"] == "ok" and stored["path"].endswith(".md")
    assert len(stored["path"].encode()) <= 200
