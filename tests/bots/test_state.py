"""The bot's SQLite state: a claim wins exactly once across threads and processes."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from assistant.feedback import FeedbackSource
from bots.slack.state import BotState


def _claim_all(path: str, keys: list[str]) -> list[str]:
    state = BotState(Path(path))
    return [key for key in keys if state.claim(key)]


def test_claim_is_exclusive_across_threads(tmp_path: Path) -> None:
    states = [BotState(tmp_path / "bot.sqlite3") for _ in range(4)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: states[i % 4].claim("event:Ev1"), range(32)))
    assert results.count(True) == 1


def test_claim_is_exclusive_across_processes(tmp_path: Path) -> None:
    path = str(tmp_path / "bot.sqlite3")
    BotState(Path(path))  # create the schema once
    keys = [f"event:Ev{i}" for i in range(200)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        won = pool.starmap(_claim_all, [(path, keys), (path, keys)])
    assert sorted(won[0] + won[1]) == sorted(keys)  # each key claimed by exactly one process


def test_answers_and_threads_are_remembered(tmp_path: Path) -> None:
    state = BotState(tmp_path / "bot.sqlite3")
    sources = [FeedbackSource(doc_id="d1", title="T", text="Auszug")]
    state.save_answer(
        "a1", question="Frage?", answer="Antwort [1].", sources=sources, channel="C1", thread_ts="1.1"
    )
    state.remember_thread("C1", "1.1")
    again = BotState(tmp_path / "bot.sqlite3")
    saved = again.answer("a1")
    assert saved is not None and saved.question == "Frage?" and saved.sources == sources
    assert again.answer("unbekannt") is None
    assert again.is_bot_thread("C1", "1.1") and not again.is_bot_thread("C1", "2.2")
