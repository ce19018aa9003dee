"""Feedback (👍/👎 with comment) on an answer, stored through :mod:`assistant.feedback`."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.api.concurrency import run_blocking
from assistant.api.deps import Reader, RuntimeDep
from assistant.api.models import FeedbackReceipt, FeedbackRequest
from assistant.api.problems import PROBLEM_RESPONSES
from assistant.feedback import Feedback, FeedbackSource

router = APIRouter(tags=["Rückmeldungen"], responses=PROBLEM_RESPONSES)


@router.post("/feedback", response_model=FeedbackReceipt, status_code=201, summary="Antwort bewerten")
async def feedback(body: FeedbackRequest, key: Reader, runtime: RuntimeDep) -> FeedbackReceipt:
    """Store a rating. Question, answer and sources are added when this process gave the answer."""
    answer = runtime.answers.get(body.answer_id, key.key_id)
    record = Feedback(
        answer_id=body.answer_id,
        rating=body.rating,
        comment=body.comment,
        channel="api",
        user=key.name,
    )
    if answer is not None:
        record.question = answer.question
        record.answer = answer.answer
        record.sources = [FeedbackSource(doc_id=s.doc_id, title=s.title, text=s.text) for s in answer.sources]
    stored = await run_blocking(lambda: runtime.feedback.add(record), runtime.settings.api_timeout_s)
    return FeedbackReceipt(
        feedback_id=stored.feedback_id,
        answer_id=stored.answer_id,
        rating=stored.rating,
        created_at=stored.created_at,
    )
