"""The drafting request (section, municipality profile, notes, length) and the draft it yields."""

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

MIN_PAGES = 0.5
MAX_PAGES = 5.0


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
        details = []
        if self.size_class and self.size_class != self.kind:
            details.append(self.size_class)
        if self.inhabitants:
            details.append(f"{self.inhabitants:,}".replace(",", ".") + " Einwohnerinnen und Einwohner")
        head = self.name or self.kind or "Kommune"
        return f"{head} ({', '.join(details)})" if details else head


class DraftRequest(BaseModel):
    """What to draft: a Handlungsfeld (slug or name) or a free topic, for whom, and how long."""

    section: str = Field(min_length=2, description="Handlungsfeld (Kürzel oder Name) oder freies Thema.")
    profile: MunicipalityProfile = Field(default_factory=MunicipalityProfile)
    notes: str = Field(default="", description="Lokale Hinweise und Schwerpunkte des Autors.")
    length: float = Field(default=1.0, description="Umfang in Seiten (0,5 bis 5).")

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
    def _pages_in_range(cls, value: float) -> float:
        if not MIN_PAGES <= value <= MAX_PAGES:
            raise ValueError(f"length: Umfang muss zwischen {MIN_PAGES:g} und {MAX_PAGES:g} Seiten liegen.")
        return value

    @property
    def handlungsfeld(self) -> str | None:
        """The Handlungsfeld slug when ``section`` names one, else None (a free topic)."""
        from assistant.drafting.request_parser import match_handlungsfeld

        return match_handlungsfeld(self.section)

    @property
    def topic(self) -> str:
        """The section as a heading: the Handlungsfeld's full name or the free topic."""
        slug = self.handlungsfeld
        return HANDLUNGSFELDER[slug] if slug else self.section


class DraftBlock(BaseModel):
    """One paragraph, list item or measure of a draft part; ``text`` carries its [n] citations."""

    kind: Literal["paragraph", "item", "measure", "note"]
    text: str
    fields: dict[str, str] = Field(
        default_factory=dict, description="For measures: Priorität, Verantwortlich, Zeitrahmen."
    )


class DraftPart(BaseModel):
    """One part of the fixed structure with its text blocks."""

    key: str
    title: str
    blocks: list[DraftBlock] = Field(default_factory=list)
    gap: bool = Field(default=False, description="True when the documents give no evidence for this part.")


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


class Draft(BaseModel):
    """A cited German draft of one section of a Digitale Agenda."""

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
