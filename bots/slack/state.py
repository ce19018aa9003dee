"""The bot's memory in one SQLite file under the data directory, shared by its processes on one host.

- **claims**: an event id or message is handled once, however often Slack delivers it
  (retries after a slow ack, two bot processes, an @mention that is also a DM message).
  The first ``INSERT`` wins; SQLite makes that atomic across processes on one host.
  Several *hosts* need a shared store instead (see docs/slack.md).
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
from assistant.sqlite_file import SqliteFile

_SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (key TEXT PRIMARY KEY, claimed_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS threads (
    channel TEXT NOT NULL, thread_ts TEXT NOT NULL, answered_at REAL NOT NULL,
    PRIMARY KEY (channel, thread_ts)
);
CREATE TABLE IF NOT EXISTS answers (
    answer_id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    sources TEXT NOT NULL,
    channel TEXT NOT NULL,
    thread_ts TEXT NOT NULL,
    created_at REAL NOT NULL
);
"""

CLAIM_TTL_S = 24 * 3600
"""Slack retries an event for about an hour; a day of claims is plenty."""


class BotState:
    """Claims, answered threads and posted answers of the Slack bot."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = SqliteFile(path, _SCHEMA)
        self._last_prune = 0.0

    @classmethod
    def for_settings(cls, settings: Settings) -> BotState:
        return cls(settings.data_dir / "slack-bot.sqlite3")

    def claim(self, key: str) -> bool:
        """True exactly once per key (across threads and processes sharing the file)."""
        now = time.time()
        with self._db.connect() as db:
            if now - self._last_prune > 3600:
                db.execute("DELETE FROM claims WHERE claimed_at < ?", (now - CLAIM_TTL_S,))
                self._last_prune = now
            cursor = db.execute("INSERT OR IGNORE INTO claims VALUES (?, ?)", (key, now))
            return cursor.rowcount == 1

    def remember_thread(self, channel: str, thread_ts: str) -> None:
        with self._db.connect() as db:
            db.execute("INSERT OR REPLACE INTO threads VALUES (?, ?, ?)", (channel, thread_ts, time.time()))

    def is_bot_thread(self, channel: str, thread_ts: str) -> bool:
        with self._db.connect() as db:
            row = db.execute(
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
        with self._db.connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                (answer_id, question, answer, payload, channel, thread_ts, time.time()),
            )

    def answer(self, answer_id: str) -> SavedAnswer | None:
        with self._db.connect() as db:
            row = db.execute(
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
