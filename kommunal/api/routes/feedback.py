"""Feedback (👍/👎 with comment) on an answer, stored through :mod:`assistant.feedback`."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.feedback import Feedback, FeedbackSource
from kommunal.api.concurrency import run_blocking
from kommunal.api.deps import Reader, RuntimeDep
from kommunal.api.models import FeedbackReceipt, FeedbackRequest
from kommunal.api.problems import PROBLEM_RESPONSES, ApiProblem

router = APIRouter(tags=["Rückmeldungen"], responses=PROBLEM_RESPONSES)


@router.post("/feedback", response_model=FeedbackReceipt, status_code=201, summary="Antwort bewerten")
async def feedback(body: FeedbackRequest, key: Reader, runtime: RuntimeDep) -> FeedbackReceipt:
    """Store a rating of an answer this key received recently from this process.

    Question, answer and sources are stored with it. An unknown answer_id and one that
    belongs to another key get the same 404, so a key cannot probe other keys' answers. Through a
    front-end key the rating is recorded for the forwarded user id (channel ``api:openwebui``).
    """
    answer = runtime.answers.get(body.answer_id, key.owner)
    if answer is None:
        raise ApiProblem(
            404,
            "not_found",
            f"Keine Antwort mit der answer_id „{body.answer_id}“ für diesen Schlüssel. Bewertet werden "
            "können nur Antworten, die dieser Schlüssel kürzlich von diesem Server erhalten hat.",
        )
    record = Feedback(
        answer_id=body.answer_id,
        rating=body.rating,
        comment=body.comment,
        # a front-end user is who rated, not the key all its users share
        channel=f"api:{key.frontend}" if key.user_id else "api",
        user=key.user_id or key.name,
        question=answer.question,
        answer=answer.answer,
        sources=[FeedbackSource(doc_id=s.doc_id, title=s.title, text=s.text) for s in answer.sources],
    )
    stored = await run_blocking(lambda: runtime.feedback.add(record), runtime.settings.api_timeout_s)
    return FeedbackReceipt(
        feedback_id=stored.feedback_id,
        answer_id=stored.answer_id,
        rating=stored.rating,
        created_at=stored.created_at,
    )
