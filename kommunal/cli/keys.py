"""``keys create|list|revoke``: the HTTP API's keys (exit 1 when a key is not found)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from assistant.config import get_settings
from kommunal.cli.output import JsonOpt, emit_json, err, fail, out

keys_app = typer.Typer(no_args_is_help=True, help="API-Schlüssel anlegen, auflisten und widerrufen.")


def register(app: typer.Typer) -> None:
    """Add ``keys`` to ``app``."""
    app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option("--name", help="Wer den Schlüssel nutzt (eindeutig).")],
    role: Annotated[str, typer.Option("--role", help="reader, editor oder admin.")] = "reader",
    doc_set: Annotated[
        list[str] | None, typer.Option("--set", help="Erlaubte Dokumentmenge (mehrfach angeben).")
    ] = None,
    frontend: Annotated[
        str | None,
        typer.Option(
            "--frontend",
            help="Schlüssel eines Chat-Frontends (openwebui): die weitergegebenen Nutzer erhalten "
            "ihre Mengen aus ASSISTANT_FRONTEND_USERS_FILE, höchstens die des Schlüssels.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Einen API-Schlüssel anlegen. Der Schlüssel wird nur jetzt angezeigt."""
    from assistant.errors import AssistantError
    from kommunal.api.keys import KeyStore

    try:
        record, token = KeyStore.for_settings(get_settings()).create(name, role, doc_set, frontend)  # type: ignore[arg-type]
    except AssistantError as exc:
        raise fail(exc, as_json) from exc
    if as_json:
        emit_json({**record.model_dump(), "api_key": token})
        return
    out.print(token, highlight=False)
    sets = ", ".join(record.doc_sets) or "keine (nur Admins sehen alles)"
    kind = f"Frontend-Schlüssel für {record.frontend}" if record.frontend else "Schlüssel"
    err.print(f"{kind} „{record.name}“ ({record.role}; Mengen: {sets}) angelegt. Jetzt sicher ablegen.")


@keys_app.command("list")
def keys_list(as_json: JsonOpt = False) -> None:
    """Alle API-Schlüssel (ohne Geheimnis)."""

    from kommunal.api.keys import KeyStore

    keys = KeyStore.for_settings(get_settings()).list()
    if as_json:
        emit_json([k.model_dump() for k in keys])
        return
    table = Table(title=f"{len(keys)} API-Schlüssel")
    for column in ("Name", "ID", "Rolle", "Mengen", "Frontend", "angelegt", "widerrufen"):
        table.add_column(column)
    for k in keys:
        sets = ", ".join(k.doc_sets)
        table.add_row(k.name, k.key_id, k.role, sets, k.frontend or "", k.created_at, k.revoked_at or "")
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(
    name: Annotated[str, typer.Argument(help="Name oder ID des Schlüssels.")], as_json: JsonOpt = False
) -> None:
    """Einen API-Schlüssel widerrufen; er gilt ab der nächsten Anfrage nicht mehr."""
    from assistant.errors import AssistantError
    from kommunal.api.keys import KeyStore

    try:
        record = KeyStore.for_settings(get_settings()).revoke(name)
    except AssistantError as exc:
        raise fail(exc, as_json) from exc
    if as_json:
        emit_json(record.model_dump())
    else:
        out.print(f"Schlüssel „{record.name}“ widerrufen ({record.revoked_at}).")
