"""Documents over HTTP: upload -> ask -> delete -> ask, type checks, set checks, listing, reindex."""

from __future__ import annotations

from pathlib import Path

from tests.api.conftest import AppFactory, Keys, upload

HELLBACH = """---
title: Quartiersnetz Hellbach
---
# Quartiersnetz Hellbach

Die Gemeinde Hellbach betreibt seit 2025 ein offenes Quartiersnetz mit 40 Funkknoten.
Die Funkknoten messen Pegelstände am Mühlbach und melden Hochwasser an die Feuerwehr.
Der Betrieb kostet jährlich 18.500 Euro und wird aus dem Förderprogramm Smarte Dörfer bezahlt.
"""
QUESTION = "Wie viele Funkknoten hat das Quartiersnetz in Hellbach?"
DOC_ID = "upload/quartiersnetz-hellbach"


def _ask(client, token: str, question: str = QUESTION) -> dict:  # noqa: ANN001
    response = client.post("/api/v1/ask", json={"question": question}, headers=Keys.header(token))
    assert response.status_code == 200, response.text
    return response.json()


def test_upload_ask_delete_ask_cycle(make_client: AppFactory) -> None:
    client, keys = make_client()
    before = _ask(client, keys.reader)
    assert DOC_ID not in {s["doc_id"] for s in before["sources"]}

    response = upload(client, keys.editor, {"quartiersnetz-hellbach.md": HELLBACH.encode()}, ["oeffentlich"])
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["counts"]["ok"] == 1
    (result,) = report["files"]
    assert result["status"] == "ok" and result["doc_id"] == DOC_ID and result["chunks"] > 0

    answer = _ask(client, keys.reader)
    assert not answer["abstained"]
    assert DOC_ID in {s["doc_id"] for s in answer["sources"]}
    assert "40" in answer["answer"]

    listed = client.get("/api/v1/documents", headers=Keys.header(keys.editor)).json()
    (record,) = [d for d in listed if d["doc_id"] == DOC_ID]
    assert record["doc_sets"] == ["oeffentlich"] and record["status"] == "ready"
    assert "path" not in record  # no server paths for clients

    removed = client.delete(f"/api/v1/documents/{DOC_ID}", headers=Keys.header(keys.editor))
    assert removed.status_code == 200
    assert removed.json() == {"doc_id": DOC_ID, "removed_chunks": result["chunks"]}

    after = _ask(client, keys.reader)
    assert DOC_ID not in {s["doc_id"] for s in after["sources"]}
    assert DOC_ID not in str(after["passages"])
    search = client.post(
        "/api/v1/search", json={"query": "Funkknoten Hellbach", "k": 20}, headers=Keys.header(keys.admin)
    )
    assert DOC_ID not in {r["chunk"]["doc_id"] for r in search.json()["results"]}
    assert client.delete(f"/api/v1/documents/{DOC_ID}", headers=Keys.header(keys.editor)).status_code == 404


def test_upload_checks_each_file_type_and_reports_per_file(make_client: AppFactory, tmp_path: Path) -> None:
    client, keys = make_client()
    response = upload(
        client,
        keys.editor,
        {
            "hellbach.md": HELLBACH.encode(),
            "programm.exe": b"MZ\x90\x00binary",
            "tarnung.pdf": b"<html>kein pdf</html>",
            "hellbach.md.meta.yaml": b"doc_sets: [intern]",
            "leer.txt": b"",
        },
        ["oeffentlich"],
    )
    assert response.status_code == 200
    files = {f["path"]: f for f in response.json()["files"]}
    assert files["hellbach.md"]["status"] == "ok"
    for name in ("programm.exe", "tarnung.pdf", "hellbach.md.meta.yaml", "leer.txt"):
        assert files[name]["status"] == "failed", name
        assert files[name]["error_code"] == "unsupported_format"
        assert files[name]["reason"]
    assert ".exe" in files["programm.exe"]["reason"]
    assert response.json()["counts"] == {"ok": 1, "unchanged": 0, "failed": 4, "removed": 0, "skipped": 0}

    only_bad = upload(client, keys.editor, {"bild.png": b"\x89PNG\r\n"}, ["oeffentlich"])
    assert only_bad.status_code == 415
    assert "bild.png" in only_bad.json()["detail"]


def test_a_failed_ingest_keeps_the_previous_version(make_client: AppFactory) -> None:
    client, keys = make_client()
    assert (
        upload(client, keys.editor, {"hellbach.md": HELLBACH.encode()}, ["oeffentlich"]).json()["counts"][
            "ok"
        ]
        == 1
    )
    broken = upload(client, keys.editor, {"hellbach.md": b"\n\n   \n"}, ["oeffentlich"])
    (result,) = broken.json()["files"]
    assert result["status"] == "failed" and result["reason"]
    answer = _ask(client, keys.reader)
    assert "upload/hellbach" in {s["doc_id"] for s in answer["sources"]}


def test_upload_sets_are_checked_against_the_key(make_client: AppFactory) -> None:
    client, keys = make_client()
    forbidden = upload(client, keys.editor, {"hellbach.md": HELLBACH.encode()}, ["intern"])
    assert forbidden.status_code == 403
    assert "intern" in forbidden.json()["detail"]
    missing = upload(client, keys.editor, {"hellbach.md": HELLBACH.encode()})
    assert missing.status_code == 422
    assert "doc_sets" in missing.json()["detail"]
    bad_type = upload(client, keys.admin, {"hellbach.md": HELLBACH.encode()}, doc_type="roman")
    assert bad_type.status_code == 422
    # an admin may upload without sets: the document joins the default sets (oeffentlich)
    assert upload(client, keys.admin, {"hellbach.md": HELLBACH.encode()}).json()["counts"]["ok"] == 1
    assert "upload/hellbach" in {s["doc_id"] for s in _ask(client, keys.reader)["sources"]}


def test_document_without_any_set_is_visible_to_admins_only(make_client: AppFactory) -> None:
    client, keys = make_client(default_doc_sets=[])
    assert upload(client, keys.admin, {"hellbach.md": HELLBACH.encode()}).json()["counts"]["ok"] == 1
    assert "upload/hellbach" not in {s["doc_id"] for s in _ask(client, keys.reader)["sources"]}
    assert "upload/hellbach" in {s["doc_id"] for s in _ask(client, keys.admin)["sources"]}


def test_reindex_skips_unchanged_files_and_keeps_uploads(make_client: AppFactory) -> None:
    client, keys = make_client()
    upload(client, keys.editor, {"hellbach.md": HELLBACH.encode()}, ["oeffentlich"])
    documents = client.get("/api/v1/documents", headers=Keys.header(keys.admin)).json()
    response = client.post("/api/v1/documents/reindex", headers=Keys.header(keys.admin))
    assert response.status_code == 200
    report = response.json()
    assert report["counts"]["unchanged"] == len(documents)
    assert report["counts"]["failed"] == 0
    assert report["embeddings_computed"] == 0
    assert "upload/hellbach" in {s["doc_id"] for s in _ask(client, keys.reader)["sources"]}
