"""``serve``: start the HTTP API (exit 4 when the configuration does not allow it)."""

from __future__ import annotations

from typing import Annotated

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
    log_level: Annotated[str, typer.Option(help="debug, info, warning oder error.")] = "info",
) -> None:
    """Die HTTP-API starten (OpenAPI-Dokumentation unter /docs)."""
    import uvicorn

    from assistant.config import get_settings
    from assistant.errors import ConfigError
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
    # Keep idle connections open longer than clients and proxies do (httpx and many proxies drop
    # theirs after 5 s, uvicorn's default is also 5 s): with equal timeouts a client can send on a
    # connection the server is closing at that moment, which the client sees as a reset.
    options = {"host": host, "port": port, "log_level": log_level, "timeout_keep_alive": KEEP_ALIVE_S}
    if workers > 1:
        uvicorn.run("kommunal.api:create_app", factory=True, workers=workers, **options)
        return
    from kommunal.api import create_app

    uvicorn.run(create_app(settings), **options)
