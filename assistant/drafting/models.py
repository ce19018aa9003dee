"""The drafting request (type, section, municipality profile, notes, length, form) and the draft it yields."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator, model_validator

from assistant.handlungsfelder import HANDLUNGSFELDER
from assistant.types import Citation, Source

Kind = Literal["Stadt", "Gemeinde", "Landkreis", "Region"]
SizeClass = Literal["Landgemeinde", "Kleinstadt", "Mittelstadt", "Großstadt", "Landkreis", "Region"]
SIZE_CLASSES: tuple[str, ...] = (
    "Landgemeinde",
    "Kleinstadt",
    "Mittelstadt",
    "Großstadt",
    "Landkreis",
    "Region",
)
DraftMode = Literal["extractive", "llm"]
DocType = Literal["handlungsfeld", "praeambel", "memo", "beteiligung", "governance", "kapitel"]
"""The document types of ``structure.yaml`` (a test keeps the two in step)."""
Form = Literal["stichpunkte", "stufenplan"]

MIN_PAGES = 0.25
MAX_PAGES = 5.0
WORDS_PER_PAGE = 400
LENGTH_TOLERANCE = 0.25
"""A draft's body stays within ± this share of the length asked for (issue: drafts keep their length)."""


def size_class_for(inhabitants: int) -> str:
    """Size class of a town by inhabitants (BBSR: <5,000 / <20,000 / <100,000 / larger)."""
    if inhabitants < 5_000:
        return "Landgemeinde"
    if inhabitants < 20_000:
        return "Kleinstadt"
    if inhabitants < 100_000:
        return "Mittelstadt"
    return "Großstadt"


class MunicipalityProfile(BaseModel):
    """Who the draft is written for. Every field is optional."""

    name: str | None = None
    inhabitants: int | None = Field(default=None, ge=1, le=50_000_000)
    size_class: SizeClass | None = None
    kind: Kind | None = None

    @model_validator(mode="after")
    def _derive_size_class(self) -> MunicipalityProfile:
        if self.size_class is None:
            if self.kind in ("Landkreis", "Region"):
                self.size_class = self.kind
            elif self.inhabitants is not None:
                self.size_class = size_class_for(self.inhabitants)  # type: ignore[assignment]
        return self

    def describe(self) -> str:
        """German one-line description, e.g. "Gemeinde Auenried (Kleinstadt, 8.200 Einwohner)"."""
        details: list[str] = []
        if self.size_class and self.size_class != self.kind:
            details.append(self.size_class)
        if self.inhabitants:
            details.append(f"{self.inhabitants:,}".replace(",", ".") + " Einwohnerinnen und Einwohner")
        head = self.name or self.kind or "Kommune"
        return f"{head} ({', '.join(details)})" if details else head


class DraftRequest(BaseModel):
    """What to draft: a document type, a Handlungsfeld (slug or name), a free topic or a question,
    for whom, how long and in which form. Unset type, form and length are derived."""

    type: DocType | None = Field(
        default=None,
        description="Dokumenttyp: handlungsfeld, praeambel, memo, beteiligung, governance oder kapitel "
        "(auch Präambel, Leitbild, Entscheidungsvorlage, Beteiligungskonzept …). Ohne Angabe aus "
        "Abschnitt und Hinweisen erkannt.",
    )
    section: str = Field(
        min_length=2,
        description="Handlungsfeld (Kürzel oder Name), freies Thema oder die Frage des Auftrags.",
    )
    profile: MunicipalityProfile = Field(default_factory=MunicipalityProfile)
    notes: str = Field(default="", description="Lokale Hinweise, Schwerpunkte und Fragen des Autors.")
    length: float | None = Field(
        default=None, description="Umfang in Seiten (0,25 bis 5); ohne Angabe der übliche Umfang des Typs."
    )
    max_words: int | None = Field(
        default=None, ge=50, le=2000, description="Obergrenze in Wörtern („max. 300 Wörter“)."
    )
    form: list[Form] | None = Field(
        default=None,
        description="stichpunkte (Gliederung mit Stichpunkten), stufenplan (mit Stufenplan); "
        "ohne Angabe aus den Hinweisen gelesen.",
    )

    @field_validator("type", mode="before")
    @classmethod
    def _known_type(cls, value: object) -> object:
        if isinstance(value, str) and value.strip():
            from assistant.drafting.structure import load_structure

            try:
                return load_structure().resolve_type(value)
            except ValueError as exc:
                raise ValueError(f"type: {exc}") from exc
        return value or None

    @field_validator("section")
    @classmethod
    def _strip_section(cls, value: str) -> str:
        value = " ".join(value.split())
        if len(value) < 2:
            raise ValueError("section: Bitte einen Abschnitt (Handlungsfeld oder Thema) angeben.")
        return value

    @field_validator("length", mode="before")
    @classmethod
    def _pages(cls, value: object) -> object:
        if isinstance(value, str):
            from assistant.drafting.request_parser import parse_length

            pages = parse_length(value)
            if pages is None:
                raise ValueError(
                    f"length: {value!r} ist keine Längenangabe. Beispiele: 'kurz', 'eine Seite', '2 Seiten'."
                )
            return pages
        return value

    @field_validator("length")
    @classmethod
    def _pages_in_range(cls, value: float | None) -> float | None:
        if value is not None and not MIN_PAGES <= value <= MAX_PAGES:
            raise ValueError(f"length: Umfang muss zwischen {MIN_PAGES:g} und {MAX_PAGES:g} Seiten liegen.")
        return value

    @model_validator(mode="after")
    def _derive(self) -> DraftRequest:
        from assistant.drafting.request_parser import infer_type, parse_form
        from assistant.drafting.structure import load_structure

        if self.type is None:
            self.type = infer_type(self.section, self.notes)  # type: ignore[assignment]
        if self.form is None:
            self.form = parse_form(self.notes)  # type: ignore[assignment]
        if self.length is None:
            pages = load_structure().types[self.type or "kapitel"].default_pages
            if self.max_words is not None:
                pages = min(pages, self.max_words / WORDS_PER_PAGE)
            self.length = max(MIN_PAGES, pages)
        return self

    @property
    def doc_type(self) -> str:
        """The document type (always set after validation)."""
        return self.type or "kapitel"

    @property
    def handlungsfeld(self) -> str | None:
        """The Handlungsfeld slug when ``section`` names one, else None (a free topic or question).

        A short section name may name it by a single word ("Verwaltung"); a question only by
        the Handlungsfeld's name ("Wie organisieren wir die Umsetzung in der Verwaltung?" names none).
        """
        from assistant.drafting.request_parser import match_handlungsfeld

        short = len(self.section.split()) <= 6 and not self.section.endswith("?")
        return match_handlungsfeld(self.section, loose=short)

    @property
    def topic(self) -> str:
        """The section as a heading: the Handlungsfeld's full name or the free topic."""
        slug = self.handlungsfeld
        return HANDLUNGSFELDER[slug] if slug else self.section

    @property
    def target_words(self) -> int:
        """The words the draft's body aims at: the pages asked for, a little under a word limit."""
        words = round((self.length or 1.0) * WORDS_PER_PAGE)
        if self.max_words is not None:
            words = min(words, round(self.max_words * (1 - LENGTH_TOLERANCE / 2.5)))
        return words

    @property
    def word_bounds(self) -> tuple[int, int]:
        """The body's allowed words: ± 25 % of the length asked for, never above a word limit."""
        if self.max_words is not None:
            return round(self.max_words * (1 - LENGTH_TOLERANCE)), self.max_words
        target = round((self.length or 1.0) * WORDS_PER_PAGE)
        return round(target * (1 - LENGTH_TOLERANCE)), round(target * (1 + LENGTH_TOLERANCE))


class DraftBlock(BaseModel):
    """One paragraph, list item or measure of a draft part; ``text`` carries its [n] citations."""

    kind: Literal["paragraph", "item", "measure", "note"]
    text: str
    fields: dict[str, str] = Field(
        default_factory=dict, description="For measures: Priorität, Verantwortlich, Zeitrahmen."
    )


class DraftPart(BaseModel):
    """One part of the draft's outline with its text blocks."""

    key: str
    title: str
    blocks: list[DraftBlock] = Field(default_factory=list)
    gap: bool = Field(default=False, description="True when the documents give no evidence for this part.")
    numbered: bool = Field(default=False, description="True when the blocks are steps in order (Stufenplan).")


class PartCoverage(BaseModel):
    """How well one part is backed: distinct sources (passages) and documents it cites."""

    key: str
    title: str
    sources: int
    documents: int
    source_numbers: list[int] = Field(default_factory=list)


class DraftCoverage(BaseModel):
    """The coverage report delivered with every draft."""

    parts: list[PartCoverage]
    gaps: list[str] = Field(default_factory=list, description="Titles of parts without any source.")
    total_sources: int = 0
    total_documents: int = 0
    words: int = Field(default=0, description="Words of the draft's body (parts, without the source list).")
    word_bounds: tuple[int, int] = Field(default=(0, 0), description="The words the length asked for allows.")


class Draft(BaseModel):
    """A cited German draft: a section, preamble, memo, concept or chapter of a Digitale Agenda."""

    draft_id: str
    title: str
    request: DraftRequest
    mode: DraftMode
    markdown: str
    parts: list[DraftPart]
    citations: list[Citation] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    coverage: DraftCoverage
    warnings: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
