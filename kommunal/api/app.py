"""The FastAPI application: routes under /api/v1, the OpenAI-compatible /v1, limits and errors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from assistant import __version__
from assistant.config import Settings, get_settings
from assistant.errors import AssistantError
from kommunal.api.docs_assets import install_docs
from kommunal.api.frontend_users import MappingFile
from kommunal.api.headers import SecurityHeadersMiddleware
from kommunal.api.limits import BodySizeLimitMiddleware
from kommunal.api.metrics import index_size, start_metrics_port
from kommunal.api.problems import install_handlers
from kommunal.api.request_log import RequestLogMiddleware
from kommunal.api.routes import ask, documents, feedback, health, metrics, openai_compat
from kommunal.api.runtime import Runtime

log = logging.getLogger("kommunal.api")

API_PREFIX = "/api/v1"
DESCRIPTION = """Wissensassistent für die Digitale Agenda: Fragen mit Quellen beantworten, Passagen
suchen, Abschnitte entwerfen und Dokumente verwalten.

Anmeldung mit einem API-Schlüssel (`X-API-Key: …` oder `Authorization: Bearer …`), erzeugt mit
`kommunal-assistant keys create`. Rollen: reader (Fragen, Suche, Entwürfe, Rückmeldungen),
editor (+ Dokumente), admin (alles). Jeder Schlüssel sieht nur die ihm erlaubten Dokumentmengen.
Fehler kommen als Problem-JSON mit deutschem `detail`."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API for ``settings`` (default: from the environment). Opens the index on first use."""
    settings = settings or get_settings()
    runtime = Runtime(settings)
    frontend_users = MappingFile(settings.frontend_users_file)
    frontend_users.current()  # a broken mapping file stops the start with its German message

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:  # open early so the first question is fast; failures show in /ready and as 503
            await run_in_threadpool(runtime.assistant)
        except AssistantError as exc:
            log.error("index not available at startup: %s", exc)
        stop_metrics_port = start_metrics_port(runtime)
        try:
            yield
        finally:
            stop_metrics_port()
            runtime.close()

    app = FastAPI(
        title="Kommunal-Assistent API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # FastAPI's pages load from a CDN; install_docs serves them locally
        redoc_url=None,
    )
    install_docs(app)
    app.state.runtime = runtime
    app.state.frontend_users = frontend_users
    install_handlers(app)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=int(settings.api_max_body_mb * 1024 * 1024))
    if settings.api_cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api_cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
        )
    app.add_middleware(SecurityHeadersMiddleware)  # outermost: 413s and CORS answers get them too
    app.add_middleware(RequestLogMiddleware, metrics=runtime.metrics)  # times and counts all of it
    for module in (health, ask, feedback, documents):
        app.include_router(module.router, prefix=API_PREFIX)
    _include_drafts(app)
    app.include_router(openai_compat.router, prefix="/v1")
    app.include_router(metrics.router)
    runtime.metrics.watch_index(lambda: index_size(runtime))
    _include_slack(app, runtime)
    return app


def _include_drafts(app: FastAPI) -> None:
    """The drafts routes, once the drafting package (issue 5) provides them."""
    try:
        from kommunal.api.routes import drafts
    except ImportError as exc:
        log.info("drafts endpoint not available: %s", exc)
        return
    app.include_router(drafts.router, prefix=API_PREFIX)


def _include_slack(app: FastAPI, runtime: Runtime) -> None:
    """Slack's Events API route (HTTP mode) when a signing secret is configured."""
    if not runtime.settings.slack_signing_secret:
        return
    try:
        from bots.slack.http_mode import slack_router
    except ImportError as exc:
        log.warning("ASSISTANT_SLACK_SIGNING_SECRET is set but the Slack bot is not installed: %s", exc)
        return
    app.include_router(slack_router(runtime.settings, runtime.assistant))
