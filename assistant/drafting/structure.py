"""The document types of a draft and their outlines, read from ``structure.yaml`` beside this module."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assistant.text.folding import fold

STRUCTURE_FILE = Path(__file__).with_name("structure.yaml")
SOURCES_TITLE = "Quellen"
NO_EVIDENCE = "Zu diesem Teil finden sich in den Dokumenten keine Belege."
DEFAULT_TYPE = "handlungsfeld"
GENERIC_TYPE = "kapitel"
STUFENPLAN = "stufenplan"


@dataclass(frozen=True)
class PartSpec:
    """One part of a draft: its heading, its retrieval queries and what the model must write."""

    key: str
    title: str
    queries: tuple[str, ...]
    instruction: str
    measures: bool = False
    prefer_case_studies: bool = False
    sections: tuple[str, ...] = ()
    """Headings under which other documents treat this part's aspect ("Ausgangslage", "Kosten")."""
    weight: float = 1.0
    """The part's share of the draft's length, relative to the other parts."""
    numbered: bool = False
    """Statements are steps in order (a Stufenplan, next steps): rendered as a numbered list."""
    role: str | None = None
    """What the part's sentences do („empfehlung“, „schritte“, „optionen“, „anlass“, …; see
    :mod:`assistant.drafting.sentence_roles`): preferred among the on-topic sentences."""

    def expand_queries(self, topic: str) -> list[str]:
        """The part's queries for one topic."""
        return [q.replace("{topic}", topic) for q in self.queries]


@dataclass(frozen=True)
class DocTypeSpec:
    """A document type: its outline and how a request names it."""

    key: str
    title: str
    parts: tuple[PartSpec, ...]
    aliases: tuple[str, ...] = ()
    recognise: tuple[re.Pattern[str], ...] = ()
    """Patterns (on folded text) that name the document itself: „Memo an …“, „Präambel“."""
    topic_words: tuple[re.Pattern[str], ...] = ()
    """Weaker cues: a section or question about the type's subject („Kapitel zur Umsetzung“)."""
    implied_topic: str | None = None
    """What the type is about when the request names nothing else; None: the request must say it."""
    default_pages: float = 1.0
    focus: tuple[str, ...] = ()
    """Sub-topics every draft of this type searches one by one (as a Handlungsfeld's focus terms)."""


@dataclass(frozen=True)
class Structure:
    types: dict[str, DocTypeSpec]
    focus: dict[str, tuple[str, ...]]
    forms: dict[str, tuple[re.Pattern[str], ...]]
    stufenplan: PartSpec

    @property
    def parts(self) -> tuple[PartSpec, ...]:
        """The parts of a Handlungsfeld section (the default type)."""
        return self.types[DEFAULT_TYPE].parts

    def outline(self, doc_type: str, form: tuple[str, ...] | list[str] = ()) -> tuple[PartSpec, ...]:
        """The parts of ``doc_type``; the form „stufenplan“ adds a Stufenplan before the last part."""
        parts = self.types[doc_type].parts
        if STUFENPLAN in form and not any(p.key == STUFENPLAN for p in parts):
            cut = max(len(parts) - 1, 1)
            parts = (*parts[:cut], self.stufenplan, *parts[cut:])
        return parts

    def resolve_type(self, value: str) -> str:
        """The type key for a key, an alias or a title ("Entscheidungsvorlage" -> "memo").

        Raises ValueError naming the accepted values when nothing matches.
        """
        wanted = fold(value.strip())
        for key, spec in self.types.items():
            if wanted in (key, fold(spec.title), *(fold(a) for a in spec.aliases)):
                return key
        accepted = ", ".join(self.types)
        raise ValueError(f"Unbekannter Dokumenttyp {value!r}. Erlaubt: {accepted}.")


def _part(data: dict[str, Any]) -> PartSpec:
    return PartSpec(
        key=data["key"],
        title=data["title"],
        queries=tuple(data["queries"]),
        instruction=" ".join(data["instruction"].split()),
        measures=bool(data.get("measures", False)),
        prefer_case_studies=bool(data.get("prefer_case_studies", False)),
        sections=tuple(data.get("sections") or ()),
        weight=float(data.get("weight", 1.0)),
        numbered=bool(data.get("numbered", False)),
        role=_role(data),
    )


def _role(data: dict[str, Any]) -> str | None:
    """The part's ``role``, checked against the roles :mod:`sentence_roles` knows."""
    from assistant.drafting.sentence_roles import ROLES

    role = data.get("role")
    if role is not None and role not in ROLES:
        raise ValueError(f"Part {data.get('key')!r}: unknown role {role!r}. Known roles: {', '.join(ROLES)}.")
    return role


def _patterns(values: list[str] | None) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(v) for v in values or ())


@lru_cache(maxsize=1)
def load_structure(path: Path = STRUCTURE_FILE) -> Structure:
    """The document types with their parts in order, the forms and the focus terms per Handlungsfeld."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    types = {
        key: DocTypeSpec(
            key=key,
            title=spec["title"],
            parts=tuple(_part(p) for p in spec["parts"]),
            aliases=tuple(spec.get("aliases") or ()),
            recognise=_patterns(spec.get("recognise")),
            topic_words=_patterns(spec.get("topic_words")),
            implied_topic=spec.get("implied_topic"),
            default_pages=float(spec.get("default_pages", 1.0)),
            focus=tuple(spec.get("focus") or ()),
        )
        for key, spec in data["types"].items()
    }
    if DEFAULT_TYPE not in types or GENERIC_TYPE not in types:
        raise ValueError(f"{path}: the types {DEFAULT_TYPE!r} and {GENERIC_TYPE!r} must be defined")
    focus = {slug: tuple(terms) for slug, terms in (data.get("handlungsfelder") or {}).items()}
    forms = {name: _patterns(patterns) for name, patterns in (data.get("forms") or {}).items()}
    return Structure(types=types, focus=focus, forms=forms, stufenplan=_part(data["parts"][STUFENPLAN]))
