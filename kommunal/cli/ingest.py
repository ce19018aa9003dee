"""``ingest``: read files and folders into the index, with a report per file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from assistant.errors import NotFoundError
from assistant.progress import as_started
from assistant.service import Assistant
from kommunal.cli.output import EXIT_FAILED_INPUT, JsonOpt, emit_json, fail, out
from kommunal.cli.progress import progress_bar
from kommunal.cli.session import with_assistant

if TYPE_CHECKING:
    from ingestion.report import IngestReport


def register(app: typer.Typer) -> None:
    """Add ``ingest`` to ``app``."""
    app.command("ingest")(ingest)


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Dateien oder Ordner mit Dokumenten.")],
    prune: Annotated[
        bool, typer.Option("--prune", help="Dokumente entfernen, deren Dateien fehlen.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Dokumente einlesen (inkrementell: unveränderte Dateien werden übersprungen)."""
    from ingestion.library import DocumentLibrary

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise fail(NotFoundError(f"Pfad nicht gefunden: {', '.join(missing)}"), as_json)

    def work(assistant: Assistant) -> IngestReport:
        library = DocumentLibrary(assistant.index, assistant.settings)
        with progress_bar("Einlesen", as_json=as_json) as progress:
            return library.ingest(paths, prune=prune, progress=as_started(progress))

    report = with_assistant("ingest", as_json, work, write=True)
    if as_json:
        emit_json(report.to_json_dict())
    else:
        print_report(report)
    if report.failed:
        raise typer.Exit(EXIT_FAILED_INPUT)


_STYLE = {"ok": "green", "unchanged": "dim", "failed": "red", "removed": "yellow", "skipped": "yellow"}
_LABEL = {
    "ok": "eingelesen",
    "unchanged": "unverändert",
    "failed": "fehlgeschlagen",
    "removed": "entfernt",
    "skipped": "übersprungen",
}


def print_report(report: IngestReport) -> None:
    """The ingest report as a table and a line of totals."""
    from ingestion.report import printable

    table = Table(title="Einlesen")
    for column in ("Datei", "Status", "Abschnitte", "Embeddings", "Hinweis"):
        table.add_column(column)
    for f in report.files:
        note = escape(printable(f.reason or "; ".join(f.warnings)))
        table.add_row(
            escape(printable(f.path)),
            f"[{_STYLE[f.status]}]{_LABEL[f.status]}[/]",
            str(f.chunks),
            str(f.embeddings_computed),
            note,
        )
    out.print(table)
    totals = report.totals()
    out.print(
        f"{totals['ok']} eingelesen, {totals['unchanged']} unverändert, {totals['failed']} fehlgeschlagen, "
        f"{totals['removed']} entfernt, {totals['skipped']} übersprungen; "
        f"{report.chunks_written} Abschnitte geschrieben, "
        f"{report.embeddings_computed} Embeddings berechnet, {report.seconds:.1f} s"
    )
