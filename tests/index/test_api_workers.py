"""Several API worker processes against one Chroma server: same answers, shared writes, outages."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.index import Index
from assistant.index.maintenance import rebuild_index
from tests.api.conftest import Keys, make_keys
from tests.fakes.chroma_server import ChromaServer, free_port

QUESTION = "Wie viel spart Kessbach mit openDesk?"
WORKERS = 2

pytestmark = pytest.mark.slow  # starts a Chroma server and three Python processes (> 60 s here)


def env_for(settings: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(settings.data_dir),
        "ASSISTANT_INDEX_NAME": settings.index_name,
        "ASSISTANT_CHROMA_URL": str(settings.chroma_url),
        "ASSISTANT_CHROMA_TIMEOUT_S": "3",
        "ASSISTANT_API_RATE_LIMIT_PER_MINUTE": "0",
    }


def start_worker(settings: Settings, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "--factory", "kommunal.api:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env_for(settings), stdout=out, stderr=subprocess.STDOUT)
    return process, f"http://127.0.0.1:{port}"


def wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            if httpx.get(url + "/api/v1/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"API worker at {url} did not start: {log.read_text(errors='replace')}")


@pytest.fixture
def cluster(
    corpus_settings, chroma_server, tmp_path
) -> Iterator[tuple[Settings, list[str], Keys, ChromaServer]]:
    """The corpus index moved onto a Chroma server (from the embedding cache) and two API workers."""
    settings = corpus_settings.model_copy(update={"chroma_url": chroma_server.url})
    with Index(settings, create_embedder(settings), write=True, discard_vectors=True) as index:
        rebuild_index(index)
    keys = make_keys(settings)
    workers = [start_worker(settings, tmp_path / f"worker{i}.log") for i in range(WORKERS)]
    try:
        for i, (process, url) in enumerate(workers):
            wait_healthy(process, url, tmp_path / f"worker{i}.log")
        yield settings, [url for _, url in workers], keys, chroma_server
    finally:
        for process, _ in workers:
            process.terminate()
        for process, _ in workers:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(30)


def ask(url: str, keys: Keys, question: str = QUESTION) -> httpx.Response:
    return httpx.post(
        url + "/api/v1/ask", json={"question": question}, headers=Keys.header(keys.admin), timeout=120
    )


def test_two_workers_answer_share_writes_and_survive_a_chroma_outage(cluster, tmp_path):
    settings, urls, keys, chroma = cluster
    for url in urls:
        ready = httpx.get(url + "/api/v1/ready", timeout=120)
        assert ready.status_code == 200 and ready.json()["ready"] is True, ready.text

    with ThreadPoolExecutor(max_workers=2 * WORKERS) as pool:
        responses = list(pool.map(lambda url: ask(url, keys), urls * 2))
    assert all(r.status_code == 200 for r in responses), [r.text for r in responses]
    sources = {tuple(s["chunk_id"] for s in r.json()["sources"]) for r in responses}
    assert len(sources) == 1 and next(iter(sources))  # every worker gives the same cited sources

    # A CLI ingest (a third process, the writer) lands in every worker: shared manifest + lexical index.
    folder = tmp_path / "neu"
    folder.mkdir()
    (folder / "laerm.md").write_text(
        "# Lärmkarte Uhlstedt\n\nDie Gemeinde Uhlstedt misst den Verkehrslärm mit zwölf Sensoren an "
        "Schulwegen und veröffentlicht die Werte stündlich als offene Daten.\n",
        encoding="utf-8",
    )
    ingest = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", str(folder), "--json"],
        env=env_for(settings),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ingest.returncode == 0, ingest.stderr
    for url in urls:
        answer = ask(url, keys, "Mit wie vielen Sensoren misst Uhlstedt den Verkehrslärm?")
        assert answer.status_code == 200
        assert answer.json()["sources"][0]["doc_id"] == "laerm"

    chroma.kill()
    for url in urls:
        down = ask(url, keys)
        assert down.status_code == 503
        assert "Chroma-Server" in down.json()["detail"] and "nicht erreichbar" in down.json()["detail"]
        assert httpx.get(url + "/api/v1/ready", timeout=120).status_code == 503

    chroma.start()
    for url in urls:
        again = ask(url, keys)
        assert again.status_code == 200 and again.json()["sources"]
    with Index(settings, create_embedder(settings)) as index:
        assert index.chroma.ids() == index.manifest.visible_ids()  # no duplicates after the outage
