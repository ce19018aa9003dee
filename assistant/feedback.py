"""Feedback on answers (👍/👎 with comment) from the API and the bots, and its export as eval candidates.

Stored in the shared-state database: a SQLite file per data directory (shared by every API
worker and bot instance that uses it) or, with ``ASSISTANT_DATABASE_URL``, PostgreSQL for
replicas on several hosts. A negative rating with its question and cited sources becomes a candidate
eval case (see ``evals/datasets/README.md``) that a maintainer confirms before it joins a set.
"""

from __future__ import annotations

import builtins
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from assistant.config import Settings
from assistant.storage import Database, as_database, open_database

Rating = Literal["up", "down"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    feedback_id TEXT PRIMARY KEY,
    answer_id TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    sources TEXT NOT NULL DEFAULT '[]',
    channel TEXT NOT NULL DEFAULT '',
    "user" TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL{seq_column}
);
CREATE INDEX IF NOT EXISTS feedback_answer ON feedback (answer_id);
"""


class FeedbackSource(BaseModel):
    """What a rated answer cited: enough to turn it into an eval case."""

    doc_id: str
    title: str = ""
    text: str = ""


class Feedback(BaseModel):
    """One rating of one answer."""

    feedback_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    answer_id: str = Field(min_length=1, max_length=200)
    rating: Rating
    comment: str = Field(default="", max_length=4000)
    question: str = Field(default="", max_length=4000)
    answer: str = ""
    sources: list[FeedbackSource] = Field(default_factory=list)
    channel: str = Field(default="", description="Where it came from: 'api', 'slack:C123', …")
    user: str = Field(
        default="", description="Opaque id of who rated (API key name, front-end user id, Slack user id)."
    )
    created_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


_COLUMNS = 'feedback_id, answer_id, rating, comment, question, answer, sources, channel, "user", created_at'


class FeedbackStore:
    """Append-only store of ratings. Safe for several processes (short transactions)."""

    def __init__(self, where: Path | Database) -> None:
        """Open the store in a SQLite file at ``where`` or in an open database."""
        self._db = as_database(where)
        self._db.script(_SCHEMA)

    @classmethod
    def for_settings(cls, settings: Settings) -> FeedbackStore:
        """The store of ``settings``: PostgreSQL when configured, else ``<data_dir>/feedback.sqlite3``."""
        return cls(open_database(settings, settings.data_dir / "feedback.sqlite3", purpose="feedback"))

    def add(self, feedback: Feedback) -> Feedback:
        with self._db.transaction() as db:
            db.execute(
                f"INSERT INTO feedback ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    feedback.feedback_id,
                    feedback.answer_id,
                    feedback.rating,
                    feedback.comment,
                    feedback.question,
                    feedback.answer,
                    json.dumps([s.model_dump() for s in feedback.sources], ensure_ascii=False),
                    feedback.channel,
                    feedback.user,
                    feedback.created_at,
                ),
            )
        return feedback

    def list(self, rating: Rating | None = None) -> list[Feedback]:
        query = f"SELECT {_COLUMNS} FROM feedback"
        params: tuple[str, ...] = ()
        if rating:
            query += " WHERE rating = ?"
            params = (rating,)
        order = " ORDER BY created_at, {seq}".format(**self._db.schema_types())
        rows = self._db.execute(query + order, params).dicts()
        return [Feedback(**{**row, "sources": json.loads(row["sources"])}) for row in rows]

    def candidate_cases(self) -> builtins.list[dict[str, object]]:
        """Negative feedback as candidate eval cases (dataset format of evals/), unconfirmed.

        The cited sources are what the assistant *used*, not necessarily what is right: the
        maintainer corrects ``expected`` or marks the case unanswerable, then removes
        ``needs_review``.
        """
        cases = []
        for fb in self.list("down"):
            if not fb.question.strip():
                continue
            cases.append(
                {
                    "id": f"feedback-{fb.feedback_id[:12]}",
                    "question": fb.question,
                    "type": "feedback",
                    "tags": ["feedback", fb.channel] if fb.channel else ["feedback"],
                    "expected": [
                        {"doc_id": s.doc_id, "evidence": s.text[:400]} for s in fb.sources if s.text
                    ],
                    "needs_review": True,
                    "feedback": {
                        "answer_id": fb.answer_id,
                        "comment": fb.comment,
                        "answer": fb.answer,
                        "created_at": fb.created_at,
                    },
                }
            )
        return cases
