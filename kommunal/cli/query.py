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
from assistant.types import Answer, SearchFilters
from kommunal.cli.output import emit_json, err, fail, out
from kommunal.cli.question_options import QuestionOptions, with_question_options

R = TypeVar("R")


def register(app: typer.Typer) -> None:
    """Add ``search`` and ``ask`` to ``app``."""
    app.command("search")(search)
    app.command("ask")(ask)


@with_question_options
def search(
    query: Annotated[str | None, typer.Argument(help="Suchanfrage auf Deutsch.")] = None,
    k: Annotated[int, typer.Option("-k", "--top-k", min=1, max=100, help="Anzahl der Treffer.")] = 5,
    mode: Annotated[str, typer.Option(help="hybrid, dense oder lexical.")] = "hybrid",
    *,
    options: QuestionOptions,
) -> None:
    """Passagen zu einer Frage suchen, nach Relevanz geordnet."""
    options.check_one_input(query, "eine Suchanfrage")
    passages = each_question(
        "search",
        query,
        options,
        lambda assistant, text, filters: assistant.search(text, k, filters, mode),
        lambda passages: {"results": [p.to_result() for p in passages]},
    )
    if passages is None:
        return
    if options.as_json:
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


@with_question_options
def ask(
    question: Annotated[str | None, typer.Argument(help="Frage auf Deutsch.")] = None,
    k: Annotated[int, typer.Option("-k", "--top-k", min=1, max=20, help="Anzahl der Quellen-Passagen.")] = 5,
    *,
    options: QuestionOptions,
) -> None:
    """Eine Frage beantworten: kurze Antwort mit nummerierten Quellen, oder ehrlich „nichts gefunden“."""
    options.check_one_input(question, "eine Frage")
    answer = each_question(
        "ask",
        question,
        options,
        lambda assistant, text, filters: assistant.ask(text, filters, k=k),
        Answer.model_dump,
    )
    if answer is None:
        return
    if options.as_json:
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
    options: QuestionOptions,
    run: Callable[[Assistant, str, SearchFilters], R],
    as_line: Callable[[R], dict[str, Any]],
) -> R | None:
    """Run ``run(assistant, question, filters)`` for one question and return its result, or for
    every line of a ``--batch`` file, printing one JSON line ``{"id", **as_line(result)}`` each
    and returning None. One process, one index, the model loaded once."""
    settings = get_settings()
    try:
        filters = options.filters()
        questions = read_batch(options.batch) if options.batch else None
        with Assistant.open(settings, purpose=purpose) as assistant:
            if questions is None:
                return run(assistant, text or "", filters)
            for qid, question in questions:
                line = {"id": qid, **as_line(run(assistant, question, filters))}
                sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
            return None
    except AssistantError as exc:
        raise fail(exc, options.as_json) from exc
    except ValueError as exc:  # an unknown search mode
        raise fail(ConfigError(str(exc)), options.as_json) from exc


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
