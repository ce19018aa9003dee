"""Who the draft is for, how long it may be and in which form, read from a German request.

"Kleinstadt mit 20.000 Einwohnern" → inhabitants, kind and size class; "Gemeinde Steinau am
Werder" → the name; "ca. eine Seite", "max. 300 Wörter", "kurz" → length in pages and an
upper bound in words; "als Gliederung mit Stichpunkten", "mit einem Stufenplan" → the form.
Used by :mod:`assistant.drafting.request_parser` and the CLI's options.
"""

from __future__ import annotations

import re

from assistant.drafting.models import WORDS_PER_PAGE
from assistant.text.folding import fold

_NUMBER = r"\d{1,3}(?:[.\s\u00a0\u202f]\d{3})+|\d+(?:,\d+)?"
_INHABITANTS = re.compile(
    rf"(?P<number>{_NUMBER})\s*(?P<scale>Tsd\.?|tausend|Mio\.?|Millionen?)?\s*"
    r"(?:Einwohner\w*|Einw\.|EW\b|Bürger\w*|Menschen)",
    re.I,
)
_KIND_WORDS: tuple[tuple[str, str, str | None], ...] = (
    # word, kind, size class
    ("Landgemeinde", "Gemeinde", "Landgemeinde"),
    ("Kleinstadt", "Stadt", "Kleinstadt"),
    ("Mittelstadt", "Stadt", "Mittelstadt"),
    ("Großstadt", "Stadt", "Großstadt"),
    ("Landkreis", "Landkreis", None),
    ("Kreis", "Landkreis", None),
    ("Gemeinde", "Gemeinde", None),
    ("Markt", "Gemeinde", None),
    ("Stadt", "Stadt", None),
    ("Region", "Region", None),
)
_KIND = re.compile(r"\b(" + "|".join(word for word, _, _ in _KIND_WORDS) + r")\b")
_NAME = re.compile(
    r"\b(Stadt|Gemeinde|Landkreis|Markt|Region)\s+"
    r"([A-ZÄÖÜ][\w-]+(?:\s+(?:am|an der|im|in der|ob der|vor der)\s+[A-ZÄÖÜ][\w-]+|\s+[A-ZÄÖÜ][\w-]+)?)"
)
# Capitalised words after "Stadt …" that are not part of a name.
_NOT_NAMES = frozenset(
    [
        "Digitale",
        "Digitalen",
        "Digitalstrategie",
        "Einwohner",
        "Einwohnern",
        "Smart",
        "Bitte",
        "Entwurf",
        "Kapitel",
        "Abschnitt",
        "Verwaltung",
        "Strategie",
        "Agenda",
        "Region",
        "Stadt",
        "Gemeinde",
    ]
)

_PAGE_WORDS = {
    "halbe": 0.5,
    "eine": 1.0,
    "einer": 1.0,
    "ein": 1.0,
    "anderthalb": 1.5,
    "eineinhalb": 1.5,
    "zwei": 2.0,
    "drei": 3.0,
    "vier": 4.0,
    "fünf": 5.0,
}
_PAGES = re.compile(
    r"(?:(?P<half>(?:eine\s+)?halbe)|(?P<number>\d+(?:[.,]\d+)?)|(?P<word>eine?r?|anderthalb|eineinhalb|zwei|drei|vier|fünf))"
    r"(?:\s+bis\s+(?P<upper>\d+|zwei|drei|vier|fünf))?\s*(?:DIN[- ]?A4[- ]?)?Seiten?\b",
    re.I,
)
_WORDS_COUNT = re.compile(r"(?P<number>\d{2,5})\s*Wörter?n?\b", re.I)
_AT_MOST = re.compile(r"\b(?:max(?:imal)?\.?|höchstens|nicht mehr als|bis zu|unter)\s*$", re.I)
_SHORT = re.compile(r"\b(?:kurz|kurze[nrs]?|knapp(?:e[nrs]?)?|kompakt(?:e[nrs]?)?|stichpunktartig)\b", re.I)
_LONG = re.compile(r"\b(?:ausführlich(?:e[nrs]?)?|detailliert(?:e[nrs]?)?|umfassend(?:e[nrs]?)?)\b", re.I)


def parse_inhabitants(text: str) -> int | None:
    """Inhabitants named in ``text``: "20.000 Einwohnern", "20 000 EW", "rund 8 Tsd. Einwohner"."""
    match = _INHABITANTS.search(text)
    if match is None:
        return None
    raw = match.group("number")
    scale = (match.group("scale") or "").lower()
    value = float(raw.replace(",", ".")) if "," in raw else float(re.sub(r"[.\s\u00a0\u202f]", "", raw))
    if scale.startswith(("tsd", "tausend")):
        value *= 1_000
    elif scale.startswith(("mio", "million")):
        value *= 1_000_000
    number = int(round(value))
    return number if number >= 1 else None


def parse_kind(text: str) -> tuple[str | None, str | None]:
    """``(kind, size_class)`` from words such as Kleinstadt, Gemeinde, Landkreis, Region."""
    match = _KIND.search(text)
    if match is None:
        return None, None
    for word, kind, size_class in _KIND_WORDS:
        if word == match.group(1):
            return kind, size_class
    return None, None  # pragma: no cover - the regex only matches listed words


def parse_name(text: str) -> str | None:
    """A municipality name such as "Gemeinde Steinau am Werder" or "Stadt Lindwerder"."""
    for match in _NAME.finditer(text):
        words = match.group(2).split()
        if words[0] in _NOT_NAMES:
            continue
        if len(words) == 2 and words[1] in _NOT_NAMES:
            words = words[:1]
        return f"{match.group(1)} {' '.join(words)}"
    return None


def parse_length(text: str) -> float | None:
    """Length in pages: "ca. eine Seite" -> 1, "zwei Seiten" -> 2, "kurz" -> 0.5, "300 Wörter" -> 0.75."""
    match = _PAGES.search(text)
    if match is not None:
        if match.group("half"):
            return 0.5
        upper = match.group("upper")
        if upper:  # "1 bis 2 Seiten": the upper bound is what the author allows
            return _page_number(upper)
        if match.group("number"):
            return _page_number(match.group("number"))
        return _page_number(match.group("word"))
    words = _WORDS_COUNT.search(text)
    if words is not None:
        return int(words.group("number")) / WORDS_PER_PAGE
    if _SHORT.search(text):
        return 0.5
    if _LONG.search(text):
        return 3.0
    return None


def parse_max_words(text: str) -> int | None:
    """An upper bound the request sets: "max. 300 Wörter" -> 300, "höchstens eine Seite" -> 400."""
    for pattern, pages in ((_WORDS_COUNT, False), (_PAGES, True)):
        for match in pattern.finditer(text):
            if _AT_MOST.search(text[: match.start()]):
                if not pages:
                    return int(match.group("number"))
                value = parse_length(match.group(0))
                return round(value * WORDS_PER_PAGE) if value else None
    return None


def _page_number(token: str) -> float:
    token = token.lower()
    if token in _PAGE_WORDS:
        return _PAGE_WORDS[token]
    return float(token.replace(",", "."))


def parse_form(text: str) -> list[str]:
    """The forms a request asks for ("als Gliederung mit Stichpunkten" -> stichpunkte,
    "mit einem Stufenplan" -> stufenplan), in the order of ``structure.yaml``."""
    from assistant.drafting.structure import load_structure

    folded = fold(text)
    forms = load_structure().forms.items()
    return [name for name, patterns in forms if any(p.search(folded) for p in patterns)]
