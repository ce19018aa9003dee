"""Turning the ``draft`` command's options into a :class:`DraftRequest`, with German usage errors."""

from __future__ import annotations

import typer
from pydantic import ValidationError

from assistant.drafting.models import DraftRequest
from assistant.drafting.request_parser import parse_kind, parse_length, parse_max_words, parse_request
from assistant.drafting.structure import load_structure
from assistant.errors import ConfigError
from kommunal.cli.output import field_message


def build_request(
    section: str | None,
    topic: str | None,
    name: str | None,
    inhabitants: int | None,
    kind: str | None,
    length: str | None,
    notes: str | None,
    doc_type: str | None = None,
) -> DraftRequest:
    """``--topic`` is parsed as free text; explicit options override what it says.

    ``doc_type`` (``--type``) forces the document type: a key of ``structure.yaml``
    (handlungsfeld, praeambel, memo, beteiligung, governance, kapitel) or an alias such as
    "Entscheidungsvorlage" or "Leitbild".
    """
    if (section is None) == (topic is None):
        raise typer.BadParameter("Entweder --section oder --topic angeben.")
    if doc_type is not None:
        try:
            doc_type = load_structure().resolve_type(doc_type)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="--type") from exc
    try:
        if topic is not None:
            base = parse_request(topic, doc_type)
        else:
            base = DraftRequest(section=section or "", type=doc_type, notes=notes or "")  # type: ignore[arg-type]
            notes = None  # already the request's notes
    except ConfigError as exc:
        raise typer.BadParameter(exc.message, param_hint="--topic") from exc
    except ValidationError as exc:
        raise typer.BadParameter(field_message(exc.errors()[0]), param_hint="--section") from exc
    profile = base.profile.model_dump()
    if name:
        profile["name"] = name
    if inhabitants is not None:
        profile["inhabitants"] = inhabitants
        profile["size_class"] = None  # derived again from the new number
    if kind:
        parsed_kind, size_class = parse_kind(kind.strip().capitalize())
        if parsed_kind is None:
            raise typer.BadParameter(
                f"Unbekannte Art {kind!r}. Erlaubt: Stadt, Gemeinde, Landkreis, Region, Kleinstadt, "
                "Mittelstadt, Großstadt, Landgemeinde.",
                param_hint="--kind",
            )
        profile["kind"], profile["size_class"] = parsed_kind, size_class
    values = base.model_dump()
    values["profile"] = profile
    if notes:
        values["notes"] = f"{values['notes']} {notes}".strip()
        values["form"] = None  # read again from the notes with the author's additions
    if length is not None:
        pages = parse_length(length)
        if pages is None:
            raise typer.BadParameter(
                f"{length!r} ist keine Längenangabe. Beispiele: kurz, eine Seite, 2 Seiten, max. 300 Wörter.",
                param_hint="--length",
            )
        values["length"] = pages
        values["max_words"] = parse_max_words(length)
    try:
        return DraftRequest.model_validate(values)
    except ValidationError as exc:
        raise typer.BadParameter(field_message(exc.errors()[0])) from exc
