"""``search`` and ``ask``: one question, or every line of a ``--batch`` file in one process."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from assistant.config import get_settings
from assistant.errors import AssistantError, ConfigError, NotFoundError
from assistant.service import Assistant
from assistant.types import SearchFilters
from kommunal.cli.filters import (
    BatchOpt,
    DocSetOpt,
    DocTypeOpt,
    HandlungsfeldOpt,
    MunicipalityOpt,
    search_filters,
)
from kommunal.cli.output import JsonOpt, emit_json, err, fail, out

R = TypeVar("R")
FilterOptions = tuple[str | None, str | None, str | None, list[str] | None]


def register(app: typer.Typer) -> None:
    """Add ``search`` and ``ask`` to ``app``."""
    app.command("search")(search)
    app.command("ask")(ask)


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
    passages = each_question(
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
        emit_json([p.to_result() for p in passages])
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
    answer = each_question(
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
        emit_json(answer.model_dump())
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


def each_question(
    purpose: str,
    text: str | None,
    batch: Path | None,
    filter_options: FilterOptions,
    run: Callable[[Assistant, str, SearchFilters], R],
    as_line: Callable[[R], dict[str, Any]],
    as_json: bool,
) -> R | None:
    """Run ``run(assistant, question, filters)`` for one question and return its result, or for
    every line of a ``--batch`` file, printing one JSON line ``{"id", **as_line(result)}`` each
    and returning None. One process, one index, the model loaded once."""
    settings = get_settings()
    try:
        filters = search_filters(*filter_options)
        questions = read_batch(batch) if batch else None
        with Assistant.open(settings, purpose=purpose) as assistant:
            if questions is None:
                return run(assistant, text or "", filters)
            for qid, question in questions:
                line = {"id": qid, **as_line(run(assistant, question, filters))}
                sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
            return None
    except AssistantError as exc:
        raise fail(exc, as_json) from exc
    except ValueError as exc:  # an unknown search mode
        raise fail(ConfigError(str(exc)), as_json) from exc


def read_batch(path: Path) -> list[tuple[str, str]]:
    """``(id, question)`` of every non-empty line of a JSONL batch file."""
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
