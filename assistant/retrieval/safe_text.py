"""Document text made safe to show, before any answerer, drafter or API response reads it.

A document may quote Slack control sequences (``<!channel>``, ``<@U123>``, ``<https://…|…>``),
HTML or links in its plain text. Extractive answers and drafts quote document text verbatim,
search results return it, and the model reads it, so it is neutralised once, where passages
leave retrieval: every output built from them (API, chat completions, Slack, CLI, drafts)
starts from the same safe text. Only the chunk's own URL and the links its document presents
as links survive (:func:`assistant.text.links.allowed_urls`). What a model writes is checked
again on its way out (:mod:`assistant.generation.llm`).
"""

from __future__ import annotations

from assistant.retrieval.base import WrappingRetriever
from assistant.text.links import allowed_urls, neutralise_output
from assistant.types import Chunk, Passage

__all__ = ["SafeTextRetriever", "safe_chunk", "safe_passage"]

_FIELDS = ("text", "title", "section")


def safe_chunk(chunk: Chunk) -> Chunk:
    """``chunk`` with text, title and section neutralised (the same object when nothing changes)."""
    allowed = allowed_urls([chunk])
    update = {name: neutralise_output(getattr(chunk, name), allowed) for name in _FIELDS}
    changed = {name: value for name, value in update.items() if value != getattr(chunk, name)}
    return chunk.model_copy(update=changed) if changed else chunk


def safe_passage(passage: Passage) -> Passage:
    """``passage`` with its chunk's text neutralised (see :func:`safe_chunk`)."""
    chunk = safe_chunk(passage.chunk)
    return passage if chunk is passage.chunk else passage.model_copy(update={"chunk": chunk})


class SafeTextRetriever(WrappingRetriever):
    """Wraps a retriever: the same passages, their document text neutralised (and the inner
    retriever's name: the ranking is its own)."""

    def reshape(self, query: str, found: list[Passage], k: int) -> list[Passage]:
        return [safe_passage(p) for p in found]
