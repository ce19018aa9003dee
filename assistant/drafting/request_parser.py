"""Reading a free-text German drafting request: type, section, profile, length and form.

"Bitte einen Entwurf für den Abschnitt Digitale Souveränität, Kleinstadt mit 20.000 Einwohnern,
ca. eine Seite" becomes ``DraftRequest(type="handlungsfeld", section="Digitale Souveränität",
profile=(inhabitants=20000, size_class="Kleinstadt", kind="Stadt"), length=1.0)``; "Kurzes Memo
an den Bürgermeister (halbe Seite): Sollen wir Smart City top-down oder bottom-up angehen?" a
memo whose section is its question. What the text does not say stays unset. A request is refused
only when it names nothing to write about. Hand-written rules: the phrasings are few and
regular, and a rule that fails is easy to see.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.drafting.models import WORDS_PER_PAGE
from assistant.drafting.request_handlungsfeld import handlungsfeld_position, match_handlungsfeld
from assistant.drafting.request_profile import (
    parse_form,
    parse_inhabitants,
    parse_kind,
    parse_length,
    parse_max_words,
    parse_name,
)
from assistant.drafting.request_topic import (
    content_words,
    parse_questions,
    split_lead_in,
    sub_questions,
    topic_text,
)
from assistant.errors import ConfigError
from assistant.text.folding import fold

if TYPE_CHECKING:
    from assistant.drafting.models import DraftRequest

__all__ = [
    "WORDS_PER_PAGE",
    "content_words",
    "match_handlungsfeld",
    "parse_form",
    "parse_inhabitants",
    "parse_kind",
    "parse_length",
    "parse_max_words",
    "parse_name",
    "parse_questions",
    "parse_request",
    "parse_section",
    "split_lead_in",
    "sub_questions",
    "topic_text",
]

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


def parse_section(text: str) -> str | None:
    """The section the request names: a Handlungsfeld's full name or a free topic after
    "Abschnitt/Kapitel/Thema" ("Kapitel zur Umsetzung" -> "Umsetzung"), or None."""
    from assistant.handlungsfelder import HANDLUNGSFELDER

    candidate = section_phrase(text)
    slug = match_handlungsfeld(candidate) if candidate else match_handlungsfeld(text, loose=False)
    if slug is not None:
        return HANDLUNGSFELDER[slug]
    return candidate


def section_phrase(text: str) -> str | None:
    """The name after "Abschnitt/Kapitel/Handlungsfeld/Teil/Thema", or None."""
    phrase = _SECTION_PHRASE.search(text)
    if phrase is None:
        return None
    candidate = phrase.group("quoted") or _SECTION_END.sub("", phrase.group("plain") or "")
    candidate = re.sub(r"\s+(?:in|im|an|am|zu|zur|zum|der|die|das)$", "", candidate.strip(' „“"”-–'))
    return candidate or None


def detect_type(text: str) -> str:
    """The document type a request asks for (keys of ``types`` in ``structure.yaml``).

    The earliest of these wins: a word naming the document („Memo an …“, „Präambel“,
    „Beteiligungskonzept“), a Handlungsfeld's name, or a section after „Kapitel/Abschnitt“
    (typed by its own words: „Kapitel zur Umsetzung“ is about governance, „Kapitel Digitale
    Zukunft“ a Handlungsfeld, anything else a generic chapter). Without any of them, weaker
    cues decide („Wen beteiligen wir wann?“ asks for a participation concept); else a chapter.
    """
    from assistant.drafting.structure import DEFAULT_TYPE, GENERIC_TYPE, load_structure

    types = load_structure().types
    folded = fold(text)
    named: list[tuple[int, str]] = []
    for key, spec in types.items():
        starts = [m.start() for p in spec.recognise for m in [p.search(folded)] if m]
        if starts:
            named.append((min(starts), key))
    position = handlungsfeld_position(text)
    if position is not None:
        named.append((position, DEFAULT_TYPE))
    phrase = _SECTION_PHRASE.search(text)
    if phrase is not None:
        section = section_phrase(text) or ""
        named.append((len(fold(text[: phrase.start()])), section_type(section) or GENERIC_TYPE))
    if named:
        return min(named)[1]
    cues = [
        (m.start(), key)
        for key, spec in types.items()
        for p in spec.topic_words
        for m in [p.search(folded)]
        if m
    ]
    return min(cues)[1] if cues else GENERIC_TYPE


def section_type(section: str) -> str | None:
    """The type a section's own name implies: a document word, a Handlungsfeld, then weaker cues."""
    from assistant.drafting.structure import DEFAULT_TYPE, load_structure

    types = load_structure().types
    folded = fold(section)
    for key, spec in types.items():
        if any(p.search(folded) for p in spec.recognise):
            return key
    if match_handlungsfeld(section) is not None:
        return DEFAULT_TYPE
    for key, spec in types.items():
        if any(p.search(folded) for p in spec.topic_words):
            return key
    return None


def infer_type(section: str, notes: str = "") -> str:
    """The type of a request given as fields: what the section's name implies, else what the
    notes name as the document ("als Memo an …"), else a Handlungsfeld or a chapter."""
    from assistant.drafting.structure import DEFAULT_TYPE, GENERIC_TYPE

    implied = section_type(section)
    if implied is not None:
        return implied
    if notes:
        named = detect_type(notes)
        if named not in (DEFAULT_TYPE, GENERIC_TYPE):
            return named
    if section.endswith("?"):
        return detect_type(section)
    return GENERIC_TYPE


EMPTY_REQUEST = (
    "Die Anfrage ist leer. Bitte ein Handlungsfeld, einen Abschnitt oder eine Frage nennen, "
    "z. B. „Entwurf für das Kapitel Digitale Souveränität“."
)
NO_CONTENT = (
    "Aus der Anfrage geht nicht hervor, worüber der Entwurf gehen soll. Bitte ein Thema nennen: "
    "ein Handlungsfeld (z. B. „Digitale Souveränität“), einen Abschnitt (z. B. „Kapitel "
    "Bürgerbeteiligung“) oder die Frage, um die es geht (z. B. „Memo: Sollen wir Smart City "
    "top-down oder bottom-up angehen?“)."
)
_MAX_SECTION_CHARS = 160


def parse_request(text: str, doc_type: str | None = None) -> DraftRequest:
    """A :class:`DraftRequest` from a German free-text request; unknown parts keep their defaults.

    ``doc_type`` forces the document type (a key or alias of ``structure.yaml``). The whole
    request is kept as ``notes``: its wording (topics, questions, local programmes) focuses the
    retrieval of every part. When no Handlungsfeld or section is named, the request's first
    question is the section; without one, its content words. Raises :class:`ConfigError` only
    when the request names nothing to write about.
    """
    from assistant.drafting.models import DraftRequest, MunicipalityProfile
    from assistant.drafting.structure import load_structure

    text = " ".join(text.split())
    if not text:
        raise ConfigError(EMPTY_REQUEST)
    structure = load_structure()
    try:
        chosen = structure.resolve_type(doc_type) if doc_type else detect_type(text)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    section = request_section(text, chosen)
    if section is None:
        raise ConfigError(NO_CONTENT)
    kind, size_class = parse_kind(text)
    profile = MunicipalityProfile(
        name=parse_name(text),
        inhabitants=parse_inhabitants(text),
        kind=kind,  # type: ignore[arg-type]
        size_class=size_class,  # type: ignore[arg-type]
    )
    values: dict[str, object] = {
        "type": chosen,
        "section": section,
        "profile": profile,
        "notes": text,
        "form": parse_form(text),
    }
    length = parse_length(text)
    if length is not None:
        values["length"] = min(max(length, 0.25), 5.0)
    max_words = parse_max_words(text)
    if max_words is not None:
        values["max_words"] = max_words
    return DraftRequest.model_validate(values)


def request_section(text: str, doc_type: str) -> str | None:
    """What the draft is about: the named Handlungsfeld or section, else the first question, else
    the request's content words, else the type's implied topic; None when there is nothing."""
    from assistant.drafting.structure import DEFAULT_TYPE, load_structure

    named = parse_section(text)
    if named is not None and (doc_type == DEFAULT_TYPE or section_phrase(text) is not None):
        return named
    questions = parse_questions(text)
    if questions:
        return _clip(questions[0])
    if named is not None:
        return named
    content = topic_text(_strip_type_words(text, doc_type))
    if content_words(content):
        return _clip(content.strip(" ,.;:!?()"))
    return load_structure().types[doc_type].implied_topic


def _strip_type_words(text: str, doc_type: str) -> str:
    """The request without the words that name its document type („Beteiligungskonzept“)."""
    from assistant.drafting.structure import load_structure

    spec = load_structure().types[doc_type]
    words = []
    for word in text.split():
        folded = fold(word)
        if any(p.search(folded) for p in spec.recognise):
            continue
        words.append(word)
    return " ".join(words)


def _clip(text: str) -> str:
    if len(text) <= _MAX_SECTION_CHARS:
        return text
    cut = text[:_MAX_SECTION_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + " …"
