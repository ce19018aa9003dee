"""Domain types shared by ingestion, retrieval, the API and the bots."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from assistant.handlungsfelder import DOC_TYPES, resolve_handlungsfeld


def embedding_text(title: str, section: str, text: str) -> str:
    """Text given to the embedding model: title and heading path as context, then the chunk.

    The one definition, used by the chunker to measure token budgets and by the index to embed.
    """
    context = " > ".join(part for part in (title, section) if part)
    return f"{context}\n{text}" if context else text


class Chunk(BaseModel):
    """A piece of a document as stored in the index."""

    chunk_id: str
    doc_id: str
    text: str
    title: str
    source: str = Field(description="File path relative to the ingest root, or URL.")
    doc_type: str = "other"
    section: str = Field(default="", description="Heading path, joined with ' > '.")
    page: int | None = None
    page_end: int | None = Field(
        default=None,
        description="Last page a reader window's text reaches, when it runs past ``page``.",
    )
    position: int = Field(default=0, description="Ordinal of the chunk in its document.")
    municipality: str | None = None
    date: str | None = None
    url: str | None = None
    handlungsfelder: list[str] = Field(default_factory=list)
    doc_sets: list[str] = Field(default_factory=list)
    links: list[str] = Field(
        default_factory=list,
        description="URLs the document presents as links (anchors, Markdown links) in this text.",
    )
    ocr: bool = Field(default=False, description="The text comes from text recognition of a scan.")

    def embedding_text(self) -> str:
        """Text given to the embedding model (see :func:`embedding_text`)."""
        return embedding_text(self.title, self.section, self.text)

    @property
    def location(self) -> str:
        """Human-readable location: page and/or section."""
        parts = []
        if self.page is not None:
            pages = (
                f"{self.page}–{self.page_end}" if self.page_end and self.page_end > self.page else self.page
            )
            parts.append(f"S. {pages}")
        if self.section:
            parts.append(self.section)
        return ", ".join(parts)


class Passage(BaseModel):
    """A retrieved chunk with its score (higher is better) and per-stage scores."""

    chunk: Chunk
    score: float
    scores: dict[str, float] = Field(default_factory=dict)

    def to_result(self) -> dict[str, object]:
        """Flat JSON shape used by ``search --json`` and the API."""
        c = self.chunk
        return {
            "chunk_id": c.chunk_id,
            "doc_id": c.doc_id,
            "source": c.url or c.source,
            "title": c.title,
            "text": c.text,
            "score": round(self.score, 6),
            "scores": {k: round(v, 6) for k, v in self.scores.items()},
            "page": c.page,
            "page_end": c.page_end,
            "section": c.section,
            "location": c.location,
            "doc_type": c.doc_type,
            "municipality": c.municipality,
            "handlungsfelder": c.handlungsfelder,
            "doc_sets": c.doc_sets,
            "ocr": c.ocr,
        }


class DocumentRecord(BaseModel):
    """What the manifest knows about one ingested document."""

    doc_id: str
    source: str
    path: str = Field(default="", description="Absolute path of the file when it was ingested.")
    title: str
    doc_type: str
    content_hash: str
    chunk_count: int
    status: str
    ingested_at: str
    warnings: list[str] = Field(default_factory=list)
    doc_sets: list[str] = Field(default_factory=list)


MAX_FILTER_VALUES = 100
"""Most entries a list filter (``doc_sets``, ``doc_ids``) may have."""


class SearchFilters(BaseModel):
    """Metadata filters for retrieval. Every given field must match."""

    doc_type: str | None = None
    handlungsfeld: str | None = None
    municipality: str | None = None
    doc_sets: list[str] | None = Field(
        default=None, description="Allowed document sets; None means no restriction."
    )
    doc_ids: list[str] | None = None

    @field_validator("doc_sets", "doc_ids")
    @classmethod
    def _bounded_list(cls, value: list[str] | None) -> list[str] | None:
        # Each entry becomes a term of Chroma's ``where``; a few thousand crash its bindings.
        if value is None:
            return None
        unique = list(dict.fromkeys(v.strip() for v in value if v.strip()))
        if len(unique) > MAX_FILTER_VALUES:
            raise ValueError(f"Höchstens {MAX_FILTER_VALUES} Einträge erlaubt (angegeben: {len(unique)}).")
        return unique

    @field_validator("handlungsfeld")
    @classmethod
    def _known_handlungsfeld(cls, value: str | None) -> str | None:
        return resolve_handlungsfeld(value) if value else None

    @field_validator("doc_type")
    @classmethod
    def _known_doc_type(cls, value: str | None) -> str | None:
        if value and value not in DOC_TYPES:
            raise ValueError(f"Unbekannter Dokumenttyp {value!r}. Erlaubt: {', '.join(DOC_TYPES)}")
        return value or None


OCR_SOURCE_NOTE = "(per Texterkennung gelesen)"
"""Shown with a source whose text comes from text recognition of a scan."""


class Source(BaseModel):
    """A numbered source of an answer or draft: what [n] points to."""

    n: int
    chunk_id: str
    doc_id: str
    source: str
    title: str
    doc_type: str
    text: str = Field(
        description="The cited passage as the answerer read it: the matched chunk with its "
        "neighbouring chunks (reader window)."
    )
    location: str = ""
    page: int | None = None
    page_end: int | None = None
    section: str = ""
    url: str | None = None
    links: list[str] = Field(
        default_factory=list,
        description="Links the document presents in the passage; with ``url`` the only links "
        "an answer may show.",
    )
    ocr: bool = Field(
        default=False, description="Read by text recognition; ``location`` then ends with OCR_SOURCE_NOTE."
    )

    @classmethod
    def from_chunk(cls, n: int, chunk: Chunk, text: str | None = None) -> Source:
        return cls(
            n=n,
            chunk_id=chunk.chunk_id,
            doc_id=chunk.doc_id,
            source=chunk.url or chunk.source,
            title=chunk.title,
            doc_type=chunk.doc_type,
            text=text if text is not None else chunk.text,
            # The one place a source's label is made: every list of sources shows the note.
            location=" ".join(
                part for part in (chunk.location, OCR_SOURCE_NOTE if chunk.ocr else "") if part
            ),
            page=chunk.page,
            page_end=chunk.page_end,
            section=chunk.section,
            url=chunk.url,
            links=list(chunk.links),
            ocr=chunk.ocr,
        )


class Citation(BaseModel):
    """One use of a source in the answer: the sentence that cites [n]."""

    n: int
    chunk_id: str
    doc_id: str
    sentence: str


class Answer(BaseModel):
    """A German answer with numbered citations, or an honest abstention."""

    answer_id: str
    question: str
    answer: str
    abstained: bool
    mode: str = Field(description="extractive or llm")
    citations: list[Citation] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    passages: list[dict[str, object]] = Field(default_factory=list, description="Ranked retrieved passages.")
    warnings: list[str] = Field(default_factory=list)
    timings: dict[str, float] = Field(default_factory=dict)
    interpreted_as: str | None = Field(
        default=None, description="The question as answered, when a follow-up was related to earlier ones."
    )
    related_note: str = Field(
        default="", description="German line for the reader: what a follow-up was related to."
    )
