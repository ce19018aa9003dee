"""``draft``: a cited section of a Digitale Agenda, printed as Markdown or saved as DOCX/ODT/Markdown."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from assistant.config import get_settings
from kommunal.cli.draft_request import build_request
from kommunal.cli.filters import DocSetOpt, MunicipalityOpt, search_filters
from kommunal.cli.output import JsonOpt, emit_json, err, out
from kommunal.cli.session import with_assistant


def register(app: typer.Typer) -> None:
    """Add ``draft`` to ``app``."""
    app.command("draft")(draft)


def draft(
    section: Annotated[
        str | None,
        typer.Option("--section", help="Handlungsfeld (Name oder Kürzel) oder Thema des Abschnitts."),
    ] = None,
    topic: Annotated[
        str | None,
        typer.Option(
            "--topic",
            help="Anfrage in freiem Text, z. B. „Entwurf für den Abschnitt Digitale Souveränität, "
            "Kleinstadt mit 20.000 Einwohnern, ca. eine Seite“.",
        ),
    ] = None,
    doc_type: Annotated[
        str | None,
        typer.Option(
            "--type",
            help="Dokumenttyp erzwingen: handlungsfeld, praeambel, memo, beteiligung, governance, kapitel "
            "(auch Präambel, Leitbild, Entscheidungsvorlage …); ohne Angabe aus der Anfrage erkannt.",
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Name der Kommune.")] = None,
    inhabitants: Annotated[int | None, typer.Option("--inhabitants", min=1, help="Einwohnerzahl.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Stadt, Gemeinde, Landkreis, Region (oder Kleinstadt …).")
    ] = None,
    length: Annotated[
        str | None, typer.Option("--length", help="Umfang: kurz, eine Seite, 2 Seiten … (Standard: 1 Seite).")
    ] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Lokale Hinweise und Schwerpunkte.")] = None,
    docx: Annotated[Path | None, typer.Option("--docx", help="Entwurf als Word-Datei speichern.")] = None,
    markdown: Annotated[Path | None, typer.Option("--markdown", help="Entwurf als Markdown speichern.")] = (
        None
    ),
    odt: Annotated[Path | None, typer.Option("--odt", help="Entwurf als ODT-Datei speichern.")] = None,
    municipality: MunicipalityOpt = None,
    doc_set: DocSetOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Einen Abschnitt der Digitalen Agenda entwerfen: gegliedert, jede Aussage mit Quelle."""
    request = build_request(section, topic, name, inhabitants, kind, length, notes, doc_type=doc_type)
    result = with_assistant(
        "draft",
        as_json,
        lambda assistant: assistant.draft(request, search_filters(None, None, municipality, doc_set)),
    )
    from functools import partial

    from assistant.drafting import render_docx, render_odt

    files: dict[str, str] = {}
    docx_in_template = partial(render_docx, template=get_settings().docx_template)
    for path, content in ((docx, docx_in_template), (odt, render_odt)):
        if path is not None:
            path.write_bytes(content(result))
            files[path.suffix.lstrip(".") or "datei"] = str(path)
    if markdown is not None:
        markdown.write_text(result.markdown, encoding="utf-8")
        files["markdown"] = str(markdown)
    if as_json:
        emit_json({**result.model_dump(), "files": files})
        return
    out.print(result.markdown, highlight=False, markup=False)
    for warning in result.warnings:
        err.print(f"[yellow]Hinweis:[/] {warning}", highlight=False)
    table = Table(title="Abdeckung")
    for column in ("Teil", "Quellen", "Dokumente"):
        table.add_column(column)
    for part in result.coverage.parts:
        style = "red" if part.sources == 0 else "green"
        table.add_row(part.title, f"[{style}]{part.sources}[/]", str(part.documents))
    err.print(table)
    for kind_, path_ in files.items():
        err.print(f"Gespeichert ({kind_}): {path_}")
