"""Errors as JSON problem bodies (RFC 9457 style), with German ``detail`` texts.

The one place where the core's :class:`~assistant.errors.AssistantError` hierarchy becomes
HTTP status codes. Routes under ``/v1/`` (the OpenAI-compatible surface) answer in OpenAI's
error shape instead, because that is what chat front ends display.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant.errors import (
    AssistantError,
    ConfigError,
    DocumentError,
    IndexUnavailableError,
    InvalidRequestError,
    LLMTimeoutError,
    LLMUnavailableError,
    NotFoundError,
)
from kommunal.api.concurrency import RequestTimeoutError

log = logging.getLogger(__name__)

TITLES = {
    400: "Ungültige Anfrage",
    401: "Nicht angemeldet",
    403: "Keine Berechtigung",
    404: "Nicht gefunden",
    405: "Methode nicht erlaubt",
    413: "Anfrage zu groß",
    415: "Dateityp nicht unterstützt",
    422: "Ungültige Eingabe",
    429: "Zu viele Anfragen",
    500: "Interner Fehler",
    503: "Dienst nicht verfügbar",
    504: "Zeitüberschreitung",
}

# Most specific first: LLMTimeoutError is an LLMUnavailableError.
_STATUS: list[tuple[type[AssistantError], int]] = [
    (LLMTimeoutError, 504),
    (RequestTimeoutError, 504),
    (LLMUnavailableError, 503),
    (IndexUnavailableError, 503),
    (NotFoundError, 404),
    (InvalidRequestError, 422),
    (DocumentError, 422),
    (ConfigError, 400),
]


class Problem(BaseModel):
    """Error body of every /api/v1 route."""

    type: str = "about:blank"
    title: str
    status: int
    code: str = Field(description="Stable machine-readable error code.")
    detail: str = Field(description="What went wrong, in German.")
    errors: list[dict[str, str]] | None = Field(
        default=None, description="Per-field problems of an invalid request."
    )


class OpenAIErrorDetail(BaseModel):
    message: str
    type: str
    code: str | None = None


class OpenAIError(BaseModel):
    """Error body of the OpenAI-compatible /v1 routes."""

    error: OpenAIErrorDetail


class ApiProblem(Exception):
    """Raised by routes and dependencies to answer with a problem body."""

    def __init__(self, status: int, code: str, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers


PROBLEM_MEDIA_TYPE = "application/problem+json"
_PROBLEM_CONTENT = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {
        "model": Problem,
        "content": _PROBLEM_CONTENT,
        "description": "Fehler der Anfrage (Problem-JSON, deutsch).",
    },
    "5XX": {
        "model": Problem,
        "content": _PROBLEM_CONTENT,
        "description": "Abhängigkeit nicht verfügbar oder Zeitüberschreitung.",
    },
}
OPENAI_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": OpenAIError, "description": "Fehler der Anfrage (OpenAI-Fehlerformat)."},
    "5XX": {"model": OpenAIError, "description": "Abhängigkeit nicht verfügbar oder Zeitüberschreitung."},
}


def status_for(error: AssistantError) -> int:
    for cls, status in _STATUS:
        if isinstance(error, cls):
            return status
    return 500


def problem_response(
    request: Request,
    status: int,
    code: str,
    detail: str,
    *,
    headers: Mapping[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> JSONResponse:
    """The JSON error body for ``request``'s surface (problem JSON or OpenAI shape)."""
    if request.url.path.startswith("/v1/"):
        body: dict[str, Any] = OpenAIError(
            error=OpenAIErrorDetail(message=detail, type=code, code=code)
        ).model_dump()
        return JSONResponse(body, status_code=status, headers=headers)
    problem = Problem(
        title=TITLES.get(status, "Fehler"), status=status, code=code, detail=detail, errors=errors
    )
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


def problem_event(error: BaseException) -> dict[str, Any]:
    """A problem as data for an SSE ``error`` event (the status line was sent already)."""
    if isinstance(error, AssistantError):
        status, code, detail = status_for(error), error.code, error.message
    else:
        status, code, detail = 500, "internal_error", "Interner Fehler; die Antwort wurde abgebrochen."
    return Problem(title=TITLES.get(status, "Fehler"), status=status, code=code, detail=detail).model_dump(
        exclude_none=True
    )


_FIELD_MESSAGES = {
    "missing": "Pflichtfeld fehlt.",
    "string_too_short": "Der Text ist zu kurz.",
    "string_too_long": "Der Text ist zu lang.",
    "string_type": "Erwartet wird ein Text.",
    "int_parsing": "Erwartet wird eine ganze Zahl.",
    "int_type": "Erwartet wird eine ganze Zahl.",
    "bool_parsing": "Erwartet wird true oder false.",
    "bool_type": "Erwartet wird true oder false.",
    "greater_than_equal": "Der Wert ist zu klein.",
    "less_than_equal": "Der Wert ist zu groß.",
    "literal_error": "Der Wert ist nicht erlaubt.",
    "list_type": "Erwartet wird eine Liste.",
    "too_short": "Die Liste ist zu kurz.",
    "json_invalid": "Der Anfragetext ist kein gültiges JSON.",
    "model_attributes_type": "Erwartet wird ein JSON-Objekt.",
    "dict_type": "Erwartet wird ein JSON-Objekt.",
}


def _field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    out = []
    for error in exc.errors():
        location = ".".join(str(part) for part in error.get("loc", ()) if part != "body") or "body"
        message = _FIELD_MESSAGES.get(str(error.get("type")))
        if message is None:  # our own validators already speak German ("Value error, …")
            message = str(error.get("msg", "")).removeprefix("Value error, ")
        out.append({"field": location, "message": message})
    return out


def install_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every error into a JSON body."""

    @app.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(request, exc.status, exc.code, exc.detail, headers=exc.headers)

    @app.exception_handler(AssistantError)
    async def _assistant_error(request: Request, exc: AssistantError) -> JSONResponse:
        status = status_for(exc)
        if status >= 500:
            log.warning("request failed: path=%s code=%s", request.url.path, exc.code)
        return problem_response(request, status, exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_errors(exc)
        first = errors[0] if errors else {"field": "body", "message": "ungültig"}
        detail = f"Ungültige Eingabe im Feld „{first['field']}“: {first['message']}"
        return problem_response(request, 422, "invalid_request", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = _http_detail(request, exc)
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return problem_response(request, exc.status_code, code, detail, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error: path=%s", request.url.path)
        # Starlette sends this from its outermost middleware, past SecurityHeadersMiddleware.
        return problem_response(
            request,
            500,
            "internal_error",
            "Interner Fehler. Bitte später erneut versuchen.",
            headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
        )


def _http_detail(request: Request, exc: StarletteHTTPException) -> str:
    if exc.status_code == 404:
        return f"Den Pfad {request.url.path} gibt es nicht. Übersicht: /docs"
    if exc.status_code == 405:
        return f"Die Methode {request.method} ist für {request.url.path} nicht erlaubt."
    return str(exc.detail)
