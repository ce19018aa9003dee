"""Command-line interface: ``python -m assistant`` or ``kommunal-assistant``.

Every command that returns results takes ``--json`` and then prints exactly one JSON
document on stdout. Exit codes: 0 success; 1 some input files failed (ingest) or nothing
was found to act on; 2 wrong usage; 3 the index is locked or unavailable; 4 configuration
error.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import click
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from assistant.config import Settings, get_settings
from assistant.errors import AssistantError, ConfigError, IndexUnavailableError, NotFoundError


class _Commands(TyperGroup):
    """The command group: an AssistantError no command caught (above all the ConfigError of
    ``get_settings()``, which every command calls) ends with its message and exit code, for
    every command in one place; ``--help`` keeps working with a broken configuration."""

    def invoke(self, ctx: click.Context) -> Any:
        as_json = "--json" in ctx.args  # the subcommand's arguments, not parsed yet
        try:
            return super().invoke(ctx)
        except AssistantError as exc:
            raise _fail(exc, as_json) from exc


app = typer.Typer(
    cls=_Commands,
    add_completion=False,
    no_args_is_help=True,
    help="Wissensassistent für die Digitale Agenda.",
)
documents_app = typer.Typer(no_args_is_help=True, help="Dokumente im Index auflisten und entfernen.")
app.add_typer(documents_app, name="documents")
feedback_app = typer.Typer(no_args_is_help=True, help="Rückmeldungen (👍/👎) auswerten.")
app.add_typer(feedback_app, name="feedback")

out = Console()
R = TypeVar("R")
err = Console(stderr=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="Eine JSON-Ausgabe für Maschinen.")]
DocTypeOpt = Annotated[str | None, typer.Option(help="guidance, case_study, strategy oder other.")]
HandlungsfeldOpt = Annotated[str | None, typer.Option(help="Handlungsfeld (Kürzel oder Name).")]
MunicipalityOpt = Annotated[str | None, typer.Option(help="Nur Dokumente dieser Kommune.")]
DocSetOpt = Annotated[list[str] | None, typer.Option("--set", help="Erlaubte Dokumentmengen.")]
BatchOpt = Annotated[Path | None, typer.Option(help="JSONL-Datei mit {id, question} je Zeile.")]

EXIT_FAILED_INPUT = 1
EXIT_INDEX = 3
EXIT_CONFIG = 4


def _emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def exit_code(exc: AssistantError) -> int:
    """The documented exit code for an error (see the module docstring)."""
    if isinstance(exc, ConfigError):
        return EXIT_CONFIG
    if isinstance(exc, IndexUnavailableError):
        return EXIT_INDEX
    return EXIT_FAILED_INPUT


def _fail(exc: AssistantError, as_json: bool) -> typer.Exit:
    code = exit_code(exc)
    if as_json:
        _emit_json({"error": {"code": exc.code, "message": str(exc)}})
    else:
        # Messages quote user input (no markup); soft_wrap keeps their lines whole in logs.
        err.print(f"[bold red]Fehler:[/] {escape(str(exc))}", soft_wrap=True)
    return typer.Exit(code)


def _open_index(settings: Settings, *, write: bool, purpose: str):  # noqa: ANN202 - Index
    from assistant.embeddings import create_embedder
    from assistant.index import Index

    return Index(settings, create_embedder(settings), write=write, purpose=purpose)


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


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Dateien oder Ordner mit Dokumenten.")],
    prune: Annotated[
        bool, typer.Option("--prune", help="Dokumente entfernen, deren Dateien fehlen.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Dokumente einlesen (inkrementell: unveränderte Dateien werden übersprungen)."""
    from ingestion.pipeline import Ingestor

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise _fail(NotFoundError(f"Pfad nicht gefunden: {', '.join(missing)}"), as_json)
    settings = get_settings()
    try:
        with _open_index(settings, write=True, purpose="ingest") as index:
            ingestor = Ingestor(index, settings)
            if as_json or not err.is_terminal:
                report = ingestor.run(paths, prune=prune)
            else:
                from rich.progress import Progress

                with Progress(console=err, transient=True) as bar:
                    task = bar.add_task("Einlesen", total=None)

                    def progress(name: str, number: int, total: int) -> None:
                        bar.update(task, total=total, completed=number - 1, description=name[-50:])

                    report = ingestor.run(paths, prune=prune, progress=progress)
    except AssistantError as exc:
        raise _fail(exc, as_json) from exc
    if as_json:
        _emit_json(report.to_json_dict())
    else:
        _print_ingest_report(report)
    if report.failed:
        raise typer.Exit(EXIT_FAILED_INPUT)


def _print_ingest_report(report) -> None:  # noqa: ANN001 - IngestReport
    from rich.markup import escape

    from ingestion.report import printable

    table = Table(title="Einlesen")
    for column in ("Datei", "Status", "Abschnitte", "Embeddings", "Hinweis"):
        table.add_column(column)
    style = {"ok": "green", "unchanged": "dim", "failed": "red", "removed": "yellow", "skipped": "yellow"}
    label = {
        "ok": "eingelesen",
        "unchanged": "unverändert",
        "failed": "fehlgeschlagen",
        "removed": "entfernt",
        "skipped": "übersprungen",
    }
    for f in report.files:
        note = escape(printable(f.reason or "; ".join(f.warnings)))
        table.add_row(
            escape(printable(f.path)),
            f"[{style[f.status]}]{label[f.status]}[/]",
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


def _filters(
    doc_type: str | None, handlungsfeld: str | None, municipality: str | None, doc_set: list[str] | None
):  # noqa: ANN202
    from assistant.types import SearchFilters

    try:
        return SearchFilters(
            doc_type=doc_type,
            handlungsfeld=handlungsfeld,
            municipality=municipality,
            doc_sets=doc_set or None,
        )
    except ValueError as exc:
        raise ConfigError(str(exc).splitlines()[-1] if "\n" in str(exc) else str(exc)) from exc


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="Suchanfrage auf Deutsch.")] = None,
    k: Annotated[int, typer.Option("-k", "--top-k", min=1, max=100, help="Anzahl der Treffer.")] = 5,
    mode: Annotated[str, typer.Option(help="hybrid, dense oder lexical.")] = "hybrid",
    doc_type: DocTypeOpt = None,
    handlungsfeld: HandlungsfeldOpt = None,
    municipality: MunicipalityOpt = None,
    doc_set: DocSetOpt = None,
    batch: BatchOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Passagen zu einer Frage suchen, nach Relevanz geordnet."""
    if (query is None) == (batch is None):
        raise typer.BadParameter("Entweder eine Suchanfrage oder --batch angeben.")
    passages = _each_question(
        "search",
        query,
        batch,
        (doc_type, handlungsfeld, municipality, doc_set),
        lambda assistant, text, filters: assistant.search(text, k, filters, mode),
        lambda passages: {"results": [p.to_result() for p in passages]},
        as_json,
    )
    if passages is None:
        return
    if as_json:
        _emit_json([p.to_result() for p in passages])
        return
    if not passages:
        out.print("Dazu finde ich in den Dokumenten nichts.")
        return
    for rank, p in enumerate(passages, start=1):
        c = p.chunk
        out.print(
            f"[bold]{rank}. {c.title}[/] "
            f"[dim]({c.source}; {c.location or 'ohne Abschnitt'}; Score {p.score:.3f})[/]"
        )
        text = c.text if len(c.text) <= 400 else c.text[:400].rsplit(" ", 1)[0] + " …"
        out.print(f"   {text}\n", highlight=False)


def _each_question(
    purpose: str,
    text: str | None,
    batch: Path | None,
    filter_options: tuple[str | None, str | None, str | None, list[str] | None],
    run: Callable[[Any, str, Any], R],
    as_line: Callable[[R], dict[str, Any]],
    as_json: bool,
) -> R | None:
    """Run ``run(assistant, question, filters)`` for one question and return its result, or for
    every line of a ``--batch`` file, printing one JSON line ``{"id", **as_line(result)}`` each
    and returning None. One process, one index, the model loaded once."""
    from assistant.service import Assistant

    settings = get_settings()
    try:
        filters = _filters(*filter_options)
        questions = _read_batch(batch) if batch else None
        with _open_index(settings, write=False, purpose=purpose) as index:
            assistant = Assistant(index, settings)
            if questions is None:
                return run(assistant, text or "", filters)
            for qid, question in questions:
                line = {"id": qid, **as_line(run(assistant, question, filters))}
                sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
            return None
    except AssistantError as exc:
        raise _fail(exc, as_json) from exc
    except ValueError as exc:  # an unknown search mode
        raise _fail(ConfigError(str(exc)), as_json) from exc


def _read_batch(path: Path) -> list[tuple[str, str]]:
    items = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise NotFoundError(f"Batch-Datei nicht lesbar: {exc}", source=str(path)) from exc
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            items.append((str(obj["id"]), str(obj["question"])))
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(
                f"Zeile {number}: erwartet ein JSON-Objekt mit 'id' und 'question' ({exc}).", source=str(path)
            ) from exc
    return items


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="Frage auf Deutsch.")] = None,
    k: Annotated[int, typer.Option("-k", "--top-k", min=1, max=20, help="Anzahl der Quellen-Passagen.")] = 5,
    doc_type: DocTypeOpt = None,
    handlungsfeld: HandlungsfeldOpt = None,
    municipality: MunicipalityOpt = None,
    doc_set: DocSetOpt = None,
    batch: BatchOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Eine Frage beantworten: kurze Antwort mit nummerierten Quellen, oder ehrlich „nichts gefunden“."""
    if (question is None) == (batch is None):
        raise typer.BadParameter("Entweder eine Frage oder --batch angeben.")
    answer = _each_question(
        "ask",
        question,
        batch,
        (doc_type, handlungsfeld, municipality, doc_set),
        lambda assistant, text, filters: assistant.ask(text, filters, k=k),
        lambda answer: answer.model_dump(),
        as_json,
    )
    if answer is None:
        return
    if as_json:
        _emit_json(answer.model_dump())
        return
    out.print(answer.answer, highlight=False)
    for warning in answer.warnings:
        err.print(f"[yellow]Hinweis:[/] {warning}")
    if answer.sources:
        out.print("\n[bold]Quellen[/]")
        for source in answer.sources:
            where = f"; {source.location}" if source.location else ""
            out.print(
                f"[{source.n}] {source.title} ({source.doc_type}{where}) – {source.source}", highlight=False
            )


@app.command()
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
    from assistant.drafting.cli_request import build_request
    from assistant.service import Assistant

    request = build_request(section, topic, name, inhabitants, kind, length, notes)
    settings = get_settings()
    try:
        filters = _filters(None, None, municipality, doc_set)
        with _open_index(settings, write=False, purpose="draft") as index:
            result = Assistant(index, settings).draft(request, filters)
    except AssistantError as exc:
        raise _fail(exc, as_json) from exc
    from assistant.drafting import render_docx, render_odt

    files: dict[str, str] = {}
    for path, content in ((docx, render_docx), (odt, render_odt)):
        if path is not None:
            path.write_bytes(content(result))
            files[path.suffix.lstrip(".") or "datei"] = str(path)
    if markdown is not None:
        markdown.write_text(result.markdown, encoding="utf-8")
        files["markdown"] = str(markdown)
    if as_json:
        _emit_json({**result.model_dump(), "files": files})
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


@app.command()
def status(as_json: JsonOpt = False) -> None:
    """Zustand des Index: Dokumente, Abschnitte, Vektoren, Modell."""
    settings = get_settings()
    try:
        with _open_index(settings, write=False, purpose="status") as index:
            info = index.status()
    except AssistantError as exc:
        raise _fail(exc, as_json) from exc
    if as_json:
        _emit_json(info)
        return
    for key, value in info.items():
        out.print(f"{key}: {value}")


@documents_app.command("list")
def documents_list(as_json: JsonOpt = False) -> None:
    """Alle eingelesenen Dokumente."""
    settings = get_settings()
    try:
        with _open_index(settings, write=False, purpose="documents list") as index:
            docs = index.manifest.documents()
    except AssistantError as exc:
        raise _fail(exc, as_json) from exc
    if as_json:
        _emit_json([d.model_dump() for d in docs])
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
    settings = get_settings()
    try:
        with _open_index(settings, write=True, purpose="documents remove") as index:
            if index.manifest.document(doc_id) is None:
                raise NotFoundError(f"Kein Dokument mit der doc_id {doc_id!r} im Index.")
            removed = index.remove_document(doc_id)
            index.lexical()
    except AssistantError as exc:
        raise _fail(exc, as_json) from exc
    if as_json:
        _emit_json({"doc_id": doc_id, "removed_chunks": removed})
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


def _register_eval() -> None:
    """``eval`` lives in the evals package (maintainer tooling); the core does not depend on it."""
    try:
        from evals.cli import eval_command
    except ImportError:  # evals/ not installed
        return
    app.command("eval")(eval_command)


_register_eval()


def _register_maintenance() -> None:
    """verify, rebuild, backup, restore: kept in their own module to keep this one small."""
    from assistant.cli_maintenance import register

    register(app)


_register_maintenance()


def _register_api() -> None:
    """serve and keys (the HTTP API's commands): in their own module, FastAPI imported only by serve."""
    from assistant.cli_api import register

    register(app)


_register_api()


def _register_slack() -> None:
    """``slack`` lives in the bots package (bots/slack/cli.py); the core does not depend on it."""
    try:
        from bots.slack.cli import slack_command
    except ImportError:  # bots/ not installed
        return
    app.command("slack")(slack_command)


_register_slack()


def main() -> None:
    """Console-script entry point."""
    app()
