"""``kommunal-assistant slack``: start the bot in Socket Mode, or in HTTP mode with ``--http``.

Registered in ``kommunal/cli/main.py`` like ``eval``; the core does not depend on the bots package.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from assistant.config import Settings, get_settings
from assistant.errors import AssistantError

log = logging.getLogger(__name__)


def slack_command(
    http: Annotated[
        bool, typer.Option("--http", help="HTTP-Modus: Events API unter /slack/events statt Socket Mode.")
    ] = False,
    host: Annotated[str, typer.Option(help="Adresse für den HTTP-Modus.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port für den HTTP-Modus.")] = 3000,
) -> None:
    """Den Slack-Bot starten (Socket Mode; mit --http als Events-API-Endpunkt)."""
    from kommunal.cli.output import fail

    try:
        run(get_settings(), http=http, host=host, port=port)
    except AssistantError as exc:
        raise fail(exc, as_json=False) from exc


def register(app: typer.Typer) -> None:
    """Add ``slack`` to the main command line."""
    app.command("slack")(slack_command)


def run(settings: Settings, *, http: bool, host: str = "127.0.0.1", port: int = 3000) -> None:
    """Open the index, then serve Slack until interrupted."""
    from bots.slack.assistant_access import SharedAssistant

    provider = SharedAssistant(settings)
    try:
        # Configuration first (tokens, channel file), then the index: both fail before Slack connects.
        if http:
            import uvicorn
            from fastapi import FastAPI

            from assistant.logging_setup import active_config
            from bots.slack.http_mode import slack_router

            api = FastAPI(title="Kommunal-Assistent Slack", docs_url=None, redoc_url=None, openapi_url=None)
            api.include_router(slack_router(settings, provider))
            provider()
            log.info("slack bot serving the Events API on http://%s:%d/slack/events", host, port)
            # The format and level chosen for the command line (kommunal/cli/main.py) for uvicorn too.
            uvicorn.run(api, host=host, port=port, log_level="info", log_config=active_config())
        else:
            from bots.slack.socket_mode import socket_mode_handler

            handler = socket_mode_handler(settings, provider)
            provider()
            log.info("slack bot connecting in Socket Mode")
            handler.start()
    finally:
        provider.close()
