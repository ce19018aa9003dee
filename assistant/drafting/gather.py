"""Finding the evidence for each part of a draft: its own queries, a case-study preference, a gap check.

Every part is retrieved with its own German queries (:mod:`assistant.drafting.part_queries`)
through the hybrid retriever with drafting's diversity step (:func:`drafting_retriever`): the
part's aspect ("Ausganglage", "Maßnahmen", …) applied to the section, and the part's first query
applied to every sub-topic (a Handlungsfeld's focus terms, the topics named in the author's
notes), so each wish of the author is searched on its own. Case studies of comparable
municipalities are preferred and read once more for their sections on the part's aspect
(:mod:`assistant.drafting.case_studies`), one more query of the part.

A sentence counts as evidence only when it mentions the topic of the query that found it
(:mod:`assistant.drafting.on_topic`). A part without such a sentence reports a gap instead of
borrowing text.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.drafting.case_studies import CaseStudies
from assistant.drafting.models import DraftRequest
from assistant.drafting.on_topic import CompoundAwareAnalyzer, TopicJudge, names_several_fields
from assistant.drafting.part_evidence import ASPECT_SECTION, GatherSettings, PartEvidence, QueryEvidence
from assistant.drafting.part_queries import note_topics, part_aspect, plan_queries, request_query, subtopics
from assistant.drafting.role_passages import role_neighbours
from assistant.drafting.structure import PartSpec
from assistant.generation.evidence import Analyzer, query_terms
from assistant.retrieval.base import Retriever
from assistant.retrieval.diversity import DiverseRetriever
from assistant.types import Chunk, Passage, SearchFilters

__all__ = [
    "ASPECT_SECTION",
    "CompoundAwareAnalyzer",
    "EvidenceGatherer",
    "GatherSettings",
    "PartEvidence",
    "QueryEvidence",
    "drafting_retriever",
    "names_several_fields",
    "note_topics",
    "part_aspect",
    "request_query",
]


class EvidenceGatherer:
    """Retrieves and ranks the passages for each part of a draft."""

    def __init__(
        self,
        retriever: Retriever,
        analyzer: Analyzer,
        *,
        document_chunks: Callable[[str], list[Chunk]] | None = None,
        settings: GatherSettings | None = None,
    ) -> None:
        self.retriever = retriever
        self.analyzer = analyzer
        self.document_chunks = document_chunks
        self.settings = settings or GatherSettings()
        self.judge = TopicJudge(analyzer, self.settings)
        self.case_studies = CaseStudies(analyzer, self.settings, document_chunks)
        self._found: dict[tuple[str, str], list[Passage]] = {}

    def subtopics(self, request: DraftRequest) -> list[str]:
        """The topics searched one by one: those in the author's notes and questions, then (for a
        Handlungsfeld section) the Handlungsfeld's focus terms."""
        return subtopics(request, self.analyzer, self.settings.max_subtopics)

    def gather(
        self,
        request: DraftRequest,
        spec: PartSpec,
        filters: SearchFilters | None = None,
        subtopics: list[str] | None = None,
    ) -> PartEvidence:
        """The queries of one part with their passages and on-topic sentences."""
        if subtopics is None:
            subtopics = self.subtopics(request)
        plan = plan_queries(request, spec, filters, subtopics, self.settings)
        aspect = query_terms(part_aspect(spec), self.analyzer)
        queries = [
            self._query(
                q.query, q.topic, request, q.filters, own_aspect=self.judge.names_aspect(q.topic, aspect)
            )
            for q in plan.queries
        ]
        for q in queries:
            q.main = q.query in plan.own and q.topic == plan.topic
        headings = self.case_studies.section_terms(spec)
        sections = self.case_studies.aspect_sections(queries, headings)
        if sections:
            aspect_query = part_aspect(spec)
            queries.append(self.judge.scored(aspect_query, plan.topic, request, sections, headings=headings))
        role_query = f"{part_aspect(spec)} {plan.topic}"
        terms = query_terms(role_query, self.analyzer)
        read = role_neighbours(
            spec.role, role_query, terms, queries, self.analyzer, self.document_chunks, self.settings
        )
        if read is not None:
            queries.append(read)
        return PartEvidence(spec, queries)

    def _retrieve(self, query: str, filters: SearchFilters | None) -> list[Passage]:
        """The retriever's passages, once per query and filters (parts share the request's query)."""
        key = (query, filters.model_dump_json() if filters is not None else "")
        if key not in self._found:
            self._found[key] = self.retriever.retrieve(query, self.settings.per_query, filters)
        return self._found[key]

    def _query(
        self,
        query: str,
        topic: str,
        request: DraftRequest,
        filters: SearchFilters | None,
        *,
        own_aspect: bool = False,
    ) -> QueryEvidence:
        found = self._retrieve(query, filters)
        passages = sorted(
            (self.case_studies.boosted(p, request.profile) for p in found),
            key=lambda p: (-p.score, p.chunk.chunk_id),
        )
        return self.judge.scored(query, topic, request, passages, own_aspect=own_aspect)


def drafting_retriever(retriever: Retriever, per_document: int) -> Retriever:
    """Drafting's retriever: ``retriever`` (without a diversity step) with drafting's own.

    Answers want a few passages from different places, so their diversity step keeps two
    passages per document and none next to one already kept. A draft summarises: the next chunk
    of a long strategy often carries the next measure or goal, and the part's selection already
    spreads its statements over documents. So drafting keeps up to ``per_document`` passages per
    document and query, neighbours included.
    """
    return DiverseRetriever(retriever, per_document=per_document, min_gap=1)
