"""HTTP mode: the Events API, interactivity and slash commands as one FastAPI route.

``POST /slack/events`` takes every kind of request Slack sends (events, button clicks, modal
submissions, slash commands); bolt verifies ``X-Slack-Signature`` and the timestamp (older
than 5 minutes → 401) before anything else happens. ``create_app`` in ``kommunal/api``
includes this router when ``ASSISTANT_SLACK_SIGNING_SECRET`` is set; ``kommunal-assistant
slack --http`` serves it alone.
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool

from assistant.config import Settings
from assistant.errors import ConfigError
from bots.slack.app import create_slack_app
from bots.slack.assistant_access import AssistantProvider

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1_000_000
"""Slack's payloads are a few kilobytes; anything this large is not from Slack."""


def slack_router(settings: Settings, assistant_provider: AssistantProvider) -> APIRouter:
    """An ``APIRouter`` with ``POST /slack/events`` served by the bot's bolt app."""
    if settings.slack_signing_secret is None:
        raise ConfigError(
            "ASSISTANT_SLACK_SIGNING_SECRET fehlt: ohne Signing Secret können Slack-Anfragen nicht "
            "geprüft werden (siehe docs/slack.md)."
        )
    bolt_app = create_slack_app(settings, assistant_provider)
    router = APIRouter(tags=["slack"])

    @router.post(EVENTS_PATH, include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        body = bytearray()
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_BODY_BYTES:
                return JSONResponse({"detail": "Anfrage zu groß."}, status_code=413)
        # dispatch() is synchronous (signature check, middleware, ack listeners): keep it off the loop.
        bolt_response = await run_in_threadpool(bolt_app.dispatch, to_bolt_request(request, bytes(body)))
        return to_starlette_response(bolt_response)

    return router
