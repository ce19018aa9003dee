"""What the DOCX and ODT exports show beyond the Markdown: citations as footnotes, the coverage
table and the document properties, and the Markdown's lines they repeat (profile, fields, source
list). Both exports read it from here, so they say the same."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from assistant.drafting.markdown import fields_line, profile_line, source_line
from assistant.drafting.structure import SOURCES_TITLE
from assistant.text.citation_markers import MARKER_WITH_SPACE
from assistant.types import Source

__all__ = [
    "AUTHOR",
    "COVERAGE_HEADER",
    "COVERAGE_TITLE",
    "SOURCES_TITLE",
    "cited_segments",
    "coverage_rows",
    "fields_line",
    "footnote_text",
    "keywords",
    "profile_line",
    "source_line",
    "subject",
]

if TYPE_CHECKING:
    from assistant.drafting.models import Draft, DraftCoverage

# Whitespace before a marker goes with it: a footnote mark sits right after the word it cites.

COVERAGE_TITLE = "Belegübersicht"
COVERAGE_HEADER = ("Teil", "Quellen", "Dokumente", "Zitierte Quellen")
NO_EVIDENCE_CELL = "keine Belege"
TOTAL_LABEL = "Gesamt"
AUTHOR = "Assistent Digitale Agenda"


def cited_segments(text: str, sources: Mapping[int, Source]) -> list[str | Source]:
    """``text`` split at its [n] markers into plain strings and the source each marker cites.

    Each marker is one footnote (one per citation, as in Word); a number without a source stays
    text (the citation check removes those before export).
    """
    segments: list[str | Source] = []
    position = 0
    for match in MARKER_WITH_SPACE.finditer(text):
        source = sources.get(int(match.group(1)))
        if source is None:
            continue
        if match.start() > position:
            segments.append(text[position : match.start()])
        segments.append(source)
        position = match.end()
    if position < len(text):
        segments.append(text[position:])
    return segments


def footnote_text(source: Source) -> str:
    """The footnote for a source: title, page/section and URL (or path),
    e.g. "Leitfaden Open Source, S. 4, Lizenzen – https://example.org/leitfaden"."""
    where = f", {source.location}" if source.location else ""
    return f"{source.title}{where} – {source.url or source.source}"


def coverage_rows(coverage: DraftCoverage) -> list[tuple[str, str, str, str]]:
    """The coverage report as table rows below :data:`COVERAGE_HEADER`, with a total row."""
    rows = [
        (
            part.title,
            str(part.sources),
            str(part.documents),
            ", ".join(f"[{n}]" for n in part.source_numbers) or NO_EVIDENCE_CELL,
        )
        for part in coverage.parts
    ]
    gaps = f"ohne Belege: {', '.join(coverage.gaps)}" if coverage.gaps else ""
    rows.append((TOTAL_LABEL, str(coverage.total_sources), str(coverage.total_documents), gaps))
    return rows


def subject(draft: Draft) -> str:
    """The document property "subject": what was asked for, e.g. "Entwurf: Digitale Souveränität"."""
    return f"Entwurf: {draft.request.topic}"


def keywords(draft: Draft) -> str:
    """The document property "keywords": the topic and the profile the draft was written for."""
    return ", ".join(
        k for k in ("Digitale Agenda", draft.request.topic, draft.request.profile.describe()) if k
    )
