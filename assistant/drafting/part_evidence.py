"""What the gathering of a draft's evidence hands to the writers, and the settings it follows."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.drafting.structure import PartSpec
from assistant.generation.evidence import ScoredSentence
from assistant.types import Passage

__all__ = ["ASPECT_SECTION", "GatherSettings", "PartEvidence", "QueryEvidence"]

ASPECT_SECTION = "aspect_section"
"""Key in ``Passage.scores`` of a passage read as a section on the part's aspect."""


@dataclass
class QueryEvidence:
    """One query of a part, the passages it found and their sentences that mention its topic."""

    query: str
    topic: str
    passages: list[Passage]
    sentences: list[ScoredSentence] = field(default_factory=list)
    """On-topic sentences, best first; ``passage_rank`` indexes ``passages``."""
    main: bool = False
    """One of the part's own queries (its aspect applied to the section): its best sentence
    opens the part."""


@dataclass
class PartEvidence:
    """What one part may be written from."""

    spec: PartSpec
    queries: list[QueryEvidence]

    @property
    def gap(self) -> bool:
        """True when no query found a sentence that mentions its topic."""
        return not any(q.sentences for q in self.queries)

    def passages(self) -> list[Passage]:
        """Distinct passages of all queries, best score first."""
        best: dict[str, Passage] = {}
        for q in self.queries:
            for p in q.passages:
                if p.chunk.chunk_id not in best or p.score > best[p.chunk.chunk_id].score:
                    best[p.chunk.chunk_id] = p
        return sorted(best.values(), key=lambda p: (-p.score, p.chunk.chunk_id))


@dataclass
class GatherSettings:
    """How many passages each query brings, and what counts as on topic."""

    per_query: int = 10
    """Passages per query: the part's statements are chosen from the pool of all its queries."""
    aspect_sections: int = 4
    """Chunks under a heading on the part's aspect read from the documents the part found (0: off)."""
    aspect_section_types: tuple[str, ...] = ("case_study",)
    """Document types whose sections on the part's aspect are read: a case study's sections are
    short and each tells one aspect; a strategy's heading spans many chunks."""
    main_after: int = 2
    """The section's own queries come after this many sub-topic queries (the author's wishes first)."""
    max_subtopics: int = 10
    case_study_boost: float = 0.15
    size_match_boost: float = 0.15
    min_topic_coverage: float = 0.34
    """Share of a query topic's IDF-weighted terms (of one of its clauses, for a question with
    several) a passage (with title and headings) must contain."""
    long_topic_terms: int = 4
    min_long_topic_coverage: float = 0.2
    """The share for a topic of ``long_topic_terms`` terms or more (a question, a long section
    name): its passages name a part of it, in the other words of other documents."""
    uncovered_in_named: bool = True
    """Sentences of a passage that names the topic count even without a query term („Wer vor
    dem Zuwendungsbescheid Aufträge vergibt …“ under „Fördermittel“); they rank low."""
    topic_neighbours: int = 3
    """Passages this close (chunk positions) to one that names the topic, in the same document,
    are on topic too (0: off)."""
    own_aspect_coverage: float = 0.75
    """Share of a topic's IDF-weighted terms that must be the part's aspect words for the topic to
    count as the part's own aspect (then the retriever's ranking judges what is on topic)."""
    own_aspect_ranks: int = 3
    """For a topic that is the part's own aspect, the passages this high in the query's ranking are
    on topic without naming it (further down, the retriever's judgement is too weak alone)."""
    role_reading: tuple[str, ...] = ("empfehlung", "schritte")
    """Roles whose parts read the chunks next to their on-topic passages for sentences that fit
    the role (:mod:`assistant.drafting.role_passages`; empty: off)."""
    role_neighbours: int = 2
    """How close (chunk positions) such a chunk must be to an on-topic passage of its document."""
    role_passages: int = 4
    """At most this many such chunks per part."""
    per_document: int = 3
    """Passages per document and query: a draft summarises several parts of a long strategy, not
    only its two best chunks (the answerers' diversity step keeps two)."""
