"""CLI commands of the HTTP API: ``serve`` and ``keys create|list|revoke``.

Registered on the main app by :mod:`assistant.cli`; exit codes as there (0 ok, 1 key not
found, 3 index locked or unreachable, 4 configuration).
"""

from __future__ import annotations

from typing import Annotated

import typer

keys_app = typer.Typer(no_args_is_help=True, help="API-Schlüssel anlegen, auflisten und widerrufen.")

JsonOpt = Annotated[bool, typer.Option("--json", help="Eine JSON-Ausgabe für Maschinen.")]


def register(app: typer.Typer) -> None:
    """Add ``serve`` and ``keys`` to ``app``."""
    app.command("serve")(serve)
    app.add_typer(keys_app, name="keys")


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

    from assistant.cli import _fail, get_settings
    from assistant.errors import ConfigError

    settings = get_settings()
    if workers > 1 and not settings.chroma_url:
        raise _fail(
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
        uvicorn.run("assistant.api:create_app", factory=True, workers=workers, **options)
        return
    from assistant.api import create_app

    uvicorn.run(create_app(settings), **options)


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option("--name", help="Wer den Schlüssel nutzt (eindeutig).")],
    role: Annotated[str, typer.Option("--role", help="reader, editor oder admin.")] = "reader",
    doc_set: Annotated[
        list[str] | None, typer.Option("--set", help="Erlaubte Dokumentmenge (mehrfach angeben).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Einen API-Schlüssel anlegen. Der Schlüssel wird nur jetzt angezeigt."""
    from assistant.api.keys import KeyStore
    from assistant.cli import _emit_json, _fail, err, get_settings, out
    from assistant.errors import AssistantError

    try:
        record, token = KeyStore(get_settings().api_keys_path).create(name, role, doc_set)  # type: ignore[arg-type]
    except AssistantError as exc:
        raise _fail(exc, as_json) from exc
    if as_json:
        _emit_json({**record.model_dump(), "api_key": token})
        return
    out.print(token, highlight=False)
    sets = ", ".join(record.doc_sets) or "keine (nur Admins sehen alles)"
    err.print(f"Schlüssel „{record.name}“ ({record.role}; Mengen: {sets}) angelegt. Jetzt sicher ablegen.")


@keys_app.command("list")
def keys_list(as_json: JsonOpt = False) -> None:
    """Alle API-Schlüssel (ohne Geheimnis)."""
    from rich.table import Table

    from assistant.api.keys import KeyStore
    from assistant.cli import _emit_json, get_settings, out

    keys = KeyStore(get_settings().api_keys_path).list()
    if as_json:
        _emit_json([k.model_dump() for k in keys])
        return
    table = Table(title=f"{len(keys)} API-Schlüssel")
    for column in ("Name", "ID", "Rolle", "Mengen", "angelegt", "widerrufen"):
        table.add_column(column)
    for k in keys:
        table.add_row(k.name, k.key_id, k.role, ", ".join(k.doc_sets), k.created_at, k.revoked_at or "")
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(
    name: Annotated[str, typer.Argument(help="Name oder ID des Schlüssels.")], as_json: JsonOpt = False
) -> None:
    """Einen API-Schlüssel widerrufen; er gilt ab der nächsten Anfrage nicht mehr."""
    from assistant.api.keys import KeyStore
    from assistant.cli import _emit_json, _fail, get_settings, out
    from assistant.errors import AssistantError

    try:
        record = KeyStore(get_settings().api_keys_path).revoke(name)
    except AssistantError as exc:
        raise _fail(exc, as_json) from exc
    if as_json:
        _emit_json(record.model_dump())
    else:
        out.print(f"Schlüssel „{record.name}“ widerrufen ({record.revoked_at}).")
