"""What every draft writer shares: global source numbering, the writer interface, sentence choice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from assistant.drafting.gather import PartEvidence
from assistant.drafting.measures import is_measure_row, reads_like_measure
from assistant.drafting.models import DraftPart, DraftRequest
from assistant.drafting.selection import Candidate, pool_candidates, select_diverse
from assistant.generation.evidence import ScoredSentence
from assistant.text.tables import row_fields
from assistant.types import Chunk, Citation, Passage, Source


class SourceNumbering:
    """Numbers sources 1..n across the whole draft, in order of first citation (one per passage)."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self.sources: list[Source] = []

    def number(self, chunk: Chunk) -> int:
        if chunk.chunk_id not in self._numbers:
            n = len(self.sources) + 1
            self._numbers[chunk.chunk_id] = n
            self.sources.append(Source.from_chunk(n, chunk))
        return self._numbers[chunk.chunk_id]

    def cited_chunk_ids(self) -> set[str]:
        return set(self._numbers)

    def cited_doc_ids(self) -> set[str]:
        return {s.doc_id for s in self.sources}


@dataclass
class DraftContext:
    """State shared by the parts of one draft while it is written."""

    request: DraftRequest
    statements_per_part: int
    numbering: SourceNumbering = field(default_factory=SourceNumbering)
    used: list[ScoredSentence] = field(default_factory=list)
    """Sentences already quoted in earlier parts (never repeated)."""


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


MIN_STATEMENT_WORDS = 6


def is_statement(text: str, passage_text: str) -> bool:
    """True for a sentence that can stand as a statement: a table row, or at least six words
    that do not ask a question.

    Headings, captions and list labels ("Anlage 2: Maßnahmenplan 2024–2026", "Begleitung in
    der Umsetzung") name a topic but say nothing about it; a checklist's question ("Ist
    festgelegt, wer die Beiträge auswertet?") asks what the draft should state.
    """
    if row_fields(text, passage_text) is not None:
        return True
    return len(text.split()) >= MIN_STATEMENT_WORDS and not text.rstrip().endswith("?")


def choose_statements(evidence: PartEvidence, index: int, context: DraftContext) -> list[Statement]:
    """The part's statements: the sentences of all its queries pooled, then chosen for diversity.

    The on-topic sentences of every query are fused by reciprocal rank
    (:func:`assistant.drafting.selection.pool_candidates`), so each sub-topic's best sentence
    competes however many queries the part has, and chosen by maximal marginal relevance
    (:func:`assistant.drafting.selection.select_diverse`): a passage already cited, a document
    this part already quotes and a sub-topic already served count against a sentence, so one
    document cannot fill a part. No sentence is repeated across parts, rows of a measures table
    only go to the measures part, and the measures part prefers statements that read like
    measures. ``index`` (the part's position) is part of the writer interface and not needed here.
    """
    measures = evidence.spec.measures
    pooled = [
        c
        for c in pool_candidates([(q.sentences, q.passages) for q in evidence.queries])
        if is_statement(c.sentence.text, c.passage.chunk.text)
    ]
    if measures:
        candidates = pooled

        def preferred(c: Candidate) -> bool:
            return reads_like_measure(c.sentence.text, c.passage.chunk.text)
    else:
        candidates = [c for c in pooled if not is_measure_row(c.sentence.text, c.passage.chunk.text)]
        preferred = None  # type: ignore[assignment]
    cited = context.numbering.cited_chunk_ids()
    chosen = select_diverse(
        candidates,
        context.statements_per_part,
        taken=context.used,
        cited_passages=cited,
        cited_documents=context.numbering.cited_doc_ids(),
        preferred=preferred,
    )
    statements = [Statement(c.sentence, c.passage) for c in chosen]
    context.used.extend(s.sentence for s in statements)
    return statements
