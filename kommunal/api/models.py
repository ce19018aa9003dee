"""Request and response bodies of the API that the core has no type for.

Answers, sources, citations, passages, filters, document records and ingest reports are the
core's own types (``assistant.types``, ``ingestion.report``); they are not redefined here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.feedback import Rating
from assistant.types import Passage, SearchFilters

Question = Field(min_length=1, max_length=2000, description="Die Frage auf Deutsch.")


class HistoryTurn(BaseModel):
    """An earlier question of the conversation (oldest first)."""

    question: str = Field(min_length=1, max_length=2000, description="Die frühere Frage.")
    answer_id: str | None = Field(
        default=None,
        max_length=200,
        description="answer_id der Antwort darauf (falls von diesem Schlüssel erhalten): ihre Quellen "
        "werden bei einer Anschlussfrage bevorzugt.",
    )


class AskRequest(BaseModel):
    question: str = Question
    k: int = Field(default=5, ge=1, le=20, description="Anzahl der Quellen-Passagen.")
    filters: SearchFilters | None = None
    history: list[HistoryTurn] | None = Field(
        default=None,
        max_length=20,
        description="Frühere Fragen des Gesprächs; eine Anschlussfrage („Und was kostet das?“) wird "
        "auf sie bezogen (die Antwort nennt den Bezug in `related_note`).",
    )


class SearchRequest(BaseModel):
    query: str = Field(min_length=1, max_length=2000, description="Suchanfrage auf Deutsch.")
    k: int = Field(default=5, ge=1, le=100, description="Anzahl der Treffer.")
    mode: Literal["hybrid", "dense", "lexical"] = "hybrid"
    filters: SearchFilters | None = None


class SearchResponse(BaseModel):
    query: str
    results: list[Passage]
    timings: dict[str, float] = Field(default_factory=dict)


class FeedbackRequest(BaseModel):
    answer_id: str = Field(
        min_length=1,
        max_length=200,
        description="answer_id einer Antwort, die derselbe Schlüssel kürzlich erhalten hat (sonst 404).",
    )
    rating: Rating
    comment: str = Field(default="", max_length=4000)


class FeedbackReceipt(BaseModel):
    feedback_id: str
    answer_id: str
    rating: Rating
    created_at: str


class RemovedDocument(BaseModel):
    doc_id: str
    removed_chunks: int


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    ready: bool
    detail: str
    documents: int = 0
    chunks: int = 0
    vectors: int = 0
