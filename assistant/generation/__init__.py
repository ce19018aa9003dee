"""Answer generation: extractive (default, no LLM) and LLM (OpenAI-compatible) answerers."""

from __future__ import annotations

from assistant.config import Settings
from assistant.generation.base import NOTHING_FOUND, Answerer
from assistant.generation.extractive import ExtractiveAnswerer
from assistant.generation.fallback import FALLBACK_WARNING, FallbackAnswerer
from assistant.generation.llm import LLMAnswerer
from assistant.index import Index


def create_answerer(settings: Settings, index: Index) -> Answerer:
    """The answerer the settings ask for.

    Extractive unless ``llm_base_url`` is set; then the LLM answerer, wrapped so that an
    unreachable model falls back to the extractive answer when ``llm_fallback_extractive``.
    """
    extractive = ExtractiveAnswerer(index)
    if not settings.llm_base_url:
        return extractive
    llm = LLMAnswerer.from_settings(settings, index)
    return FallbackAnswerer(llm, extractive) if settings.llm_fallback_extractive else llm


__all__ = [
    "FALLBACK_WARNING",
    "NOTHING_FOUND",
    "Answerer",
    "ExtractiveAnswerer",
    "FallbackAnswerer",
    "LLMAnswerer",
    "create_answerer",
]
