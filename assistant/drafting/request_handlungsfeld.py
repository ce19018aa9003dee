"""Which Handlungsfeld a request or a section name refers to, by name, slug or fixed variant."""

from __future__ import annotations

import re

from assistant.text.folding import fold

# Handlungsfeld variants, most specific first; matched case-insensitively on umlaut-folded text.
# The names and their fixed variants identify a Handlungsfeld anywhere in a request ...
_HANDLUNGSFELD_NAMES: tuple[tuple[str, str], ...] = (
    ("verwaltung", r"digitale?n? verwaltung|verwaltung und infrastruktur|e-government|egovernment"),
    ("gesellschaft", r"digitale?n? gesellschaft|soziale?n? innovation|gesellschaft und soziale"),
    ("wirtschaft", r"digitale?n? wirtschaft|wirtschaft und wissenschaft"),
    ("souveraenitaet", r"souveraenitaet|souveraen"),
    ("zukunft", r"digitale?n? zukunft"),
)
# ... a single word only in a section's name ("Kapitel Verwaltung"): in a whole request,
# "die Umsetzung in der Verwaltung" or "Wirtschaft und Bürgerschaft" name no Handlungsfeld.
_HANDLUNGSFELD_WORDS: tuple[tuple[str, str], ...] = (
    ("verwaltung", r"\bverwaltung\b|\binfrastruktur(?:en)?\b"),
    ("gesellschaft", r"\bgesellschaft\b"),
    ("wirtschaft", r"\bwirtschaft\b"),
    ("zukunft", r"\bzukunft\b"),
)
_HANDLUNGSFELD_PHRASE = re.compile(r"\bhandlungsfeld(?:es|s)?\s+(?:zur?\s+|der\s+|die\s+)?([\w-]+)")
_SLUGS = ("verwaltung", "gesellschaft", "wirtschaft", "souveraenitaet", "zukunft")


def match_handlungsfeld(text: str, *, loose: bool = True) -> str | None:
    """The Handlungsfeld slug a section name or request refers to (names, slugs, variants), or None.

    ``loose=False`` is for a whole request: only the names and their fixed variants count, and a
    single word ("Verwaltung") only right after "Handlungsfeld".
    """
    folded = fold(text)
    stripped = folded.strip()
    if stripped in _SLUGS:
        return stripped
    for slug, pattern in _HANDLUNGSFELD_NAMES:
        if re.search(pattern, folded):
            return slug
    if not loose:
        phrase = _HANDLUNGSFELD_PHRASE.search(folded)
        folded = phrase.group(1) if phrase else ""
        if folded in _SLUGS:
            return folded
    for slug, pattern in _HANDLUNGSFELD_WORDS:
        if re.search(pattern, folded):
            return slug
    return None


def handlungsfeld_position(text: str) -> int | None:
    """Where (in the folded text) a request names a Handlungsfeld, or None."""
    folded = fold(text)
    found = [m.start() for _, pattern in _HANDLUNGSFELD_NAMES for m in [re.search(pattern, folded)] if m]
    phrase = _HANDLUNGSFELD_PHRASE.search(folded)
    if phrase and match_handlungsfeld(phrase.group(1)) is not None:
        found.append(phrase.start())
    return min(found) if found else None
