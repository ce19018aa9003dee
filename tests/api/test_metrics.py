"""/metrics: Prometheus text behind the admin key, counters per route template, answers and
abstentions, index size; and the same metrics without a key on a separate loopback port."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from assistant.config import Settings
from assistant.index.manifest import Manifest
from tests.api.conftest import AppFactory, Keys
from tests.fakes.openai_server import unused_port

ANSWERABLE = "Wie viel spart Kessbach mit openDesk?"
UNANSWERABLE = "Wie hoch ist der Mondschein-Zuschlag für Leuchtturmwärter auf Helgoland?"


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a Prometheus exposition, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(parsed: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str) -> float:
    return parsed.get((name, frozenset(labels.items())), 0.0)


def scrape(client: TestClient, keys: Keys) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    response = client.get("/metrics", headers=Keys.header(keys.admin))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


def test_metrics_need_an_admin_key(client: TestClient, keys: Keys) -> None:
    missing = client.get("/metrics")
    assert missing.status_code == 401
    assert "API-Schlüssel" in missing.json()["detail"]
    reader = client.get("/metrics", headers=Keys.header(keys.reader))
    assert reader.status_code == 403
    assert "admin" in reader.json()["detail"]
    assert client.get("/metrics", headers=Keys.header(keys.admin)).status_code == 200


def test_answers_abstentions_and_requests_per_route_template(
    client: TestClient, keys: Keys, module_settings: Settings
) -> None:
    before = scrape(client, keys)
    for question in (ANSWERABLE, UNANSWERABLE):
        response = client.post("/api/v1/ask", json={"question": question}, headers=Keys.header(keys.reader))
        assert response.status_code == 200
    missing = client.delete("/api/v1/documents/no-such-doc", headers=Keys.header(keys.admin))
    assert missing.status_code == 404
    after = scrape(client, keys)

    assert value(after, "kommunal_answers_total") - value(before, "kommunal_answers_total") == 2
    assert value(after, "kommunal_abstentions_total") - value(before, "kommunal_abstentions_total") == 1
    ask = {"method": "POST", "route": "/api/v1/ask", "status": "200"}
    assert (
        value(after, "kommunal_http_requests_total", **ask)
        - value(before, "kommunal_http_requests_total", **ask)
        == 2
    )
    latency = {"method": "POST", "route": "/api/v1/ask"}
    assert value(after, "kommunal_http_request_duration_seconds_count", **latency) >= 2
    assert value(after, "kommunal_http_request_duration_seconds_sum", **latency) > 0
    # The template, not the raw path: one series however many documents are asked for.
    document = {"method": "DELETE", "route": "/api/v1/documents/{doc_id}", "status": "404"}
    assert value(after, "kommunal_http_requests_total", **document) >= 1
    assert not any("no-such-doc" in str(labels) for _, labels in after)

    manifest = Manifest.for_settings(module_settings)
    try:
        documents, chunks = len(manifest.documents()), manifest.count_chunks()
    finally:
        manifest.close()
    assert documents > 0 and chunks > documents
    assert value(after, "kommunal_index_documents") == documents
    assert value(after, "kommunal_index_chunks") == chunks


def test_unknown_paths_share_one_label(client: TestClient, keys: Keys) -> None:
    for path in ("/nothing-here", "/api/v1/also-not"):
        assert client.get(path).status_code == 404
    parsed = scrape(client, keys)
    assert value(parsed, "kommunal_http_requests_total", method="GET", route="unmatched", status="404") >= 2
    assert not any("nothing-here" in str(labels) for _, labels in parsed)


def test_separate_metrics_port_on_loopback_without_a_key(make_client: AppFactory) -> None:
    port = unused_port()
    client, keys = make_client(metrics_port=port)
    assert client.get("/api/v1/health").status_code == 200
    response = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=10)
    assert response.status_code == 200
    parsed = samples(response.text)
    health = {"method": "GET", "route": "/api/v1/health", "status": "200"}
    assert value(parsed, "kommunal_http_requests_total", **health) == 1
    assert value(parsed, "kommunal_index_chunks") > 0
    # The app's own /metrics still wants the admin key.
    assert client.get("/metrics").status_code == 401
    client.__exit__(None, None, None)  # shutdown stops the metrics port
    try:
        httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2)
    except httpx.ConnectError:
        pass
    else:
        raise AssertionError("the metrics port is still served after shutdown")


def test_serve_refuses_the_metrics_port_with_several_workers(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_DATA_DIR=str(tmp_path),
        ASSISTANT_CHROMA_URL="http://127.0.0.1:9",  # refused before anything connects
        ASSISTANT_METRICS_PORT="9108",
    )
    done = subprocess.run(
        [sys.executable, "-m", "kommunal", "serve", "--workers", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 4, done.stderr
    assert "ASSISTANT_METRICS_PORT" in done.stderr and "Worker" in done.stderr
