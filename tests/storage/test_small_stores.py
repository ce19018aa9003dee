"""Feedback and the Slack bot's claims on both storage dialects, through ``for_settings``."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from assistant.config import Settings
from assistant.feedback import Feedback, FeedbackSource, FeedbackStore
from bots.slack.state import BotState


def settings_for(tmp_path: Path, database_url: str | None) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url)


def test_feedback_persists_in_order_and_exports_negatives(tmp_path, database_url):
    store = FeedbackStore.for_settings(settings_for(tmp_path, database_url))
    same_second = "2026-12-02T10:00:00+00:00"
    for answer_id, rating in [("a3", "up"), ("a1", "down"), ("a2", "up")]:
        store.add(
            Feedback(
                answer_id=answer_id,
                rating=rating,
                question=f"Frage zu {answer_id}?",
                sources=[FeedbackSource(doc_id="plan", title="Plan", text="Auszug")],
                user="schluessel-1",
                created_at=same_second,
            )
        )
    reopened = FeedbackStore.for_settings(settings_for(tmp_path, database_url))
    assert [f.answer_id for f in reopened.list()] == ["a3", "a1", "a2"]  # insertion order within a second
    assert [f.answer_id for f in reopened.list("down")] == ["a1"]
    assert reopened.list()[0].user == "schluessel-1"
    assert [c["question"] for c in reopened.candidate_cases()] == ["Frage zu a1?"]


def _claim_all(data_dir: str, database_url: str | None, keys: list[str]) -> list[str]:
    state = BotState.for_settings(Settings(data_dir=Path(data_dir), database_url=database_url))
    return [key for key in keys if state.claim(key)]


def test_a_claim_wins_exactly_once_across_threads_and_processes(tmp_path, database_url):
    settings = settings_for(tmp_path, database_url)
    states = [BotState.for_settings(settings) for _ in range(4)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: states[i % 4].claim("event:Ev1"), range(32)))
    assert results.count(True) == 1

    keys = [f"event:Ev{i}" for i in range(2, 200)]  # Ev1 is taken above
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        won = pool.starmap(_claim_all, [(str(settings.data_dir), database_url, keys)] * 2)
    assert sorted(won[0] + won[1]) == sorted(keys)


def test_bot_threads_and_answers_are_remembered(tmp_path, database_url):
    state = BotState.for_settings(settings_for(tmp_path, database_url))
    sources = [FeedbackSource(doc_id="d1", title="T", text="Auszug")]
    state.save_answer("a1", question="Frage?", answer="Alt.", sources=[], channel="C1", thread_ts="1.1")
    state.save_answer(
        "a1", question="Frage?", answer="Antwort [1].", sources=sources, channel="C1", thread_ts="1.1"
    )
    state.remember_thread("C1", "1.1")
    state.remember_thread("C1", "1.1")
    again = BotState.for_settings(settings_for(tmp_path, database_url))
    saved = again.answer("a1")
    assert saved is not None and saved.answer == "Antwort [1]." and saved.sources == sources
    assert again.answer("unbekannt") is None
    assert again.is_bot_thread("C1", "1.1") and not again.is_bot_thread("C1", "2.2")
