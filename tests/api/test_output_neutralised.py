"""Slack control sequences, HTML and planted links in documents never leave the API verbatim.

Extractive answers, search results, drafts and chat completions quote document text; a document
that contains ``<!channel>``, ``<@U…>``, ``<https://…|…>`` or a phishing URL in its plain text
must not pass them on to any client (Slack is not the only one that acts on them).
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.index import Index
from ingestion.pipeline import Ingestor
from tests.api.conftest import Keys

SPERRMUELL = """Sperrmüll in Quellbach

<!channel> Die Sperrmüllabholung in Quellbach beantragen Sie online im \
<https://evil.example/login|Bürgerportal> der Gemeinde, Rückfragen beantwortet <@U123ABC> im Bürgerbüro.

Die Sperrmüllabholung in Quellbach kostet 25 Euro je Termin, die Anmeldung ist unter \
https://phish.example/sperrmuell bis eine Woche vor dem Termin möglich. <!here>

Pro Haushalt holt die Gemeinde Quellbach höchstens fünf Kubikmeter Sperrmüll im Jahr ab. \
<script>alert(1)</script>
"""

VERWALTUNG = """Digitale Verwaltung in Quellbach

<!channel> Die Gemeinde Quellbach bietet bis Ende 2026 alle Verwaltungsleistungen online an \
<@U123ABC>, zuerst die Anmeldung des Wohnsitzes und den Bewohnerparkausweis.

Das Bürgerbüro führt ab 2025 die elektronische Akte ein; die Schulung der Beschäftigten \
übernimmt das Hauptamt <https://evil.example/schulung|Schulungsportal>.

Für die Umsetzung stehen im Haushalt 2025 rund 120.000 Euro bereit; Ziel ist, dass 80 Prozent der \
Anträge digital eingehen, siehe https://phish.example/ziele für Details.
"""

QUESTION = "Was kostet die Sperrmüllabholung in Quellbach?"
FORBIDDEN = ("<!channel>", "<!here>", "<@U123ABC>", "evil.example", "phish.example", "<script", "alert(1)")


@pytest.fixture(scope="module")
def module_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """An index of just the two documents above (overrides the corpus copy of conftest)."""
    root = tmp_path_factory.mktemp("neutralised")
    docs = root / "docs"
    docs.mkdir()
    (docs / "sperrmuell-quellbach.txt").write_text(SPERRMUELL, encoding="utf-8")
    (docs / "digitale-verwaltung-quellbach.txt").write_text(VERWALTUNG, encoding="utf-8")
    settings = Settings(data_dir=root / "data", index_name="t", api_rate_limit_per_minute=0)
    with Index(settings, create_embedder(settings), write=True, purpose="test") as index:
        report = Ingestor(index, settings).run([docs])
    assert not report.failed
    return settings


def assert_clean(text: str) -> None:
    for forbidden in FORBIDDEN:
        assert forbidden not in text, f"{forbidden!r} reached the client: {text[:400]}"


def stream_data(body: str) -> str:
    """The decoded ``data:`` payloads of a server-sent event stream, joined."""
    payloads = [line[len("data: ") :] for line in body.splitlines() if line.startswith("data: ")]
    return "\n".join(json.dumps(json.loads(p), ensure_ascii=False) if p != "[DONE]" else p for p in payloads)


def test_ask_answer_sources_and_passages_are_neutralised(client: TestClient, keys: Keys) -> None:
    response = client.post("/api/v1/ask", json={"question": QUESTION}, headers=Keys.header(keys.admin))

    assert response.status_code == 200, response.text
    answer = response.json()
    assert not answer["abstained"] and "25 Euro" in answer["answer"]
    assert "[Link entfernt]" in answer["answer"]
    assert_clean(json.dumps(answer, ensure_ascii=False))


def test_ask_stream_is_neutralised(client: TestClient, keys: Keys) -> None:
    with client.stream(
        "POST", "/api/v1/ask/stream", json={"question": QUESTION}, headers=Keys.header(keys.admin)
    ) as response:
        body = response.read().decode()

    assert response.status_code == 200
    assert "25 Euro" in stream_data(body)
    assert_clean(body)
    assert_clean(stream_data(body))


def test_search_results_are_neutralised(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/v1/search",
        json={"query": "Sperrmüllabholung Quellbach", "k": 5},
        headers=Keys.header(keys.admin),
    )

    assert response.status_code == 200
    results = response.json()["results"]
    assert any("25 Euro" in r["chunk"]["text"] for r in results)
    assert_clean(json.dumps(results, ensure_ascii=False))


@pytest.mark.parametrize("stream", [False, True])
def test_chat_completions_are_neutralised(client: TestClient, keys: Keys, stream: bool) -> None:
    body = {"model": "x", "stream": stream, "messages": [{"role": "user", "content": QUESTION}]}
    response = client.post(
        "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {keys.admin}"}
    )

    assert response.status_code == 200
    text = stream_data(response.text) if stream else response.json()["choices"][0]["message"]["content"]
    assert "25 Euro" in text
    assert_clean(response.text)
    assert_clean(text)


def test_drafts_are_neutralised(client: TestClient, keys: Keys) -> None:
    request = {"section": "verwaltung", "profile": {"kind": "Gemeinde", "inhabitants": 6000}, "length": 1}
    response = client.post("/api/v1/drafts", json=request, headers=Keys.header(keys.admin))

    assert response.status_code == 200, response.text
    draft = response.json()
    assert "Quellbach" in draft["markdown"] and draft["citations"]
    assert_clean(json.dumps(draft, ensure_ascii=False))
