"""Structure-aware chunking: blocks of a cleaned document → chunk drafts within a token budget.

Headings are context, not content: they become each chunk's ``section_path`` (the breadcrumb
of headings above it), and the budget is measured on exactly the string the embedding model
sees, :func:`assistant.types.embedding_text` (title, section path, chunk text), so no chunk is
ever cut off silently by the model.

Each chunk carries the links of its blocks whose label stands in the chunk's text: a reader
of the chunk sees exactly those links, and a block split over several chunks hands each
chunk only its own. They are the links an answer citing the chunk may show.
"""

from __future__ import annotations

from collections.abc import Iterator

from assistant.checks import check_bounds
from assistant.text.folding import fold_phrase
from assistant.types import embedding_text
from ingestion.announced_lists import expand_announced_lists
from ingestion.chunk_budget import TokenCounter
from ingestion.document import Block, LoadedDocument
from ingestion.section_packer import ChunkDraft, SectionPacker

__all__ = ["ChunkDraft", "chunk_document"]

# The heading breadcrumb may take at most this share of the budget; beyond it outer headings
# are dropped, because the innermost heading says most about the chunk.
_MAX_CONTEXT_SHARE = 0.5
# Share of the budget that must stay free for text after the title; a longer title is an error.
_MIN_TEXT_SHARE = 0.25


def chunk_document(
    doc: LoadedDocument,
    *,
    title: str,
    max_tokens: int,
    count_tokens: TokenCounter,
    min_tokens: int = 40,
) -> list[ChunkDraft]:
    """Split ``doc`` into chunks whose embedding text never exceeds ``max_tokens``.

    Consecutive paragraphs and list items of one section are packed together; a paragraph
    ending in ":" stays with the list after it (a list too long for one chunk is split, each
    part repeating the lead-in); oversize paragraphs are split at sentence boundaries, oversize
    sentences by a token-aware character splitter, tables by rows. A section's last chunk
    smaller than ``min_tokens`` (counted without special tokens) is merged into the chunk
    before it when that fits, or else takes whole paragraphs or list items over from it.
    ``page`` is that of the chunk's first block (a repeated lead-in does not count). Output is
    deterministic.
    """
    check_bounds("max_tokens", max_tokens, gt=0)
    check_bounds("min_tokens", min_tokens, ge=0)
    title_cost = count_tokens(embedding_text(title, "", ""))
    if title_cost > max_tokens * (1 - _MIN_TEXT_SHARE):
        raise ValueError(
            f"The title alone takes {title_cost} of max_tokens={max_tokens} tokens, leaving too "
            "little room for text. Shorten the title or raise max_tokens."
        )
    drafts: list[ChunkDraft] = []
    for path, blocks in _sections(expand_announced_lists(doc.blocks), title):
        fitted = _fit_section_path(path, title, max_tokens, count_tokens)
        packer = SectionPacker(title, fitted, max_tokens, count_tokens)
        packer.add_blocks(blocks)
        drafts.extend(packer.finish(min_tokens))
    return drafts


def _sections(blocks: list[Block], title: str) -> Iterator[tuple[list[str], list[Block]]]:
    """Yield (heading path, body blocks) for each run of body blocks between headings."""
    stack: list[tuple[int, str]] = []
    body: list[Block] = []
    folded_title = fold_phrase(title)
    for block in blocks:
        text = block.text.strip()
        if not text:
            continue
        if block.kind == "heading":
            if body:
                yield [heading for _, heading in stack], body
                body = []
            level = max(block.level, 1)
            while stack and stack[-1][0] >= level:
                stack.pop()
            # A heading repeating the document title adds nothing but tokens to the breadcrumb.
            if not (not stack and fold_phrase(text) == folded_title):
                stack.append((level, _single_line(text)))
        else:
            body.append(block)
    if body:
        yield [heading for _, heading in stack], body


def _fit_section_path(path: list[str], title: str, max_tokens: int, count_tokens: TokenCounter) -> list[str]:
    """Shorten the breadcrumb until title and headings use at most half of the budget."""
    limit = max_tokens * _MAX_CONTEXT_SHARE

    def cost(candidate: list[str]) -> int:
        return count_tokens(embedding_text(title, " > ".join(candidate), ""))

    fitted = list(path)
    while len(fitted) > 1 and cost(fitted) > limit:
        fitted.pop(0)
    if fitted and cost(fitted) > limit:
        words = fitted[0].split()
        while words and cost([" ".join(words) + " …"]) > limit:
            words.pop()
        fitted = [" ".join(words) + " …"] if words else []
    return fitted


def _single_line(text: str) -> str:
    return " ".join(text.split())
