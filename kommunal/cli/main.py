"""Command-line interface: ``python -m assistant``, ``python -m kommunal`` or ``kommunal-assistant``.

Every command that returns results takes ``--json`` and then prints exactly one JSON
document on stdout; exit codes are documented in :mod:`kommunal.cli.output`. Command groups
live in their own modules and register on :data:`app` through :data:`BUILTIN_COMMANDS`, the
one list built-in commands (the eval and Slack commands of the evals and bots packages
included) go through.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any

import click
import typer
from typer.core import TyperGroup

from assistant.errors import AssistantError
from kommunal.cli.output import fail


class _Commands(TyperGroup):
    """The command group: an AssistantError no command caught (above all the ConfigError of
    ``get_settings()``, which every command calls) ends with its message and exit code, for
    every command in one place; ``--help`` keeps working with a broken configuration."""

    def invoke(self, ctx: click.Context) -> Any:
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


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Ausführliches Protokoll.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Version anzeigen und beenden."
        ),
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


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
