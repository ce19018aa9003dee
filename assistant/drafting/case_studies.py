"""Case studies in a draft: a boost for comparable municipalities, and their sections on a part's aspect.

When the profile gives a size class, case studies are preferred, those of municipalities of the
same size class (the municipality's "… Einwohner" as the document states it) a little more. The
case studies found are read once more for their sections on the part's aspect (headed
"Ausgangslage", "Kosten und Einsparungen", …; ``sections`` in structure.yaml).
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.drafting.models import MunicipalityProfile, size_class_for
from assistant.drafting.on_topic import CompoundAwareAnalyzer
from assistant.drafting.part_evidence import ASPECT_SECTION, GatherSettings, QueryEvidence
from assistant.drafting.request_parser import parse_inhabitants
from assistant.drafting.structure import PartSpec
from assistant.generation.evidence import Analyzer
from assistant.types import Chunk, Passage

__all__ = ["CaseStudies"]

_REGIONAL = ("Landkreis", "Kreis", "Region")


class CaseStudies:
    """Boosts case studies of comparable municipalities and finds their sections on an aspect."""

    def __init__(
        self,
        analyzer: Analyzer,
        settings: GatherSettings,
        document_chunks: Callable[[str], list[Chunk]] | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.settings = settings
        self.document_chunks = document_chunks
        self._inhabitants: dict[str, int | None] = {}

    def boosted(self, passage: Passage, profile: MunicipalityProfile) -> Passage:
        """``passage`` with the case-study boost (more for the same size class), when the profile
        has a size class."""
        if not profile.size_class or passage.chunk.doc_type != "case_study":
            return passage
        boost = self.settings.case_study_boost
        if self._same_size(passage.chunk, profile):
            boost += self.settings.size_match_boost
        scores = {**passage.scores, "case_study_boost": boost}
        return Passage(chunk=passage.chunk, score=passage.score * (1 + boost), scores=scores)

    def section_terms(self, spec: PartSpec) -> frozenset[str]:
        """The analyzed terms of the part's section headings ("Ausgangslage", "Kosten", ...)."""
        return frozenset(t for heading in spec.sections for t in self.analyzer.analyze(heading))

    def aspect_sections(self, queries: list[QueryEvidence], headings: frozenset[str]) -> list[Passage]:
        """The chunks under a heading the part names, of the documents the part's queries found
        on topic, ranked by their document's best passage (at most ``aspect_sections``).

        A case study tells its "Ausgangslage" or its "Kosten und Einsparungen" in a section of its
        own, which the part's queries rarely rank high: they name the section's topic, and the
        document's other chunks name it more often.
        """
        if not headings or self.document_chunks is None or self.settings.aspect_sections <= 0:
            return []
        best: dict[str, Passage] = {}
        for q in queries:
            for rank in {s.passage_rank for s in q.sentences}:
                p = q.passages[rank]
                if p.chunk.doc_type not in self.settings.aspect_section_types:
                    continue
                if p.chunk.doc_id not in best or p.score > best[p.chunk.doc_id].score:
                    best[p.chunk.doc_id] = p
        passages = []
        for doc_id, top in sorted(best.items(), key=lambda item: (-item[1].score, item[0])):
            for chunk in self.document_chunks(doc_id):
                if self._heading_matches(chunk, headings):
                    scores = {**top.scores, ASPECT_SECTION: 1.0}
                    passages.append(Passage(chunk=chunk, score=top.score, scores=scores))
            if len(passages) >= self.settings.aspect_sections:
                break
        return passages[: self.settings.aspect_sections]

    def _heading_matches(self, chunk: Chunk, headings: frozenset[str]) -> bool:
        """True when a heading of the chunk's section path (not the document's title) names one
        of the part's section words, also inside a compound ("Ausgangssituation", "Finanzierungsmodell")."""
        title = chunk.title.strip()
        path = " ".join(h for h in chunk.section.split(" > ") if h.strip() and h.strip() != title)
        if not path:
            return False
        return bool(headings & set(CompoundAwareAnalyzer(self.analyzer, headings).analyze(path)))

    def _same_size(self, chunk: Chunk, profile: MunicipalityProfile) -> bool:
        municipality = chunk.municipality or ""
        if profile.size_class in ("Landkreis", "Region"):
            return municipality.startswith(_REGIONAL)
        if municipality.startswith(_REGIONAL):
            return False
        inhabitants = self._document_inhabitants(chunk.doc_id)
        return inhabitants is not None and size_class_for(inhabitants) == profile.size_class

    def _document_inhabitants(self, doc_id: str) -> int | None:
        """Inhabitants a document states first ("… rund 7.900 Einwohnerinnen …"), cached per document."""
        if doc_id not in self._inhabitants:
            chunks = self.document_chunks(doc_id) if self.document_chunks else []
            self._inhabitants[doc_id] = next(
                (n for n in (parse_inhabitants(c.text) for c in chunks) if n is not None), None
            )
        return self._inhabitants[doc_id]
