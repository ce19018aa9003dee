"""What every draft writer shares: global source numbering, the writer interface, sentence choice."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from assistant.drafting.gather import PartEvidence
from assistant.drafting.measures import is_measure_row, reads_like_measure, unit_row
from assistant.drafting.models import DraftPart, DraftRequest
from assistant.drafting.selection import Candidate, pool_candidates, select_diverse
from assistant.drafting.sentence_roles import fits_role, refers_to_publication
from assistant.generation.evidence import ScoredSentence, quotable
from assistant.text.tables import table_cells
from assistant.text.units import is_label_value
from assistant.types import Chunk, Citation, Passage, Source


class SourceNumbering:
    """Numbers sources 1..n across the whole draft, in order of first citation.

    One source per document section: two passages under the same heading of the same document
    (or, in a document without headings, anywhere in it) are one entry of the source list, whose
    text holds the cited passages in document order. The reader sees one „[3] Titel (Abschnitt)“,
    not two entries that look the same.
    """

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, str], int] = {}
        self._chunks: dict[int, dict[str, Chunk]] = {}
        self.sources: list[Source] = []

    @staticmethod
    def key(chunk: Chunk) -> tuple[str, str]:
        """What makes a source: the document and the section the passage stands in."""
        return chunk.doc_id, chunk.section

    def number(self, chunk: Chunk) -> int:
        key = self.key(chunk)
        if key not in self._numbers:
            n = len(self.sources) + 1
            self._numbers[key] = n
            self._chunks[n] = {}
            self.sources.append(Source.from_chunk(n, chunk))
        n = self._numbers[key]
        if chunk.chunk_id not in self._chunks[n]:
            self._chunks[n][chunk.chunk_id] = chunk
            self._merge(n)
        return n

    def _merge(self, n: int) -> None:
        chunks = sorted(self._chunks[n].values(), key=lambda c: (c.position, c.chunk_id))
        if len(chunks) == 1:
            return
        pages = [c.page for c in chunks if c.page is not None]
        ends = [c.page_end or c.page for c in chunks if c.page is not None]
        first = chunks[0].model_copy(
            update={"page": min(pages) if pages else None, "page_end": max(ends) if ends else None}
        )
        merged = Source.from_chunk(n, first, text="\n\n".join(c.text for c in chunks))
        merged.links = list(dict.fromkeys(link for c in chunks for link in c.links))
        self.sources[n - 1] = merged

    def cited_chunk_ids(self) -> set[str]:
        return {chunk_id for chunks in self._chunks.values() for chunk_id in chunks}

    def cited_doc_ids(self) -> set[str]:
        return {s.doc_id for s in self.sources}

    def cited_sections(self) -> set[tuple[str, str]]:
        return set(self._numbers)

    def renumber(self, order: list[int]) -> dict[int, int]:
        """Keep only the sources in ``order`` (old numbers, in order of first citation) and number
        them 1..n again; returns old -> new."""
        mapping = {old: new for new, old in enumerate(order, start=1)}
        sources, chunks = [], {}
        for old in order:
            source = self.sources[old - 1].model_copy(update={"n": mapping[old]})
            sources.append(source)
            chunks[mapping[old]] = self._chunks[old]
        self.sources = sources
        self._chunks = chunks
        self._numbers = {key: mapping[n] for key, n in self._numbers.items() if n in mapping}
        return mapping


@dataclass
class DraftContext:
    """State shared by the parts of one draft while it is written."""

    request: DraftRequest
    statements_per_part: int
    """At most this many statements per part (the word budget usually ends a part first)."""
    numbering: SourceNumbering = field(default_factory=SourceNumbering)
    used: list[ScoredSentence] = field(default_factory=list)
    """Sentences already quoted in earlier parts (never repeated)."""
    words: int | None = None
    """The current part's word budget (None: no bound, only ``statements_per_part``)."""


@dataclass
class WrittenPart:
    part: DraftPart
    citations: list[Citation] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class PartWriter(Protocol):
    """Writes one part of the draft from its evidence."""

    mode: str

    def write(self, evidence: PartEvidence, index: int, context: DraftContext) -> WrittenPart: ...


@dataclass(frozen=True)
class Statement:
    """A chosen sentence with the passage it comes from."""

    sentence: ScoredSentence
    passage: Passage


MIN_STATEMENT_WORDS = 5
LEAD_ROLE_WITHIN = 5
"""A part opens with the first sentence fitting its role among its own queries' best this many."""


def is_statement(text: str, passage_text: str) -> bool:
    """True for a sentence that can stand as a statement: a table row, or at least five words
    that read as a statement („Die Digitalstrategie verfolgt keinen Selbstzweck.“).

    Headings, captions and list labels ("Anlage 2: Maßnahmenplan 2024–2026", "So läuft ein
    Förderantrag in der Stadtverwaltung") name a topic but say nothing about it; a checklist's
    question ("Ist festgelegt, wer die Beiträge auswertet?") asks what the draft should state;
    an announcement ("Der folgende Bericht fasst zusammen …") only says what its document says.
    """
    row = unit_row(text, passage_text)
    if row is not None:
        # A checklist's row asks („B5 | Werden die Daten verschlüsselt übertragen? | ☐“).
        return not any(cell.rstrip().endswith("?") for cell in row.values())
    if table_cells(text) is not None and "?" in text:
        return False
    if promotes_itself(text) or refers_to_publication(text):
        return False
    if text.rstrip().endswith(":") or _short_label(text):
        # A lead-in whose list did not come with it („Hier ein exemplarischer Weg:“), or a label
        # with a value of a few words („Datum: 20. Februar 2024.“, „Anlage 2: Maßnahmenplan“).
        return False
    return len(text.split()) >= MIN_STATEMENT_WORDS and quotable(text)


# A provider speaking about itself („Die langjährige Erfahrung der … bei der Begleitung von
# Kommunen hat gezeigt …“, „Wir begleiten Kommunen …“, „sprechen Sie gerne unseren …“): a
# consultancy's web page is a source of findings, not of its self-description.
_SELF_PROMOTION = re.compile(
    r"\b(?:(?:unsere|die)\s+langjährige\w*\s+Erfahrung|wir\s+begleiten|begleiten\s+wir|"
    r"unsere[rnm]?\s+(?:Arbeit|Angebote?|Beratung|Leistungen|Kunden|Projekten)\b|"
    r"sprechen\s+Sie\b|kontaktieren\s+Sie|Mehr\s+Informationen\s+finden\s+Sie)",
    re.IGNORECASE,
)


def promotes_itself(sentence: str) -> bool:
    """Whether a sentence is a provider's self-description or call to contact it."""
    return bool(_SELF_PROMOTION.search(sentence))


def _short_label(text: str, max_value_words: int = 4) -> bool:
    """A label-value line whose value is a few words: metadata, not a statement („Früh beginnen:
    Beteiligung setzt ein, bevor …“ is one)."""
    if not is_label_value(text):
        return False
    pairs = [part.partition(": ") for part in text.split("; ")]
    return all(label and len(value.split()) <= max_value_words for label, _, value in pairs)


def choose_statements(
    evidence: PartEvidence,
    index: int,
    context: DraftContext,
    cost: Callable[[Statement], int] | None = None,
) -> list[Statement]:
    """The part's statements: the sentences of all its queries pooled, then chosen for diversity.

    The on-topic sentences of every query are fused by reciprocal rank
    (:func:`assistant.drafting.selection.pool_candidates`), so each sub-topic's best sentence
    competes however many queries the part has, and chosen by maximal marginal relevance
    (:func:`assistant.drafting.selection.select_diverse`): a passage already cited, a document
    this part already quotes and a sub-topic already served count against a sentence, so one
    document cannot fill a part. The part opens with the best sentence of its own queries (the
    part's aspect applied to the section), so its first statement is on its subject. No sentence
    is repeated across parts, rows of a measures table only go to the measures part, and the
    measures part prefers statements that read like measures. With ``cost`` (the words a
    statement takes in the draft) statements are chosen while they fit the part's word budget
    (``context.words``). ``index`` (the part's position) is part of the writer interface and not
    needed here.
    """
    measures = evidence.spec.measures

    def admissible(c: Candidate) -> bool:
        if not is_statement(c.sentence.text, c.passage.chunk.text):
            return False
        return measures or not is_measure_row(c.sentence.text, c.passage.chunk.text)

    found = pool_candidates([(q.sentences, q.passages) for q in evidence.queries])
    pooled = [c for c in found if admissible(c)]
    preferred = None
    if measures:

        def preferred(c: Candidate) -> bool:
            return reads_like_measure(c.sentence.text, c.passage.chunk.text)

    role = evidence.spec.role

    def fits(c: Candidate) -> bool:
        return fits_role(role, c.sentence.text)

    lead = _lead(evidence, pooled, fits if role else None)
    cited = context.numbering.cited_chunk_ids()

    def words(c: Candidate) -> int:
        return cost(Statement(c.sentence, c.passage)) if cost is not None else 0

    chosen = select_diverse(
        pooled,
        context.statements_per_part,
        taken=context.used,
        cited_passages=cited,
        cited_documents=context.numbering.cited_doc_ids(),
        preferred=preferred,
        fits=fits if role else None,
        cost=words if cost is not None else None,
        max_cost=context.words if cost is not None else None,
        lead=lead,
    )
    statements = [Statement(c.sentence, c.passage) for c in chosen]
    context.used.extend(s.sentence for s in statements)
    return statements


def _lead(
    evidence: PartEvidence,
    pooled: list[Candidate],
    fits: Callable[[Candidate], bool] | None = None,
    within: int = LEAD_ROLE_WITHIN,
) -> Candidate | None:
    """The pooled candidate that the part's own queries (its aspect on the section) rank best.

    With ``fits`` (the part's role), the best of the first ``within`` that fits the role leads:
    an „Empfehlung“ opens with a sentence that recommends, not with the best-ranked framing.
    """
    main = [q for q in evidence.queries if q.main]
    if not main:
        return None
    by_key = {(c.chunk_id, c.sentence.position): c for c in pooled}
    ranked = pool_candidates([(q.sentences, q.passages) for q in main])
    found = [c for c in (by_key.get((r.chunk_id, r.sentence.position)) for r in ranked) if c is not None]
    if fits is not None:
        fitting = [c for c in found[:within] if fits(c)]
        if fitting:
            return fitting[0]
    return found[0] if found else None
