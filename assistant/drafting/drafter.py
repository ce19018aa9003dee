"""Assembling a draft: the type's outline, evidence per part, a writer per mode, the length
budget, global numbering and the coverage report."""

from __future__ import annotations

import logging
import time
import uuid

from assistant.drafting.base import DraftContext, PartWriter, SourceNumbering
from assistant.drafting.extractive import LABEL as EXTRACTIVE_LABEL
from assistant.drafting.gather import EvidenceGatherer, PartEvidence
from assistant.drafting.length import body_words, count_words, part_budgets, part_words, trim_to
from assistant.drafting.markdown import draft_title, render_markdown
from assistant.drafting.models import Draft, DraftCoverage, DraftPart, DraftRequest, PartCoverage
from assistant.drafting.progress import ProgressHook, ProgressReporter
from assistant.drafting.structure import load_structure
from assistant.generation.fallback import FALLBACK_WARNING, first_available
from assistant.text.citation_markers import cited_numbers, renumber_markers
from assistant.types import Citation, SearchFilters, Source

log = logging.getLogger(__name__)

LLM_LABEL = (
    "Entwurf, vom Sprachmodell ausschließlich aus den zitierten Quellen geschrieben. "
    "Bitte jede Aussage an der Quelle prüfen, bevor der Text verwendet wird."
)


def label_for(mode: str) -> str:
    """The note at the top of a draft that says how it was made."""
    return EXTRACTIVE_LABEL if mode == "extractive" else LLM_LABEL


def statements_per_part(pages: float) -> int:
    """At most this many statements (or paragraphs) per part; the word budget usually ends a part
    first (short statements would otherwise leave a draft below its length)."""
    return max(4, round(4 + 6 * pages))


class Drafter:
    """Drafts one section: gathers evidence per part, lets the writer write, numbers the sources."""

    def __init__(
        self, gatherer: EvidenceGatherer, writer: PartWriter, fallback: PartWriter | None = None
    ) -> None:
        self.gatherer = gatherer
        self.writer = writer
        self.fallback = fallback

    def draft(
        self,
        request: DraftRequest,
        filters: SearchFilters | None = None,
        progress: ProgressHook | None = None,
    ) -> Draft:
        """The draft of ``request``; ``progress`` hears when each part starts and finishes
        (see :mod:`assistant.drafting.progress`; after a fallback the writing starts again)."""
        started = time.perf_counter()
        subtopics = self.gatherer.subtopics(request)
        outline = load_structure().outline(request.doc_type, list(request.form or ()))
        reporter = ProgressReporter(progress, len(outline))
        evidence = []
        for index, spec in enumerate(outline):
            reporter.report("evidence", "started", index, spec, mode=self.writer.mode)
            evidence.append(self.gatherer.gather(request, spec, filters, subtopics))
            gap = evidence[-1].gap
            reporter.report("evidence", "finished", index, spec, mode=self.writer.mode, gap=gap)
        gathered = time.perf_counter()
        fallback = self.fallback
        draft, fell_back = first_available(
            lambda: self._write(request, evidence, self.writer, reporter),
            (lambda: self._write(request, evidence, fallback, reporter)) if fallback else None,
            fallback.mode if fallback else "",
        )
        draft.warnings = ([FALLBACK_WARNING] if fell_back else []) + draft.warnings
        draft.timings["retrieve_ms"] = round((gathered - started) * 1000, 2)
        draft.timings["total_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return draft

    def _write(
        self,
        request: DraftRequest,
        evidence: list[PartEvidence],
        writer: PartWriter,
        reporter: ProgressReporter | None = None,
    ) -> Draft:
        reporter = reporter or ProgressReporter(None, len(evidence))
        context = DraftContext(request, statements_per_part(request.length or 1.0))
        budgets = part_budgets(request.target_words, [e.spec for e in evidence], [e.gap for e in evidence])
        parts: list[DraftPart] = []
        cited_by_part: list[list[Citation]] = []
        warnings: list[str] = []
        carry = 0
        for index, (part_evidence, budget) in enumerate(zip(evidence, budgets, strict=True)):
            # What a part leaves unused (or overdraws) passes to the next part with evidence.
            context.words = max(0, budget + carry) if not part_evidence.gap else 0
            spec, so_far = part_evidence.spec, len(context.numbering.sources)
            reporter.report("writing", "started", index, spec, mode=writer.mode, sources=so_far)
            written = writer.write(part_evidence, index, context)
            so_far, gap = len(context.numbering.sources), written.part.gap
            reporter.report("writing", "finished", index, spec, mode=writer.mode, sources=so_far, gap=gap)
            if not part_evidence.gap:
                carry = context.words - (part_words(written.part) - count_words(written.part.title))
            parts.append(written.part)
            cited_by_part.append(written.citations)
            warnings += written.warnings
        citations = [c for part_citations in cited_by_part for c in part_citations]
        low, high = request.word_bounds
        if body_words(parts) > high:
            trim_to(parts, high)
            citations = _renumber(parts, cited_by_part, context.numbering)
        sources = context.numbering.sources
        coverage = coverage_report(parts, sources)
        coverage.words, coverage.word_bounds = body_words(parts), (low, high)
        if coverage.gaps:
            warnings.append("Ohne Belege in den Dokumenten: " + ", ".join(coverage.gaps))
        if coverage.words < low:
            warnings.append(
                f"Die Dokumente geben nur Material für etwa {coverage.words} Wörter her "
                f"(gewünscht: {low}–{high})."
            )
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


def _renumber(
    parts: list[DraftPart], cited_by_part: list[list[Citation]], numbering: SourceNumbering
) -> list[Citation]:
    """After trimming: keep the sources still cited, numbered 1..n again in order of first use,
    and each part's citations whose source the part still cites."""
    order = list(dict.fromkeys(n for p in parts for b in p.blocks for n in cited_numbers(b.text)))
    mapping = numbering.renumber(order)
    kept: list[Citation] = []
    for part, citations in zip(parts, cited_by_part, strict=True):
        for block in part.blocks:
            block.text = renumber_markers(block.text, mapping.__getitem__)
        still = {n for b in part.blocks for n in cited_numbers(b.text)}
        kept += [c.model_copy(update={"n": mapping[c.n]}) for c in citations if mapping.get(c.n) in still]
    return kept


def coverage_report(parts: list[DraftPart], sources: list[Source]) -> DraftCoverage:
    """Per part the distinct sources and documents it cites; the parts that cite none are gaps."""
    by_number = {s.n: s for s in sources}
    report = []
    for part in parts:
        cited = (n for block in part.blocks for n in cited_numbers(block.text))
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
