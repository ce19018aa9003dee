"""``serve``: start the HTTP API (exit 4 when the configuration does not allow it)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import typer


def register(app: typer.Typer) -> None:
    """Add ``serve`` to ``app``."""
    app.command("serve")(serve)


KEEP_ALIVE_S = 75


def serve(
    host: Annotated[str, typer.Option(help="Adresse, an der der Server lauscht.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP-Port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(min=1, help="Prozesse; mehr als einer nur mit Chroma-Server (ASSISTANT_CHROMA_URL)."),
    ] = 1,
    log_level: Annotated[
        Literal["debug", "info", "warning", "error"],
        typer.Option(help="Stufe der uvicorn-Protokolle (die eigenen: ASSISTANT_LOG_LEVEL, -v)."),
    ] = "info",
) -> None:
    """Die HTTP-API starten (OpenAPI-Dokumentation unter /docs)."""
    import uvicorn

    from assistant.config import get_settings
    from assistant.errors import ConfigError
    from assistant.logging_setup import active_config
    from kommunal.cli.output import fail

    settings = get_settings()
    if workers > 1 and not settings.chroma_url:
        raise fail(
            ConfigError(
                "Mehrere Worker brauchen einen Chroma-Server (ASSISTANT_CHROMA_URL); ein eingebetteter "
                "Index gehört genau einem Prozess."
            ),
            False,
        )
    if workers > 1 and settings.metrics_port:
        raise fail(
            ConfigError(
                "ASSISTANT_METRICS_PORT geht nur mit einem Worker: jeder Prozess zählt für sich, und nur "
                "einer könnte den Port belegen. Mit mehreren Workern /metrics mit Admin-Schlüssel abfragen."
            ),
            False,
        )
    # Keep idle connections open longer than clients and proxies do (httpx and many proxies drop
    # theirs after 5 s, uvicorn's default is also 5 s): with equal timeouts a client can send on a
    # connection the server is closing at that moment, which the client sees as a reset.
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": log_level,
        "timeout_keep_alive": KEEP_ALIVE_S,
        # The format chosen by --log-format / ASSISTANT_LOG_FORMAT, in every worker process too;
        # the API writes its own access line (kommunal/api/request_log.py), with route and key.
        "log_config": active_config(),
        "access_log": False,
    }
    if workers > 1:
        uvicorn.run("kommunal.api:create_app", factory=True, workers=workers, **options)
        return
    from kommunal.api import create_app

    uvicorn.run(create_app(settings), **options)
