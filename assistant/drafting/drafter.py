"""Assembling a draft: evidence per part, a writer per mode, global numbering, coverage report."""

from __future__ import annotations

import logging
import re
import time
import uuid

from assistant.drafting.base import DraftContext, PartWriter
from assistant.drafting.extractive import LABEL as EXTRACTIVE_LABEL
from assistant.drafting.gather import EvidenceGatherer, PartEvidence
from assistant.drafting.markdown import draft_title, render_markdown
from assistant.drafting.models import Draft, DraftCoverage, DraftPart, DraftRequest, PartCoverage
from assistant.drafting.structure import load_structure
from assistant.errors import LLMUnavailableError
from assistant.types import Citation, SearchFilters, Source

log = logging.getLogger(__name__)

LLM_LABEL = (
    "Entwurf, vom Sprachmodell ausschließlich aus den zitierten Quellen geschrieben. "
    "Bitte jede Aussage an der Quelle prüfen, bevor der Text verwendet wird."
)
FALLBACK_WARNING = (
    "Das Sprachmodell war nicht erreichbar; der Entwurf wurde als Materialsammlung aus den Quellen "
    "zusammengestellt."
)


_MARKER = re.compile(r"\[(\d+)\]")


def label_for(mode: str) -> str:
    """The note at the top of a draft that says how it was made."""
    return EXTRACTIVE_LABEL if mode == "extractive" else LLM_LABEL


def statements_per_part(pages: float) -> int:
    """How many statements (or paragraphs) each part gets for a length in pages."""
    return max(3, round(3 + 3 * pages))


class Drafter:
    """Drafts one section: gathers evidence per part, lets the writer write, numbers the sources."""

    def __init__(
        self, gatherer: EvidenceGatherer, writer: PartWriter, fallback: PartWriter | None = None
    ) -> None:
        self.gatherer = gatherer
        self.writer = writer
        self.fallback = fallback

    def draft(self, request: DraftRequest, filters: SearchFilters | None = None) -> Draft:
        started = time.perf_counter()
        subtopics = self.gatherer.subtopics(request)
        evidence = [
            self.gatherer.gather(request, spec, filters, subtopics) for spec in load_structure().parts
        ]
        gathered = time.perf_counter()
        warnings: list[str] = []
        try:
            draft = self._write(request, evidence, self.writer)
        except LLMUnavailableError as exc:
            if self.fallback is None:
                raise
            log.warning("drafting falls back to %s: %s", self.fallback.mode, exc.code)
            warnings.append(FALLBACK_WARNING)
            draft = self._write(request, evidence, self.fallback)
        draft.warnings = warnings + draft.warnings
        draft.timings["retrieve_ms"] = round((gathered - started) * 1000, 2)
        draft.timings["total_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return draft

    def _write(self, request: DraftRequest, evidence: list[PartEvidence], writer: PartWriter) -> Draft:
        context = DraftContext(request, statements_per_part(request.length))
        parts: list[DraftPart] = []
        citations: list[Citation] = []
        warnings: list[str] = []
        for index, part_evidence in enumerate(evidence):
            written = writer.write(part_evidence, index, context)
            parts.append(written.part)
            citations += written.citations
            warnings += written.warnings
        sources = context.numbering.sources
        coverage = coverage_report(parts, sources)
        if coverage.gaps:
            warnings.append("Ohne Belege in den Dokumenten: " + ", ".join(coverage.gaps))
        title = draft_title(request)
        return Draft(
            draft_id=uuid.uuid4().hex[:16],
            title=title,
            request=request,
            mode=writer.mode,  # type: ignore[arg-type]
            markdown=render_markdown(title, request, label_for(writer.mode), parts, sources),
            parts=parts,
            citations=citations,
            sources=sources,
            coverage=coverage,
            warnings=warnings,
        )


def coverage_report(parts: list[DraftPart], sources: list[Source]) -> DraftCoverage:
    """Per part the distinct sources and documents it cites; the parts that cite none are gaps."""
    by_number = {s.n: s for s in sources}
    report = []
    for part in parts:
        cited = (int(n) for block in part.blocks for n in _MARKER.findall(block.text))
        numbers = sorted({n for n in cited if n in by_number})
        documents = {by_number[n].doc_id for n in numbers}
        report.append(
            PartCoverage(
                key=part.key,
                title=part.title,
                sources=len(numbers),
                documents=len(documents),
                source_numbers=numbers,
            )
        )
    return DraftCoverage(
        parts=report,
        gaps=[p.title for p in report if p.sources == 0],
        total_sources=len(sources),
        total_documents=len({s.doc_id for s in sources}),
    )
