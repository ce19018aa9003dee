"""Ask (JSON and SSE), search, feedback and the OpenAI-compatible routes over the sample corpus."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.feedback import FeedbackStore
from assistant.generation import NOTHING_FOUND
from tests.api.conftest import Keys

QUESTION = "Wie viel spart Kessbach mit openDesk?"


def parse_sse(text: str) -> list[tuple[str, str]]:
    """(event, data) pairs of a server-sent event stream."""
    events = []
    for block in text.strip().split("\n\n"):
        event, data = "message", []
        for line in block.splitlines():
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: "):
                data.append(line[len("data: ") :])
        events.append((event, "\n".join(data)))
    return events


def test_ask_answers_with_citations_sources_and_timings(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/v1/ask", json={"question": QUESTION, "k": 4}, headers=Keys.header(keys.admin)
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["abstained"] is False
    assert answer["question"] == QUESTION
    assert answer["citations"] and answer["sources"]
    cited = {c["n"] for c in answer["citations"]}
    assert cited <= {s["n"] for s in answer["sources"]}
    assert any("kessbach" in s["doc_id"] for s in answer["sources"])
    assert answer["timings"]["total_ms"] > 0


def test_ask_abstains_without_evidence(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/v1/ask",
        json={"question": "Wie hoch ist der Mondschein-Zuschlag für Leuchtturmwärter auf Helgoland?"},
        headers=Keys.header(keys.admin),
    )
    assert response.status_code == 200
    assert response.json()["abstained"] is True
    assert response.json()["answer"] == NOTHING_FOUND
    assert response.json()["citations"] == []


def test_ask_rejects_invalid_input_in_german_naming_the_field(client: TestClient, keys: Keys) -> None:
    response = client.post("/api/v1/ask", json={"question": "", "k": 99}, headers=Keys.header(keys.admin))
    assert response.status_code == 422
    body = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert {e["field"] for e in body["errors"]} == {"question", "k"}
    assert "Feld" in body["detail"]
    bad_filter = client.post(
        "/api/v1/search",
        json={"query": "Glasfaser", "filters": {"doc_type": "roman"}},
        headers=Keys.header(keys.admin),
    )
    assert bad_filter.status_code == 422
    assert "Dokumenttyp" in bad_filter.json()["detail"]


def test_ask_stream_sends_tokens_then_citations_then_done(client: TestClient, keys: Keys) -> None:
    with client.stream(
        "POST", "/api/v1/ask/stream", json={"question": QUESTION}, headers=Keys.header(keys.admin)
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(response.read().decode())
    names = [name for name, _ in events]
    assert names[0] == "token"
    assert names[-2:] == ["citations", "done"]
    assert set(names[:-2]) == {"token"}
    final = json.loads(events[-1][1])
    streamed = "".join(json.loads(data)["text"] for name, data in events if name == "token")
    assert streamed.strip() == final["answer"].strip()
    assert json.loads(events[-2][1])["sources"] == final["sources"]
    # The streamed answer carries what ask adds: the asked wording and the timings.
    assert final["question"] == QUESTION
    assert final["timings"]["total_ms"] >= final["timings"]["retrieve_ms"] > 0


def test_search_returns_ranked_passages_and_applies_filters(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/v1/search",
        json={"query": "Glasfaserausbau im Landkreis", "k": 5},
        headers=Keys.header(keys.admin),
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert 0 < len(results) <= 5
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    assert results[0]["chunk"]["doc_id"] == "case_study/glasfaser-landkreis-talheide"
    filtered = client.post(
        "/api/v1/search",
        json={
            "query": "Glasfaserausbau im Landkreis",
            "k": 5,
            "mode": "lexical",
            "filters": {"doc_type": "guidance"},
        },
        headers=Keys.header(keys.admin),
    ).json()["results"]
    assert filtered
    assert {r["chunk"]["doc_type"] for r in filtered} == {"guidance"}


def test_feedback_is_stored_with_the_answer_it_rates(
    client: TestClient, keys: Keys, module_settings: Settings
) -> None:
    answer = client.post("/api/v1/ask", json={"question": QUESTION}, headers=Keys.header(keys.admin)).json()
    response = client.post(
        "/api/v1/feedback",
        json={"answer_id": answer["answer_id"], "rating": "down", "comment": "Zahl fehlt"},
        headers=Keys.header(keys.admin),
    )
    assert response.status_code == 201
    stored = [
        f
        for f in FeedbackStore.for_settings(module_settings).list("down")
        if f.answer_id == answer["answer_id"]
    ]
    assert len(stored) == 1
    assert stored[0].feedback_id == response.json()["feedback_id"]
    assert stored[0].question == QUESTION
    assert stored[0].comment == "Zahl fehlt"
    assert stored[0].user == "verwaltung"
    assert {s.doc_id for s in stored[0].sources} == {s["doc_id"] for s in answer["sources"]}
    invalid = client.post(
        "/api/v1/feedback",
        json={"answer_id": answer["answer_id"], "rating": "meh"},
        headers=Keys.header(keys.admin),
    )
    assert invalid.status_code == 422


def test_openai_models_lists_the_assistant(client: TestClient, keys: Keys) -> None:
    response = client.get("/v1/models", headers={"Authorization": f"Bearer {keys.reader}"})
    assert response.status_code == 200
    assert [m["id"] for m in response.json()["data"]] == ["kommunal-assistant"]


def test_chat_completions_answers_last_user_message_with_sources_ignoring_unknown_fields(
    client: TestClient, keys: Keys
) -> None:
    body = {
        "model": "kommunal-assistant",
        "messages": [
            {"role": "system", "content": "Du bist hilfreich."},
            {"role": "user", "content": "Hallo"},
            {"role": "assistant", "content": "Hallo! Wie kann ich helfen?"},
            {"role": "user", "content": [{"type": "text", "text": QUESTION}]},
        ],
        "stream": False,
        "tools": [{"type": "function", "function": {"name": "web_search", "parameters": {}}}],
        "params": {"temperature": 0.3},
        "session_id": "abc",
        "chat_id": "def",
    }
    response = client.post(
        "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {keys.admin}"}
    )
    assert response.status_code == 200
    completion = response.json()
    assert completion["object"] == "chat.completion"
    content = completion["choices"][0]["message"]["content"]
    assert "Kessbach" in content
    assert "**Quellen**" in content and "[1]" in content


def test_chat_completions_streams_openai_chunks_then_done(client: TestClient, keys: Keys) -> None:
    body = {"model": "x", "stream": True, "messages": [{"role": "user", "content": QUESTION}], "tools": []}
    with client.stream(
        "POST", "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {keys.admin}"}
    ) as response:
        assert response.status_code == 200
        events = parse_sse(response.read().decode())
    assert events[-1][1] == "[DONE]"
    chunks = [json.loads(data) for _, data in events[:-1]]
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert "Kessbach" in text and "**Quellen**" in text


def test_chat_completions_without_user_message_is_an_openai_style_422(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/v1/chat/completions",
        json={"messages": [{"role": "system", "content": "x"}]},
        headers={"Authorization": f"Bearer {keys.admin}"},
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
