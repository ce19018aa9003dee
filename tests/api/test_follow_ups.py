"""Follow-up questions through the native API and the OpenAI-compatible route (the official SDK),
over corpus/ with the real model (Slack: tests/bots/test_follow_ups.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openai
import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from tests.api.conftest import Keys, copy_corpus_index, make_keys
from tests.fakes.uvicorn_thread import served_app

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


@pytest.fixture(scope="module")
def chat(corpus_index_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[openai.OpenAI]:
    """The official SDK against the extractive app behind a real uvicorn on 127.0.0.1 (its own copy
    of the corpus index: the module's TestClient app holds the other one)."""
    data_dir = copy_corpus_index(corpus_index_template, tmp_path_factory.mktemp("chat"))
    settings = Settings(data_dir=data_dir, index_name="corpus", api_rate_limit_per_minute=0)
    keys = make_keys(settings)
    with (
        served_app(settings) as url,
        openai.OpenAI(base_url=f"{url}/v1", api_key=keys.reader, max_retries=0, timeout=60) as client,
    ):
        yield client


@pytest.mark.parametrize("stream", [False, True])
def test_a_follow_up_through_the_openai_sdk(chat: openai.OpenAI, stream: bool) -> None:
    first = chat.chat.completions.create(
        model="kommunal-assistant", messages=[{"role": "user", "content": FIRST}]
    )
    earlier = first.choices[0].message.content or ""
    messages = [
        {"role": "user", "content": FIRST},
        {"role": "assistant", "content": earlier},
        {"role": "user", "content": FOLLOW_UP},
    ]
    if stream:
        pieces = chat.chat.completions.create(model="kommunal-assistant", messages=messages, stream=True)
        content = "".join(c.choices[0].delta.content or "" for c in pieces if c.choices)
    else:
        reply = chat.chat.completions.create(model="kommunal-assistant", messages=messages)
        content = reply.choices[0].message.content or ""
    assert "vier Monate" in content
    assert "Bezogen auf die vorige Frage: Kessbach, openDesk" in content
    sources = content.split("**Quellen**", 1)[1]
    assert "Kessbach" in sources
    # The same last message without the conversation does not get the Kessbach pilot.
    alone = chat.chat.completions.create(model="kommunal-assistant", messages=[messages[-1]])
    assert "vier Monate" not in (alone.choices[0].message.content or "")
