"""Drafting sections of a Digitale Agenda: structured, grounded, every statement cited.

``Assistant.draft(request)`` is what the CLI, the API and the bots call; :func:`create_drafter`
builds the drafter the settings ask for (extractive Materialsammlung, or LLM prose with the
extractive draft as fallback when the model is unreachable).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.drafting.drafter import Drafter
from assistant.drafting.export_docx import render_docx
from assistant.drafting.export_odt import render_odt
from assistant.drafting.models import (
    Draft,
    DraftBlock,
    DraftCoverage,
    DraftPart,
    DraftRequest,
    MunicipalityProfile,
    PartCoverage,
)
from assistant.drafting.request_parser import parse_request
from assistant.generation.fallback import FALLBACK_WARNING

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.index import Index
    from assistant.retrieval.base import Retriever


def create_drafter(settings: Settings, index: Index, retriever: Retriever) -> Drafter:
    """Extractive unless ``llm_base_url`` is set; then LLM, falling back to extractive if configured.

    ``retriever`` is the plain hybrid retriever: drafting adds its own diversity step."""
    from assistant.drafting.extractive import ExtractiveDraftWriter
    from assistant.drafting.gather import EvidenceGatherer, GatherSettings, drafting_retriever
    from assistant.retrieval.safe_text import SafeTextRetriever, safe_chunk

    # Drafts quote document text: it is read neutralised, like an answer's passages.
    def document_chunks(doc_id: str):  # noqa: ANN202 - list[Chunk]
        chunks = index.manifest.chunks(index.manifest.ready_chunk_ids(doc_id)).values()
        return [safe_chunk(chunk) for chunk in chunks]

    gather_settings = GatherSettings()
    gatherer = EvidenceGatherer(
        SafeTextRetriever(drafting_retriever(retriever, gather_settings.per_document)),
        index,
        document_chunks=document_chunks,
        settings=gather_settings,
    )
    extractive = ExtractiveDraftWriter()
    if not settings.llm_base_url:
        return Drafter(gatherer, extractive)
    from assistant.drafting.llm import LLMDraftWriter

    llm = LLMDraftWriter.from_settings(settings)
    return Drafter(gatherer, llm, extractive if settings.llm_fallback_extractive else None)


__all__ = [
    "FALLBACK_WARNING",
    "Draft",
    "DraftBlock",
    "DraftCoverage",
    "DraftPart",
    "DraftRequest",
    "Drafter",
    "MunicipalityProfile",
    "PartCoverage",
    "create_drafter",
    "parse_request",
    "render_docx",
    "render_odt",
]
