"""The search-filter options shared by ``search``, ``ask`` and ``draft``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from assistant.errors import ConfigError
from assistant.types import SearchFilters
from kommunal.cli.output import field_message

DocTypeOpt = Annotated[str | None, typer.Option(help="guidance, case_study, strategy oder other.")]
HandlungsfeldOpt = Annotated[str | None, typer.Option(help="Handlungsfeld (Kürzel oder Name).")]
MunicipalityOpt = Annotated[str | None, typer.Option(help="Nur Dokumente dieser Kommune.")]
DocSetOpt = Annotated[list[str] | None, typer.Option("--set", help="Erlaubte Dokumentmengen.")]
BatchOpt = Annotated[Path | None, typer.Option(help="JSONL-Datei mit {id, question} je Zeile.")]

# The SearchFilters fields as the options above name them, for error messages.
_OPTION_NAMES = {
    "doc_type": "--doc-type",
    "handlungsfeld": "--handlungsfeld",
    "municipality": "--municipality",
    "doc_sets": "--set",
}


def search_filters(
    doc_type: str | None, handlungsfeld: str | None, municipality: str | None, doc_set: list[str] | None
) -> SearchFilters:
    """The filters of the options; an invalid value is a :class:`ConfigError` naming it."""
    try:
        return SearchFilters(
            doc_type=doc_type,
            handlungsfeld=handlungsfeld,
            municipality=municipality,
            doc_sets=doc_set or None,
        )
    except ValidationError as exc:
        raise ConfigError("; ".join(field_message(error, _OPTION_NAMES) for error in exc.errors())) from exc
