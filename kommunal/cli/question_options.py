"""The options ``search`` and ``ask`` share (filters, ``--batch``, ``--json``), declared once.

Typer has no option groups; it reads a command's parameters from ``inspect.signature``, which
honours ``__signature__``. :func:`with_question_options` appends the shared parameters there and
hands them to the command as one :class:`QuestionOptions`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields

import typer

from assistant.types import SearchFilters
from kommunal.cli.filters import (
    BatchOpt,
    DocSetOpt,
    DocTypeOpt,
    HandlungsfeldOpt,
    MunicipalityOpt,
    search_filters,
)
from kommunal.cli.output import JsonOpt


@dataclass(frozen=True)
class QuestionOptions:
    """What a question command was given besides its own arguments."""

    doc_type: DocTypeOpt = None
    handlungsfeld: HandlungsfeldOpt = None
    municipality: MunicipalityOpt = None
    doc_set: DocSetOpt = None
    batch: BatchOpt = None
    as_json: JsonOpt = False

    def filters(self) -> SearchFilters:
        """The search filters of the options; an invalid value is a ConfigError naming it."""
        return search_filters(self.doc_type, self.handlungsfeld, self.municipality, self.doc_set)

    def check_one_input(self, text: str | None, what: str) -> None:
        """Exactly one of the positional ``text`` and ``--batch``; ``what`` names the former."""
        if (text is None) == (self.batch is None):
            raise typer.BadParameter(f"Entweder {what} oder --batch angeben.")


def with_question_options(command: Callable[..., None]) -> Callable[..., None]:
    """``command`` (taking ``options: QuestionOptions`` by keyword) with the shared options added
    to the parameters the CLI shows."""
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "options"]
    hints = inspect.get_annotations(QuestionOptions, eval_str=True)
    shared = [
        inspect.Parameter(f.name, inspect.Parameter.KEYWORD_ONLY, default=f.default, annotation=hints[f.name])
        for f in fields(QuestionOptions)
    ]

    @functools.wraps(command)
    def wrapper(*args: object, **kwargs: object) -> None:
        options = QuestionOptions(**{p.name: kwargs.pop(p.name, p.default) for p in shared})  # type: ignore[arg-type]
        command(*args, options=options, **kwargs)

    parameters = own + shared
    wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in parameters} | {"return": None}
    return wrapper
