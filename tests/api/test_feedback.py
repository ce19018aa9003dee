"""Feedback only on answers the same key received; unknown and foreign answer ids look the same (404)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.feedback import FeedbackStore
from tests.api.conftest import Keys

QUESTION = "Wie viel spart Kessbach mit openDesk?"


def _rate(client: TestClient, token: str, answer_id: str) -> tuple[int, dict[str, object]]:
    response = client.post(
        "/api/v1/feedback",
        json={"answer_id": answer_id, "rating": "down", "comment": "Test"},
        headers=Keys.header(token),
    )
    return response.status_code, response.json()


def _stored(settings: Settings, answer_id: str) -> list[str]:
    return [f.user for f in FeedbackStore.for_settings(settings).list() if f.answer_id == answer_id]


def test_unknown_and_foreign_answer_ids_get_the_same_404(
    client: TestClient, keys: Keys, module_settings: Settings
) -> None:
    asked = client.post("/api/v1/ask", json={"question": QUESTION}, headers=Keys.header(keys.reader_intern))
    assert asked.status_code == 200
    foreign_id = asked.json()["answer_id"]
    unknown_id = "0" * len(foreign_id)

    foreign_status, foreign = _rate(client, keys.reader, foreign_id)
    unknown_status, unknown = _rate(client, keys.reader, unknown_id)
    assert foreign_status == unknown_status == 404
    assert foreign["code"] == "not_found" and "Antwort" in str(foreign["detail"])
    assert json.dumps(foreign).replace(foreign_id, "ID") == json.dumps(unknown).replace(unknown_id, "ID")
    assert _stored(module_settings, foreign_id) == [] and _stored(module_settings, unknown_id) == []

    # the key that received the answer may rate it (so the 404 above is about the key, not the id)
    own_status, receipt = _rate(client, keys.reader_intern, foreign_id)
    assert own_status == 201 and receipt["answer_id"] == foreign_id
    assert _stored(module_settings, foreign_id) == ["leser-intern"]


def test_streamed_answers_can_be_rated(client: TestClient, keys: Keys, module_settings: Settings) -> None:
    with client.stream(
        "POST", "/api/v1/ask/stream", json={"question": QUESTION}, headers=Keys.header(keys.reader)
    ) as response:
        assert response.status_code == 200
        lines = list(response.iter_lines())
    done = json.loads(lines[lines.index("event: done") + 1].removeprefix("data: "))
    status, receipt = _rate(client, keys.reader, done["answer_id"])
    assert status == 201, receipt
    assert _stored(module_settings, done["answer_id"]) == ["leser"]
