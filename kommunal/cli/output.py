"""What every command shares: the consoles, ``--json`` output, exit codes and failing with a message.

Exit codes: 0 success; 1 some input files failed (ingest) or nothing was found to act on;
2 wrong usage; 3 the index is locked or unavailable; 4 configuration error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from assistant.errors import AssistantError, ConfigError, IndexUnavailableError

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails

out = Console()
"""Results (stdout)."""
err = Console(stderr=True)
"""Messages, warnings and progress (stderr), so that stdout stays parseable."""

JsonOpt = Annotated[bool, typer.Option("--json", help="Eine JSON-Ausgabe für Maschinen.")]

EXIT_FAILED_INPUT = 1
EXIT_USAGE = 2
EXIT_INDEX = 3
EXIT_CONFIG = 4


def emit_json(data: Any) -> None:
    """Print exactly one JSON document on stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def exit_code(exc: AssistantError) -> int:
    """The documented exit code for an error (see the module docstring)."""
    if isinstance(exc, ConfigError):
        return EXIT_CONFIG
    if isinstance(exc, IndexUnavailableError):
        return EXIT_INDEX
    return EXIT_FAILED_INPUT


def field_message(error: ErrorDetails, labels: Mapping[str, str] | None = None) -> str:
    """One pydantic validation error as ``field: German message``; ``labels`` names fields as the
    user typed them (``{"doc_type": "--doc-type"}``). Our validators already speak German."""
    field = ".".join(str(part) for part in error["loc"])
    return f"{(labels or {}).get(field, field)}: {error['msg'].removeprefix('Value error, ')}"


def fail(exc: AssistantError, as_json: bool) -> typer.Exit:
    """Report ``exc`` (German message, or a JSON error document) and return the exit to raise."""
    code = exit_code(exc)
    if as_json:
        emit_json({"error": {"code": exc.code, "message": str(exc)}})
    else:
        # Messages quote user input (no markup); soft_wrap keeps their lines whole in logs.
        err.print(f"[bold red]Fehler:[/] {escape(str(exc))}", soft_wrap=True)
    return typer.Exit(code)
