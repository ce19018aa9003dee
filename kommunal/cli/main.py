"""Command-line interface: ``python -m assistant``, ``python -m kommunal`` or ``kommunal-assistant``.

Every command that returns results takes ``--json`` and then prints exactly one JSON
document on stdout; exit codes are documented in :mod:`kommunal.cli.output`. Command groups
live in their own modules and register on :data:`app` through :data:`BUILTIN_COMMANDS`, the
one list built-in commands (the eval and Slack commands of the evals and bots packages
included) go through.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

import typer
from typer.core import TyperGroup

from assistant.config import Settings, get_settings
from assistant.errors import AssistantError
from kommunal.cli.output import fail


class _Commands(TyperGroup):
    """The command group: an AssistantError no command caught (above all the ConfigError of
    ``get_settings()``, which every command calls) ends with its message and exit code, for
    every command in one place; ``--help`` keeps working with a broken configuration."""

    def invoke(self, ctx: Any) -> Any:  # typer's own (vendored) click.Context
        as_json = "--json" in ctx.args  # the subcommand's arguments, not parsed yet
        try:
            return super().invoke(ctx)
        except AssistantError as exc:
            raise fail(exc, as_json) from exc


app = typer.Typer(
    cls=_Commands,
    add_completion=False,
    no_args_is_help=True,
    help="Wissensassistent für die Digitale Agenda.",
)


def _print_version(value: bool) -> None:
    if value:
        from assistant import __version__

        typer.echo(__version__)
        raise typer.Exit()


SERVICES = ("serve", "slack")
"""Commands that run until stopped: they log at INFO unless ASSISTANT_LOG_LEVEL says otherwise."""


@app.callback()
def _main(
    ctx: typer.Context,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Ausführliches Protokoll.")] = False,
    log_format: Annotated[
        Literal["text", "json"] | None,
        typer.Option(
            "--log-format",
            help="Protokoll auf stderr: text oder json (eine JSON-Zeile je Eintrag; ASSISTANT_LOG_FORMAT).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Version anzeigen und beenden."
        ),
    ] = False,
) -> None:
    from assistant.logging_setup import configure_logging, level_for

    settings = _settings_or_none()
    level = level_for(
        settings.log_level if settings else None,
        verbose=verbose,
        service=ctx.invoked_subcommand in SERVICES,
    )
    configure_logging(level, log_format or (settings.log_format if settings else "text"))


def _settings_or_none() -> Settings | None:
    """The settings, or None when they are invalid: the command reports that itself (and
    ``--help`` must keep working), logging then starts with its defaults."""
    try:
        return get_settings()
    except AssistantError:
        return None


def _builtin_commands() -> list[Callable[[typer.Typer], None]]:
    from bots.slack.cli import register as slack
    from evals.cli import register as evals
    from kommunal.cli import documents, drafts, ingest, keys, maintenance, query, serve

    return [
        ingest.register,
        query.register,
        drafts.register,
        documents.register,
        maintenance.register,
        serve.register,
        keys.register,
        evals,
        slack,
    ]


BUILTIN_COMMANDS = _builtin_commands()
"""``register(app)`` of every command group, in the order ``--help`` lists them."""

for _register in BUILTIN_COMMANDS:
    _register(app)


def main() -> None:
    """Console-script entry point."""
    app()
