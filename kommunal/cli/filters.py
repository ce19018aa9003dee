"""The search-filter options shared by ``search``, ``ask`` and ``draft``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.errors import ConfigError
from assistant.types import SearchFilters

DocTypeOpt = Annotated[str | None, typer.Option(help="guidance, case_study, strategy oder other.")]
HandlungsfeldOpt = Annotated[str | None, typer.Option(help="Handlungsfeld (Kürzel oder Name).")]
MunicipalityOpt = Annotated[str | None, typer.Option(help="Nur Dokumente dieser Kommune.")]
DocSetOpt = Annotated[list[str] | None, typer.Option("--set", help="Erlaubte Dokumentmengen.")]
BatchOpt = Annotated[Path | None, typer.Option(help="JSONL-Datei mit {id, question} je Zeile.")]


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
    except ValueError as exc:
        raise ConfigError(str(exc).splitlines()[-1] if "\n" in str(exc) else str(exc)) from exc
