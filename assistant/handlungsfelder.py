"""The five Handlungsfelder (fields of action) of a municipal Digitale Agenda."""

from __future__ import annotations

from assistant.text.folding import fold

HANDLUNGSFELDER: dict[str, str] = {
    "verwaltung": "Digitale Verwaltung und Infrastrukturen",
    "gesellschaft": "Digitale Gesellschaft und Soziale Innovation",
    "wirtschaft": "Digitale Wirtschaft und Wissenschaft",
    "souveraenitaet": "Digitale Souveränität",
    "zukunft": "Digitale Zukunft",
}

DOC_TYPES: tuple[str, ...] = ("guidance", "case_study", "strategy", "other")


def resolve_handlungsfeld(value: str) -> str:
    """Return the slug for a slug or a (case-insensitive, umlaut-tolerant) label.

    Raises ValueError naming the accepted values when nothing matches.
    """
    wanted = _fold(value)
    for slug, label in HANDLUNGSFELDER.items():
        if wanted in (_fold(slug), _fold(label)):
            return slug
    for slug, label in HANDLUNGSFELDER.items():
        if wanted and wanted in _fold(label):
            return slug
    accepted = ", ".join(HANDLUNGSFELDER)
    raise ValueError(f"Unbekanntes Handlungsfeld {value!r}. Erlaubt: {accepted}")


def _fold(text: str) -> str:
    return fold(text.strip())
