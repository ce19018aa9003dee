"""Drafts of a Digitale-Agenda section: Markdown in JSON, a DOCX download, or progress per part
as server-sent events (:mod:`kommunal.api.routes.drafts_stream`).

Included by ``create_app`` only when :mod:`assistant.drafting` is importable.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, ValidationError

from assistant.drafting import Draft, DraftRequest, parse_request, render_docx
from kommunal.api.access import scoped_filters
from kommunal.api.concurrency import run_blocking
from kommunal.api.deps import Reader, RuntimeDep
from kommunal.api.keys import ApiKey
from kommunal.api.privacy import log_question
from kommunal.api.problems import PROBLEM_RESPONSES, ApiProblem
from kommunal.api.routes.drafts_stream import STREAM_DOC, STREAM_RESPONSES, stream_draft
from kommunal.api.runtime import Runtime
from kommunal.api.sse import EventStreamResponse

router = APIRouter(tags=["Entwürfe"], responses=PROBLEM_RESPONSES)

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_DOCX_CONTENT = {DOCX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}
_DOCX_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": _DOCX_CONTENT,
        "description": "Der Entwurf als JSON oder, mit format=docx, als Word-Datei.",
    }
}
_DOCX_DOWNLOAD: dict[int | str, dict[str, Any]] = {200: {"content": _DOCX_CONTENT}}
FormatQuery = Annotated[
    Literal["json", "docx"], Query(description="json (Markdown und Quellen) oder docx (Word-Datei).")
]


class DraftFromText(BaseModel):
    text: str = Field(
        min_length=1,
        max_length=4000,
        description="Freitext, z. B. „Entwurf Bildung für eine Kleinstadt mit 12.000 Einwohnern, 2 Seiten“ "
        "oder „Kurzes Memo an den Bürgermeister: Sollen wir Smart City top-down oder bottom-up angehen?“.",
    )
    type: str | None = Field(
        default=None,
        max_length=40,
        description="Dokumenttyp erzwingen: handlungsfeld, praeambel, memo, beteiligung, governance, "
        "kapitel (auch Präambel, Leitbild, Entscheidungsvorlage, Beteiligungskonzept …); ohne Angabe "
        "aus dem Text erkannt.",
    )


@router.post("/drafts", response_model=Draft, responses=_DOCX_RESPONSE, summary="Abschnitt entwerfen")
async def draft(
    body: DraftRequest, key: Reader, runtime: RuntimeDep, format: FormatQuery = "json"
) -> Draft | Response:  # noqa: A002
    """A cited draft of one section (Handlungsfeld or free topic) for a municipality profile."""
    return await _draft(runtime, key, body, format)


@router.post(
    "/drafts/from-text",
    response_model=Draft,
    responses=_DOCX_RESPONSE,
    summary="Abschnitt aus Freitext entwerfen",
)
async def draft_from_text(
    body: DraftFromText,
    key: Reader,
    runtime: RuntimeDep,
    format: FormatQuery = "json",  # noqa: A002
) -> Draft | Response:
    """Like ``/drafts``, with type, section, profile, length and form read from a German free-text
    request; every request with content is drafted (its question is the topic when it names no section)."""
    log_question(runtime.settings, "drafts/from-text", key.name, body.text)
    return await _draft(runtime, key, parse_request(body.text, body.type), format)


def _stream_route(path: str, summary: str) -> Any:
    """``router.post`` for a route that streams a draft's progress (documented once, in STREAM_DOC)."""
    return router.post(
        path,
        response_class=EventStreamResponse,
        summary=summary + ", Fortschritt je Teil als Server-Sent Events",
        description=STREAM_DOC,
        responses=STREAM_RESPONSES,
    )


@_stream_route("/drafts/stream", "Abschnitt entwerfen")
async def draft_stream(
    body: DraftRequest, key: Reader, runtime: RuntimeDep, request: Request
) -> EventStreamResponse:
    return await stream_draft(request, runtime, key, _printable(body))


@_stream_route("/drafts/from-text/stream", "Abschnitt aus Freitext entwerfen")
async def draft_from_text_stream(
    body: DraftFromText, key: Reader, runtime: RuntimeDep, request: Request
) -> EventStreamResponse:
    log_question(runtime.settings, "drafts/from-text/stream", key.name, body.text)
    return await stream_draft(request, runtime, key, _printable(parse_request(body.text, body.type)))


@router.get(
    "/drafts/{draft_id}/docx",
    response_class=Response,
    responses=_DOCX_DOWNLOAD,
    summary="Entwurf als Word-Datei herunterladen",
)
async def draft_docx(
    draft_id: Annotated[str, Path(max_length=100)], key: Reader, runtime: RuntimeDep
) -> Response:
    """The DOCX of a draft this key created recently (kept in this process's memory)."""
    stored = runtime.drafts.get(draft_id, key.owner)
    if not isinstance(stored, Draft):
        raise ApiProblem(
            404,
            "not_found",
            f"Kein Entwurf „{draft_id}“ (mehr) vorhanden. Entwürfe werden nur kurz vorgehalten; "
            "alternativ POST /api/v1/drafts?format=docx verwenden.",
        )
    return _docx(stored, runtime)


async def _draft(runtime: Runtime, key: ApiKey, request: DraftRequest, format: str) -> Draft | Response:  # noqa: A002
    filters = scoped_filters(key)
    request = _printable(request)

    def work() -> Draft:
        with runtime.reading() as assistant:
            return assistant.draft(request, filters)

    result = await run_blocking(work, runtime.settings.api_timeout_s)
    runtime.drafts.put(result.draft_id, key.owner, result)
    return _docx(result, runtime) if format == "docx" else result


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _printable(request: DraftRequest) -> DraftRequest:
    """The request without control characters: they end up in the title, which DOCX (XML) cannot hold."""
    try:
        return DraftRequest.model_validate(_clean(request.model_dump()))
    except ValidationError as exc:
        message = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise ApiProblem(422, "invalid_request", f"Ungültige Eingabe: {message}") from exc


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return _CONTROL.sub(" ", value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _docx(result: Draft, runtime: Runtime) -> Response:
    return Response(
        render_docx(result, template=runtime.settings.docx_template),
        media_type=DOCX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="entwurf-{result.draft_id}.docx"'},
    )
