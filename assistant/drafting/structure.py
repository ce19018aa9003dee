"""The fixed structure of a draft, read from ``structure.yaml`` beside this module."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

STRUCTURE_FILE = Path(__file__).with_name("structure.yaml")
SOURCES_TITLE = "Quellen"
NO_EVIDENCE = "Zu diesem Teil finden sich in den Dokumenten keine Belege."


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

    def expand_queries(self, topic: str) -> list[str]:
        """The part's queries for one topic."""
        return [q.replace("{topic}", topic) for q in self.queries]


@dataclass(frozen=True)
class Structure:
    parts: tuple[PartSpec, ...]
    focus: dict[str, tuple[str, ...]]


@lru_cache(maxsize=1)
def load_structure(path: Path = STRUCTURE_FILE) -> Structure:
    """The parts in order and the focus terms per Handlungsfeld."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    parts = tuple(
        PartSpec(
            key=p["key"],
            title=p["title"],
            queries=tuple(p["queries"]),
            instruction=" ".join(p["instruction"].split()),
            measures=bool(p.get("measures", False)),
            prefer_case_studies=bool(p.get("prefer_case_studies", False)),
            sections=tuple(p.get("sections") or ()),
        )
        for p in data["parts"]
    )
    focus = {slug: tuple(terms) for slug, terms in (data.get("handlungsfelder") or {}).items()}
    return Structure(parts=parts, focus=focus)
