"""Reading a free-text German drafting request: section, municipality profile and length.

"Bitte einen Entwurf für den Abschnitt Digitale Souveränität, Kleinstadt mit 20.000 Einwohnern,
ca. eine Seite" becomes ``DraftRequest(section="Digitale Souveränität", profile=(inhabitants=20000,
size_class="Kleinstadt", kind="Stadt"), length=1.0)``. What the text does not say stays unset.
Hand-written rules: the phrasings are few and regular, and a rule that fails is easy to see.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.errors import ConfigError
from assistant.text.folding import fold

if TYPE_CHECKING:
    from assistant.drafting.models import DraftRequest

__all__ = [
    "match_handlungsfeld",
    "parse_inhabitants",
    "parse_kind",
    "parse_length",
    "parse_name",
    "parse_request",
    "parse_section",
]

# Handlungsfeld variants, most specific first; matched case-insensitively on umlaut-folded text.
_HANDLUNGSFELD_PATTERNS: tuple[tuple[str, str], ...] = (
    ("verwaltung", r"digitale?n? verwaltung|verwaltung und infrastruktur|e-government|egovernment"),
    ("gesellschaft", r"digitale?n? gesellschaft|soziale?n? innovation|gesellschaft und soziale"),
    ("wirtschaft", r"digitale?n? wirtschaft|wirtschaft und wissenschaft"),
    ("souveraenitaet", r"souveraenitaet|souveraen"),
    ("zukunft", r"digitale?n? zukunft"),
    ("verwaltung", r"\bverwaltung\b|\binfrastruktur(?:en)?\b"),
    ("gesellschaft", r"\bgesellschaft\b"),
    ("wirtschaft", r"\bwirtschaft\b"),
    ("zukunft", r"\bzukunft\b"),
)
_SLUGS = ("verwaltung", "gesellschaft", "wirtschaft", "souveraenitaet", "zukunft")

# "Abschnitt Digitale Souveränität", "Kapitel „Digitale Gesellschaft …“", "Kapitel zur Umsetzung"
_SECTION_PHRASE = re.compile(
    r"\b(?:Abschnitt|Kapitel|Handlungsfeld|Teil|Thema)\s+(?:(?:zu[mr]?|über|für|fürs|zum Thema)\s+)?"
    r"(?:(?:den|die|das|dem|der)\s+)?"
    r"(?:[„\"“»]\s*(?P<quoted>[^“\"”«]{2,120})[“\"”«]|(?P<plain>[A-ZÄÖÜ][^,.;:!?()\n–]{1,100}))"
)
# Words that end a section name written without quotes ("… Souveränität für unsere Kleinstadt").
_SECTION_END = re.compile(
    r"\s+(?:für|unserer?|unseres|mit|bei|als|von|vom|bitte|etwa|ca\.?|ungefähr|rund)\b.*$", re.I
)

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
_WORDS_COUNT = re.compile(r"(?P<number>\d{2,5})\s*Wörter", re.I)
_SHORT = re.compile(r"\b(?:kurz|kurze[nrs]?|knapp(?:e[nrs]?)?|kompakt(?:e[nrs]?)?|stichpunktartig)\b", re.I)
_LONG = re.compile(r"\b(?:ausführlich(?:e[nrs]?)?|detailliert(?:e[nrs]?)?|umfassend(?:e[nrs]?)?)\b", re.I)
WORDS_PER_PAGE = 400


def match_handlungsfeld(text: str) -> str | None:
    """The Handlungsfeld slug a section name or request refers to (names, slugs, variants), or None."""
    folded = fold(text)
    stripped = folded.strip()
    if stripped in _SLUGS:
        return stripped
    for slug, pattern in _HANDLUNGSFELD_PATTERNS:
        if re.search(pattern, folded):
            return slug
    return None


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
    """Length in pages: "ca. eine Seite" -> 1, "zwei Seiten" -> 2, "kurz" -> 0.5, "800 Wörter" -> 2."""
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
        return max(0.5, round(int(words.group("number")) / WORDS_PER_PAGE * 2) / 2)
    if _SHORT.search(text):
        return 0.5
    if _LONG.search(text):
        return 3.0
    return None


def _page_number(token: str) -> float:
    token = token.lower()
    if token in _PAGE_WORDS:
        return _PAGE_WORDS[token]
    return float(token.replace(",", "."))


def parse_section(text: str) -> str | None:
    """The section named in the request: a Handlungsfeld's full name or a free topic."""
    from assistant.handlungsfelder import HANDLUNGSFELDER

    phrase = _SECTION_PHRASE.search(text)
    candidate = None
    if phrase is not None:
        candidate = phrase.group("quoted") or _SECTION_END.sub("", phrase.group("plain") or "")
        candidate = re.sub(r"\s+(?:in|im|an|am|zu|zur|zum|der|die|das)$", "", candidate.strip(' „“"”-–'))
    slug = match_handlungsfeld(candidate) if candidate else match_handlungsfeld(text)
    if slug is not None:
        return HANDLUNGSFELDER[slug]
    return candidate or None


def parse_request(text: str) -> DraftRequest:
    """A :class:`DraftRequest` from a German free-text request; unknown parts keep their defaults.

    The whole request is kept as ``notes``: its wording (topics, local programmes) focuses the
    retrieval of every part. Raises :class:`ConfigError` when no section can be found.
    """
    from assistant.drafting.models import DraftRequest, MunicipalityProfile

    text = " ".join(text.split())
    if not text:
        raise ConfigError("Die Anfrage ist leer. Bitte einen Abschnitt oder ein Thema nennen.")
    section = parse_section(text)
    if section is None:
        raise ConfigError(
            "Aus der Anfrage geht kein Abschnitt hervor. Bitte ein Handlungsfeld (z. B. „Digitale "
            "Souveränität“) oder ein Thema nennen, z. B. „Entwurf für das Kapitel Bürgerbeteiligung“."
        )
    kind, size_class = parse_kind(text)
    profile = MunicipalityProfile(
        name=parse_name(text),
        inhabitants=parse_inhabitants(text),
        kind=kind,  # type: ignore[arg-type]
        size_class=size_class,  # type: ignore[arg-type]
    )
    values: dict[str, object] = {"section": section, "profile": profile, "notes": text}
    length = parse_length(text)
    if length is not None:
        values["length"] = min(max(length, 0.5), 5.0)
    return DraftRequest.model_validate(values)
