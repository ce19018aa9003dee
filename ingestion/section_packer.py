"""Packing one section's body blocks greedily into chunks that fit the budget.

Paragraphs, list items and tables are placed in document order; a lead-in ending in ":"
stays with its list (repeated in front of each later part), a split table repeats its
header row, and a tiny last chunk is merged back or borrows parts from the one before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.text.folding import fold_phrase
from assistant.text.tables import looks_like_header
from ingestion.chunk_budget import Part, SectionBudget, TokenCounter, render
from ingestion.document import Block, Link

PARAGRAPH_SEPARATOR = "\n\n"
LINE_SEPARATOR = "\n"
BULLET = "- "

# A lead-in that takes more than this share of the budget cannot be repeated in front of
# every part of its list: the list is then chunked like ordinary items.
_MAX_LEAD_IN_SHARE = 0.5
# Bullet glyphs a loader may have left at the start of a list item; the chunker writes its own.
_BULLET_GLYPH = re.compile(r"^[-–—•▪◦●*·‣]\s+")


@dataclass
class ChunkDraft:
    """A chunk before ids and metadata: its text, the heading breadcrumb, the first page and
    the URLs of the links whose label stands in its text."""

    text: str
    section_path: list[str]
    page: int | None
    links: list[str] = field(default_factory=list)


class SectionPacker:
    """Packs the body blocks of one section greedily into chunks that fit the budget."""

    def __init__(self, title: str, path: list[str], max_tokens: int, count_tokens: TokenCounter):
        self._path = path
        self._budget = SectionBudget(title, " > ".join(path), max_tokens, count_tokens)
        self._chunks: list[list[Part]] = []
        self._current: list[Part] = []

    # -- walking blocks -------------------------------------------------------------------

    def add_blocks(self, blocks: list[Block]) -> None:
        """Add the section's body blocks in document order."""
        index = 0
        previous_kind = ""
        while index < len(blocks):
            block = blocks[index]
            text = block.text.strip()
            if block.kind == "list_item":
                self._add_item(block, separator=_item_separator(previous_kind))
                previous_kind = "item"
            elif block.kind == "table":
                self._add_table(text, block.page, tuple(block.links))
                previous_kind = "table"
            elif text.endswith(":") and index + 1 < len(blocks) and blocks[index + 1].kind == "list_item":
                end = index + 1
                while end < len(blocks) and blocks[end].kind == "list_item":
                    end += 1
                self._add_lead_in_group(block, blocks[index + 1 : end])
                index = end
                previous_kind = "item"
                continue
            else:
                self._add_paragraph(text, block.page, tuple(block.links))
                previous_kind = "paragraph"
            index += 1

    def _add_paragraph(self, text: str, page: int | None, links: tuple[Link, ...] = ()) -> None:
        if self._budget.fits_text(text):
            self._place(Part(text, PARAGRAPH_SEPARATOR, page, "paragraph", links=links))
            return
        for position, (piece, joiner) in enumerate(self._budget.pieces(text, prefix="")):
            separator = PARAGRAPH_SEPARATOR if position == 0 else joiner
            self._place(Part(piece, separator, page, "piece" if position else "paragraph", links=links))

    def _add_item(self, block: Block, separator: str) -> None:
        for part in self._item_parts(block, separator, prefix=""):
            self._place(part)

    def _item_parts(self, block: Block, separator: str, prefix: str) -> list[Part]:
        """The item as one bulleted line, or as pieces if it does not fit after ``prefix``."""
        bullet = "  " * max(block.level - 1, 0) + BULLET
        text = _BULLET_GLYPH.sub("", block.text.strip())
        line = bullet + text
        links = tuple(block.links)
        if self._budget.fits_text(prefix + line):
            return [Part(line, separator, block.page, "item", links=links)]
        pieces = self._budget.pieces(text, prefix=prefix + bullet)
        return [
            Part(
                bullet + piece if position == 0 else piece,
                separator if position == 0 else joiner,
                block.page,
                "item" if position == 0 else "piece",
                links=links,
            )
            for position, (piece, joiner) in enumerate(pieces)
        ]

    def _add_table(self, text: str, page: int | None, links: tuple[Link, ...] = ()) -> None:
        if self._budget.fits_text(text):
            self._place(Part(text, PARAGRAPH_SEPARATOR, page, "table", links=links))
            return
        rows = [row for row in text.split("\n") if row.strip()]
        # A table split over chunks repeats its header row in each, so every row stays readable
        # as „Spalte: Wert“ (assistant/text/tables.py).
        header = rows[0] if len(rows) > 1 and looks_like_header(rows[0]) else None
        for row_index, row in enumerate(rows):
            separator = PARAGRAPH_SEPARATOR if row_index == 0 else LINE_SEPARATOR
            if self._budget.fits_text(row):
                part = Part(row, separator, page, "table", links=links)
                if header and row_index > 0 and not self._budget.fits_parts(self._current + [part]):
                    repeated = Part(header, PARAGRAPH_SEPARATOR, page, "table", repeated=True)
                    first_row = replace(part, separator=LINE_SEPARATOR)
                    if self._budget.fits_parts([repeated, first_row]):
                        self._flush()
                        self._current = [repeated, first_row]
                        continue
                self._place(part)
                continue
            for position, (piece, joiner) in enumerate(self._budget.pieces(row, prefix="")):
                self._place(Part(piece, separator if position == 0 else joiner, page, "table", links=links))

    def _add_lead_in_group(self, lead_in_block: Block, items: list[Block]) -> None:
        """A paragraph ending in ':' and the list it introduces, kept in one chunk if possible."""
        lead_in = Part(
            lead_in_block.text.strip(),
            PARAGRAPH_SEPARATOR,
            lead_in_block.page,
            "lead_in",
            links=tuple(lead_in_block.links),
        )
        item_parts = [part for item in items for part in self._item_parts(item, LINE_SEPARATOR, prefix="")]
        group = [lead_in, *item_parts]
        if self._current and self._budget.fits_parts(self._current + group):
            self._current.extend(group)
            return
        self._flush()
        if self._budget.fits_parts(group):
            self._current = group
            return
        if self._budget.cost(lead_in.text) > self._budget.max_tokens * _MAX_LEAD_IN_SHARE:
            # Too long to repeat: chunk it like an ordinary paragraph followed by items.
            self._add_paragraph(lead_in.text, lead_in.page, lead_in.links)
            for position, item in enumerate(items):
                self._add_item(item, LINE_SEPARATOR if position else PARAGRAPH_SEPARATOR)
            return
        # Each part of the list repeats the lead-in line, so every chunk is self-explanatory.
        self._current = [lead_in]
        prefix = lead_in.text + LINE_SEPARATOR
        for item in items:
            for part in self._item_parts(item, LINE_SEPARATOR, prefix=prefix):
                if self._budget.fits_parts(self._current + [part]):
                    self._current.append(part)
                    continue
                self._flush()
                self._current = [replace(lead_in, repeated=True), replace(part, separator=LINE_SEPARATOR)]

    # -- packing --------------------------------------------------------------------------

    def _place(self, part: Part) -> None:
        """Append ``part`` to the current chunk, or start a new chunk with it."""
        if self._current and self._budget.fits_parts(self._current + [part]):
            self._current.append(part)
            return
        self._flush()
        self._current = [part]

    def _flush(self) -> None:
        if any(not part.repeated for part in self._current):
            self._chunks.append(self._current)
        self._current = []

    # -- finishing ------------------------------------------------------------------------

    def finish(self, min_tokens: int) -> list[ChunkDraft]:
        """Close the last chunk, merge a tiny trailing chunk back, and build the drafts."""
        self._flush()
        chunks = self._settle_tail(self._chunks, min_tokens)
        drafts = []
        for parts in chunks:
            text = render(parts)
            page = next(part.page for part in parts if not part.repeated)
            links = [link for part in parts for link in part.links]
            for piece in self._budget.enforce(text):
                drafts.append(
                    ChunkDraft(
                        text=piece, section_path=list(self._path), page=page, links=_links_in(piece, links)
                    )
                )
        return drafts

    def _settle_tail(self, chunks: list[list[Part]], min_tokens: int) -> list[list[Part]]:
        """Merge a tiny last chunk into the one before it, or else borrow parts from that one.

        Greedy packing fills the previous chunk first, so the merge rarely fits; borrowing whole
        parts from its end gives the section's last chunk enough text to be found on its own.
        """
        if len(chunks) < 2 or self._budget.content_tokens(render(chunks[-1])) >= min_tokens:
            return chunks
        previous, last = chunks[-2], chunks[-1]
        head = [part for part in last if part.repeated]
        tail = [part for part in last if not part.repeated]
        if self._budget.fits(render(previous + tail)):
            return chunks[:-2] + [previous + tail]
        while len(previous) > 1 and self._budget.content_tokens(render(head + tail)) < min_tokens:
            moved = previous[-1]
            # A lead-in must stay before its items; items may only move along with a
            # repeated lead-in, i.e. within their own list.
            if moved.kind == "lead_in" or moved.repeated or (moved.kind == "item" and not head):
                break
            if all(part.repeated for part in previous[:-1]):
                break
            if not self._budget.fits(render(head + [moved] + tail)):
                break
            previous = previous[:-1]
            tail = [moved, *tail]
        if head and tail:
            tail[0] = replace(tail[0], separator=LINE_SEPARATOR)
        return chunks[:-2] + [previous, head + tail]


def _links_in(text: str, links: list[Link]) -> list[str]:
    """URLs of the links whose label stands in ``text``, each once, in order."""
    folded = fold_phrase(text)
    return list(dict.fromkeys(link.url for link in links if fold_phrase(link.label) in folded))


def _item_separator(previous_kind: str) -> str:
    return LINE_SEPARATOR if previous_kind == "item" else PARAGRAPH_SEPARATOR
