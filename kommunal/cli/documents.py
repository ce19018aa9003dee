"""``status``, ``documents list|remove`` and ``feedback export``: what is in the index."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from assistant.config import get_settings
from kommunal.cli.output import JsonOpt, emit_json, err, out
from kommunal.cli.session import with_assistant

documents_app = typer.Typer(no_args_is_help=True, help="Dokumente im Index auflisten und entfernen.")
feedback_app = typer.Typer(no_args_is_help=True, help="Rückmeldungen (👍/👎) auswerten.")


def register(app: typer.Typer) -> None:
    """Add ``status``, ``documents`` and ``feedback`` to ``app``."""
    app.command("status")(status)
    app.add_typer(documents_app, name="documents")
    app.add_typer(feedback_app, name="feedback")


def status(as_json: JsonOpt = False) -> None:
    """Zustand des Index: Dokumente, Abschnitte, Vektoren, Modell."""
    info = with_assistant("status", as_json, lambda assistant: assistant.index.status())
    if as_json:
        emit_json(info)
        return
    for key, value in info.items():
        out.print(f"{key}: {value}")


@documents_app.command("list")
def documents_list(as_json: JsonOpt = False) -> None:
    """Alle eingelesenen Dokumente."""
    docs = with_assistant("documents list", as_json, lambda assistant: assistant.index.documents())
    if as_json:
        emit_json([d.model_dump() for d in docs])
        return
    table = Table(title=f"{len(docs)} Dokumente")
    for column in ("doc_id", "Titel", "Typ", "Abschnitte", "Mengen", "Hinweise"):
        table.add_column(column)
    for d in docs:
        table.add_row(
            d.doc_id, d.title, d.doc_type, str(d.chunk_count), ", ".join(d.doc_sets), str(len(d.warnings))
        )
    out.print(table)


@documents_app.command("remove")
def documents_remove(
    doc_id: Annotated[str, typer.Argument(help="doc_id aus 'documents list'.")], as_json: JsonOpt = False
) -> None:
    """Ein Dokument und alle seine Abschnitte aus dem Index entfernen."""
    from ingestion.library import DocumentLibrary

    removed = with_assistant(
        "documents remove",
        as_json,
        lambda assistant: DocumentLibrary(assistant.index, assistant.settings).remove(doc_id),
        write=True,
    )
    if as_json:
        emit_json({"doc_id": doc_id, "removed_chunks": removed})
    else:
        out.print(f"Dokument {doc_id} entfernt ({removed} Abschnitte).")


@feedback_app.command("export")
def feedback_export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="JSONL-Datei; ohne Angabe auf stdout.")
    ] = None,
) -> None:
    """Negative Rückmeldungen als Kandidaten für Eval-Fälle exportieren (JSONL, zur Prüfung)."""
    from assistant.feedback import FeedbackStore

    cases = FeedbackStore.for_settings(get_settings()).candidate_cases()
    lines = "".join(json.dumps(case, ensure_ascii=False) + "\n" for case in cases)
    if output is None:
        sys.stdout.write(lines)
        return
    output.write_text(lines, encoding="utf-8")
    err.print(f"{len(cases)} Kandidaten nach {output} geschrieben (vor Aufnahme prüfen: needs_review).")
