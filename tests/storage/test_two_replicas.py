"""Two API replicas with nothing shared but PostgreSQL and a Chroma server (issue 17).

Each replica has its own empty data directory — as on two hosts. An upload through one is
answered by the other after its generation check (its lexical index is its own read model);
a key revoked through one host's store is refused by the other replica at the next request.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.index import Index
from assistant.index.maintenance import rebuild_index
from assistant.index.manifest import Manifest
from kommunal.api.keys import KeyStore
from tests.fakes.api_process import ApiProcess

pytestmark = pytest.mark.slow  # PostgreSQL, a Chroma server and two API processes with the model

NEW_DOCUMENT = (
    "# Lärmkarte Uhlstedt\n\nDie Gemeinde Uhlstedt misst den Verkehrslärm mit zwölf Sensoren an "
    "Schulwegen und veröffentlicht die Werte stündlich als offene Daten.\n"
)
QUESTION = "Mit wie vielen Sensoren misst Uhlstedt den Verkehrslärm?"


def replica_env(data_dir: Path, chroma_url: str, database_url: str) -> dict[str, str]:
    return {
        "ASSISTANT_DATA_DIR": str(data_dir),
        "ASSISTANT_CHROMA_URL": chroma_url,
        "ASSISTANT_DATABASE_URL": database_url,
        "ASSISTANT_CHROMA_TIMEOUT_S": "5",
        "ASSISTANT_API_RATE_LIMIT_PER_MINUTE": "0",
    }


@pytest.fixture
def shared(corpus_settings, chroma_server, postgres_url, tmp_path) -> Settings:
    """The sample-corpus index moved into PostgreSQL (through a backup file) and Chroma (from its cache)."""
    settings = Settings(
        data_dir=tmp_path / "mover",
        index_name=corpus_settings.index_name,
        chroma_url=chroma_server.url,
        database_url=postgres_url,
    )
    copy = tmp_path / "manifest-copy.sqlite"
    source = Manifest(corpus_settings.index_dir / "manifest.sqlite")
    source.backup_to(copy)
    source.close()
    target = Manifest.for_settings(settings)
    target.restore_from(copy)
    target.close()
    with Index(settings, create_embedder(settings), write=True, discard_vectors=True) as index:
        rebuild_index(index)
    return settings


@pytest.fixture
def replicas(shared: Settings, tmp_path) -> Iterator[list[ApiProcess]]:
    started = []
    try:
        for name in ("host-a", "host-b"):
            env = replica_env(tmp_path / name, str(shared.chroma_url), shared.database_url.get_secret_value())
            env["ASSISTANT_INDEX_NAME"] = shared.index_name
            started.append(ApiProcess(env, tmp_path / f"{name}.log").start())
        yield started
    finally:
        for replica in started:
            replica.stop()


def ask(replica: ApiProcess, token: str) -> httpx.Response:
    return httpx.post(
        replica.url + "/api/v1/ask", json={"question": QUESTION}, headers={"X-API-Key": token}, timeout=120
    )


def test_an_upload_on_one_replica_is_answered_by_the_other(shared, replicas, tmp_path):
    host_a, host_b = replicas
    keys = KeyStore.for_settings(shared.model_copy(update={"data_dir": tmp_path / "host-a"}))
    _, editor = keys.create("redaktion", "editor", ["oeffentlich"])
    _, reader = keys.create("leser", "reader", ["oeffentlich"])

    before = ask(host_b, reader)
    assert before.status_code == 200, before.text
    assert "laerm-uhlstedt" not in {s["doc_id"] for s in before.json()["sources"]}

    uploaded = httpx.post(
        host_a.url + "/api/v1/documents",
        headers={"X-API-Key": editor},
        files=[("files", ("laerm-uhlstedt.md", NEW_DOCUMENT.encode(), "application/octet-stream"))],
        data={"doc_sets": ["oeffentlich"]},
        timeout=300,
    )
    assert uploaded.status_code == 200, uploaded.text
    (result,) = uploaded.json()["files"]
    assert result["status"] == "ok", result

    answer = ask(host_b, reader)  # the other host: its own data directory, its own BM25
    assert answer.status_code == 200, answer.text
    assert answer.json()["sources"][0]["doc_id"] == result["doc_id"]
    assert not (tmp_path / "host-b" / shared.index_name / "manifest.sqlite").exists()

    # Revoked through host A's store, refused by host B at its next request.
    KeyStore.for_settings(shared.model_copy(update={"data_dir": tmp_path / "host-a"})).revoke("leser")
    refused = ask(host_b, reader)
    assert refused.status_code == 401, refused.text
    assert ask(host_a, reader).status_code == 401
