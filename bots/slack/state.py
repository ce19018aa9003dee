"""The bot's memory in the shared-state database, shared by all its processes.

A SQLite file under the data directory (processes on one host) or, with
``ASSISTANT_DATABASE_URL``, PostgreSQL (bot instances on several hosts).

- **claims**: an event id or message is handled once, however often Slack delivers it
  (retries after a slow ack, two bot processes, an @mention that is also a DM message).
  The first ``INSERT`` wins; the primary key makes that atomic across processes and hosts.
- **threads** the bot has answered in, so follow-ups there need no new @mention.
- **answers** it posted, so a 👍/👎 click stores the question, answer and sources with it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from assistant.config import Settings
from assistant.feedback import FeedbackSource
from assistant.storage import Database, as_database, open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, claimed_at DOUBLE PRECISION NOT NULL);
CREATE TABLE IF NOT EXISTS threads (
    channel TEXT NOT NULL, thread_ts TEXT NOT NULL, answered_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (channel, thread_ts)
);
CREATE TABLE IF NOT EXISTS answers (
    answer_id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    sources TEXT NOT NULL,
    channel TEXT NOT NULL,
    thread_ts TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL
);
"""

CLAIM_TTL_S = 24 * 3600
"""Slack retries an event for about an hour; a day of claims is plenty."""


class BotState:
    """Claims, answered threads and posted answers of the Slack bot."""

    def __init__(self, where: Path | Database) -> None:
        """Open the state in a SQLite file at ``where`` or in an open database."""
        self._db = as_database(where)
        self._db.script(_SCHEMA)
        self._last_prune = 0.0

    @classmethod
    def for_settings(cls, settings: Settings) -> BotState:
        """PostgreSQL when configured, else ``<data_dir>/slack-bot.sqlite3``."""
        return cls(open_database(settings, settings.data_dir / "slack-bot.sqlite3", purpose="slack"))

    def claim(self, key: str) -> bool:
        """True exactly once per key (across threads and processes sharing the database)."""
        now = time.time()
        with self._db.transaction() as db:
            if now - self._last_prune > 3600:
                db.execute("DELETE FROM claims WHERE claimed_at < ?", (now - CLAIM_TTL_S,))
                self._last_prune = now
            result = db.execute(
                "INSERT INTO claims (key, claimed_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", (key, now)
            )
            return result.rowcount == 1

    def remember_thread(self, channel: str, thread_ts: str) -> None:
        self._db.execute(
            "INSERT INTO threads (channel, thread_ts, answered_at) VALUES (?, ?, ?)"
            " ON CONFLICT (channel, thread_ts) DO UPDATE SET answered_at = excluded.answered_at",
            (channel, thread_ts, time.time()),
        )

    def is_bot_thread(self, channel: str, thread_ts: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM threads WHERE channel = ? AND thread_ts = ?", (channel, thread_ts)
        ).fetchone()
        return row is not None

    def save_answer(
        self,
        answer_id: str,
        *,
        question: str,
        answer: str,
        sources: list[FeedbackSource],
        channel: str,
        thread_ts: str,
    ) -> None:
        payload = json.dumps([s.model_dump() for s in sources], ensure_ascii=False)
        self._db.execute(
            "INSERT INTO answers (answer_id, question, answer, sources, channel, thread_ts, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (answer_id) DO UPDATE SET"
            " question = excluded.question, answer = excluded.answer, sources = excluded.sources,"
            " channel = excluded.channel,"
            " thread_ts = excluded.thread_ts, created_at = excluded.created_at",
            (answer_id, question, answer, payload, channel, thread_ts, time.time()),
        )

    def answer(self, answer_id: str) -> SavedAnswer | None:
        row = self._db.execute(
            "SELECT question, answer, sources, channel, thread_ts FROM answers WHERE answer_id = ?",
            (answer_id,),
        ).fetchone()
        if row is None:
            return None
        sources = [FeedbackSource(**s) for s in json.loads(row[2])]
        return SavedAnswer(answer_id, row[0], row[1], sources, row[3], row[4])


@dataclass
class SavedAnswer:
    """An answer the bot posted, as remembered for feedback."""

    answer_id: str
    question: str
    answer: str
    sources: list[FeedbackSource]
    channel: str
    thread_ts: str
