"""Follow-up questions through the native API, over corpus/ with the real model (Slack: tests/bots)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import Keys

FIRST = "Wie viel spart Kessbach mit openDesk?"
FOLLOW_UP = "Und wie lange wurde vorher getestet?"
KESSBACH = "case_study/opendesk-gemeinde-kessbach"


def _ask(client: TestClient, token: str, question: str, history: list[dict[str, str]] | None = None) -> dict:
    body: dict[str, object] = {"question": question}
    if history is not None:
        body["history"] = history
    response = client.post("/api/v1/ask", json=body, headers=Keys.header(token))
    assert response.status_code == 200, response.text
    return response.json()


def test_a_follow_up_is_answered_about_the_earlier_topic(client: TestClient, keys: Keys) -> None:
    first = _ask(client, keys.reader, FIRST)
    answer = _ask(client, keys.reader, FOLLOW_UP, [{"question": FIRST, "answer_id": first["answer_id"]}])
    assert not answer["abstained"]
    assert answer["question"] == FOLLOW_UP
    assert answer["related_note"] == "Bezogen auf die vorige Frage: Kessbach, openDesk"
    assert KESSBACH in {s["doc_id"] for s in answer["sources"]}
    assert "vier Monate" in answer["answer"]  # the pilot phase, from the Kessbach report
    # Alone, the same words have nothing to hold on to.
    alone = _ask(client, keys.reader, FOLLOW_UP)
    assert alone["related_note"] == "" and "vier Monate" not in alone["answer"]


def test_a_new_topic_after_a_question_is_not_rewritten(client: TestClient, keys: Keys) -> None:
    answer = _ask(
        client, keys.reader, "Wie viele Parksensoren hat Brunnhagen verbaut?", [{"question": FIRST}]
    )
    assert answer["related_note"] == "" and answer["interpreted_as"] is None
    assert "420" in answer["answer"]


def test_history_is_bounded(client: TestClient, keys: Keys) -> None:
    history = [{"question": FIRST}] * 21
    response = client.post(
        "/api/v1/ask", json={"question": FOLLOW_UP, "history": history}, headers=Keys.header(keys.reader)
    )
    assert response.status_code == 422 and "history" in response.json()["detail"]
