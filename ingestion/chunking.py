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

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.text.sentences import split_sentences
from assistant.text.tables import looks_like_header
from assistant.types import embedding_text
from ingestion.announced_lists import expand_announced_lists
from ingestion.document import Block, Link, LoadedDocument

__all__ = ["ChunkDraft", "chunk_document"]

TokenCounter = Callable[[str], int]

PARAGRAPH_SEPARATOR = "\n\n"
LINE_SEPARATOR = "\n"
BULLET = "- "

# The heading breadcrumb may take at most this share of the budget; beyond it outer headings
# are dropped, because the innermost heading says most about the chunk.
_MAX_CONTEXT_SHARE = 0.5
# Estimated chunk sizes within this many tokens of the limit are counted exactly.
_MIN_ESTIMATE_MARGIN = 8
# Share of the budget that must stay free for text after the title; a longer title is an error.
_MIN_TEXT_SHARE = 0.25
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
    if max_tokens <= 0:
        raise ValueError(f"max_tokens must be greater than 0. Currently, max_tokens is {max_tokens}.")
    if min_tokens < 0:
        raise ValueError(f"min_tokens must not be negative. Currently, min_tokens is {min_tokens}.")
    title_cost = count_tokens(embedding_text(title, "", ""))
    if title_cost > max_tokens * (1 - _MIN_TEXT_SHARE):
        raise ValueError(
            f"The title alone takes {title_cost} of max_tokens={max_tokens} tokens, leaving too "
            "little room for text. Shorten the title or raise max_tokens."
        )
    drafts: list[ChunkDraft] = []
    for path, blocks in _sections(expand_announced_lists(doc.blocks), title):
        fitted = _fit_section_path(path, title, max_tokens, count_tokens)
        packer = _SectionPacker(title, fitted, max_tokens, count_tokens)
        packer.add_blocks(blocks)
        drafts.extend(packer.finish(min_tokens))
    return drafts


def _sections(blocks: list[Block], title: str) -> Iterator[tuple[list[str], list[Block]]]:
    """Yield (heading path, body blocks) for each run of body blocks between headings."""
    stack: list[tuple[int, str]] = []
    body: list[Block] = []
    folded_title = _fold(title)
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
            if not (not stack and _fold(text) == folded_title):
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


@dataclass(frozen=True)
class _Part:
    """One piece of chunk text and the separator it takes after the piece before it."""

    text: str
    separator: str
    page: int | None
    kind: str  # "paragraph", "lead_in", "item", "table", "piece"
    repeated: bool = False  # a lead-in repeated as context in front of a list's later parts
    links: tuple[Link, ...] = ()  # the links of the block this part comes from


def _render(parts: list[_Part]) -> str:
    return "".join((part.separator if index else "") + part.text for index, part in enumerate(parts))


class _SectionPacker:
    """Packs the body blocks of one section greedily into chunks that fit the budget."""

    def __init__(self, title: str, path: list[str], max_tokens: int, count_tokens: TokenCounter):
        self._title = title
        self._path = path
        self._section = " > ".join(path)
        self._max_tokens = max_tokens
        self._count = count_tokens
        self._empty_cost = count_tokens("")
        self._context_cost = count_tokens(embedding_text(title, self._section, ""))
        self._margin = max(_MIN_ESTIMATE_MARGIN, max_tokens // 32)
        self._content_cache: dict[str, int] = {}
        # The final check of a chunk often repeats the exact count that admitted its last part.
        self._exact_cache: dict[str, bool] = {}
        self._chunks: list[list[_Part]] = []
        self._current: list[_Part] = []

    # -- budget -----------------------------------------------------------------------------

    def _fits(self, text: str) -> bool:
        """Exactly: does ``text`` fit under this section's title and breadcrumb?"""
        verdict = self._exact_cache.get(text)
        if verdict is None:
            cost = self._count(embedding_text(self._title, self._section, text))
            verdict = self._exact_cache[text] = cost <= self._max_tokens
        return verdict

    def _fits_parts(self, parts: list[_Part]) -> bool:
        """Like :meth:`_fits` on the rendered parts, counting exactly only near the limit.

        Re-tokenising the growing chunk for every added block made chunking quadratic (and the
        e5 tokenizer takes milliseconds per long text). Token counts of whitespace-joined parts
        add up to within a token or two, so the sum of cached per-part counts decides every
        clear case and the exact count settles the close ones.
        """
        estimate = self._context_cost + self._content(parts[0].text)
        estimate += sum(self._content(part.text) + self._separator_cost(part.separator) for part in parts[1:])
        if estimate + self._margin <= self._max_tokens:
            return True
        if estimate - self._margin > self._max_tokens:
            return False
        return self._fits(_render(parts))

    def _fits_text(self, text: str) -> bool:
        """:meth:`_fits_parts` for a single text."""
        return self._fits_parts([_Part(text, "", None, "paragraph")])

    def _content(self, text: str) -> int:
        cost = self._content_cache.get(text)
        if cost is None:
            cost = self._content_cache[text] = self._content_tokens(text)
        return cost

    def _separator_cost(self, separator: str) -> int:
        return self._content(separator + "x") - self._content("x") if separator else 0

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
        if self._fits_text(text):
            self._place(_Part(text, PARAGRAPH_SEPARATOR, page, "paragraph", links=links))
            return
        for position, (piece, joiner) in enumerate(self._pieces(text, prefix="")):
            separator = PARAGRAPH_SEPARATOR if position == 0 else joiner
            self._place(_Part(piece, separator, page, "piece" if position else "paragraph", links=links))

    def _add_item(self, block: Block, separator: str) -> None:
        for part in self._item_parts(block, separator, prefix=""):
            self._place(part)

    def _item_parts(self, block: Block, separator: str, prefix: str) -> list[_Part]:
        """The item as one bulleted line, or as pieces if it does not fit after ``prefix``."""
        bullet = "  " * max(block.level - 1, 0) + BULLET
        text = _BULLET_GLYPH.sub("", block.text.strip())
        line = bullet + text
        links = tuple(block.links)
        if self._fits_text(prefix + line):
            return [_Part(line, separator, block.page, "item", links=links)]
        pieces = self._pieces(text, prefix=prefix + bullet)
        return [
            _Part(
                bullet + piece if position == 0 else piece,
                separator if position == 0 else joiner,
                block.page,
                "item" if position == 0 else "piece",
                links=links,
            )
            for position, (piece, joiner) in enumerate(pieces)
        ]

    def _add_table(self, text: str, page: int | None, links: tuple[Link, ...] = ()) -> None:
        if self._fits_text(text):
            self._place(_Part(text, PARAGRAPH_SEPARATOR, page, "table", links=links))
            return
        rows = [row for row in text.split("\n") if row.strip()]
        # A table split over chunks repeats its header row in each, so every row stays readable
        # as „Spalte: Wert“ (assistant/text/tables.py).
        header = rows[0] if len(rows) > 1 and looks_like_header(rows[0]) else None
        for row_index, row in enumerate(rows):
            separator = PARAGRAPH_SEPARATOR if row_index == 0 else LINE_SEPARATOR
            if self._fits_text(row):
                part = _Part(row, separator, page, "table", links=links)
                if header and row_index > 0 and not self._fits_parts(self._current + [part]):
                    repeated = _Part(header, PARAGRAPH_SEPARATOR, page, "table", repeated=True)
                    first_row = replace(part, separator=LINE_SEPARATOR)
                    if self._fits_parts([repeated, first_row]):
                        self._flush()
                        self._current = [repeated, first_row]
                        continue
                self._place(part)
                continue
            for position, (piece, joiner) in enumerate(self._pieces(row, prefix="")):
                self._place(_Part(piece, separator if position == 0 else joiner, page, "table", links=links))

    def _add_lead_in_group(self, lead_in_block: Block, items: list[Block]) -> None:
        """A paragraph ending in ':' and the list it introduces, kept in one chunk if possible."""
        lead_in = _Part(
            lead_in_block.text.strip(),
            PARAGRAPH_SEPARATOR,
            lead_in_block.page,
            "lead_in",
            links=tuple(lead_in_block.links),
        )
        item_parts = [part for item in items for part in self._item_parts(item, LINE_SEPARATOR, prefix="")]
        group = [lead_in, *item_parts]
        if self._current and self._fits_parts(self._current + group):
            self._current.extend(group)
            return
        self._flush()
        if self._fits_parts(group):
            self._current = group
            return
        lead_in_cost = self._count(embedding_text(self._title, self._section, lead_in.text))
        if lead_in_cost > self._max_tokens * _MAX_LEAD_IN_SHARE:
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
                if self._fits_parts(self._current + [part]):
                    self._current.append(part)
                    continue
                self._flush()
                self._current = [replace(lead_in, repeated=True), replace(part, separator=LINE_SEPARATOR)]

    # -- packing --------------------------------------------------------------------------

    def _place(self, part: _Part) -> None:
        """Append ``part`` to the current chunk, or start a new chunk with it."""
        if self._current and self._fits_parts(self._current + [part]):
            self._current.append(part)
            return
        self._flush()
        self._current = [part]

    def _flush(self) -> None:
        if any(not part.repeated for part in self._current):
            self._chunks.append(self._current)
        self._current = []

    def _pieces(self, text: str, *, prefix: str) -> list[tuple[str, str]]:
        """Split ``text`` at sentence boundaries into pieces that each fit after ``prefix``.

        Each piece comes with the joiner that glues it to the piece before: a space, or ""
        where an overlong word was cut.
        """
        pieces: list[tuple[str, str]] = []
        for sentence in split_sentences(text):
            if self._fits_text(prefix + sentence):
                pieces.append((sentence, " "))
                continue
            cursor = 0
            for index, piece in enumerate(self._split_oversize(sentence, prefix)):
                start = sentence.find(piece, cursor)
                glued = index > 0 and start == cursor
                pieces.append((piece, "" if glued else " "))
                cursor = start + len(piece) if start >= 0 else cursor
        return pieces

    def _split_oversize(self, text: str, prefix: str) -> list[str]:
        """Split one sentence that does not fit on its own, by tokens, at word boundaries."""
        overhead = self._count(embedding_text(self._title, self._section, prefix)) - self._empty_cost
        budget = self._max_tokens - overhead
        while budget > 0:
            splitter = RecursiveCharacterTextSplitter(
                chunk_size=budget,
                chunk_overlap=0,
                # The splitter adds up the lengths of words; count_tokens includes the model's
                # special tokens (and e5's "passage: " prefix) every time, so subtract them once.
                length_function=self._content_tokens,
                separators=["\n\n", "\n", " ", ""],
            )
            pieces = [piece for piece in splitter.split_text(text) if piece.strip()]
            if all(self._fits(prefix + piece) for piece in pieces):
                return pieces
            # Tokens are not quite additive at piece joins; tighten and try again.
            budget -= max(1, budget // 10)
        raise ValueError(
            f"Cannot fit any text into max_tokens={self._max_tokens} under the section "
            f"{self._section!r}; raise max_tokens."
        )

    def _content_tokens(self, text: str) -> int:
        return max(self._count(text) - self._empty_cost, 0)

    # -- finishing ------------------------------------------------------------------------

    def finish(self, min_tokens: int) -> list[ChunkDraft]:
        """Close the last chunk, merge a tiny trailing chunk back, and build the drafts."""
        self._flush()
        chunks = self._settle_tail(self._chunks, min_tokens)
        drafts = []
        for parts in chunks:
            text = _render(parts)
            page = next(part.page for part in parts if not part.repeated)
            links = [link for part in parts for link in part.links]
            for piece in self._enforce_budget(text):
                drafts.append(
                    ChunkDraft(
                        text=piece, section_path=list(self._path), page=page, links=_links_in(piece, links)
                    )
                )
        return drafts

    def _settle_tail(self, chunks: list[list[_Part]], min_tokens: int) -> list[list[_Part]]:
        """Merge a tiny last chunk into the one before it, or else borrow parts from that one.

        Greedy packing fills the previous chunk first, so the merge rarely fits; borrowing whole
        parts from its end gives the section's last chunk enough text to be found on its own.
        """
        if len(chunks) < 2 or self._content_tokens(_render(chunks[-1])) >= min_tokens:
            return chunks
        previous, last = chunks[-2], chunks[-1]
        head = [part for part in last if part.repeated]
        tail = [part for part in last if not part.repeated]
        if self._fits(_render(previous + tail)):
            return chunks[:-2] + [previous + tail]
        while len(previous) > 1 and self._content_tokens(_render(head + tail)) < min_tokens:
            moved = previous[-1]
            # A lead-in must stay before its items; items may only move along with a
            # repeated lead-in, i.e. within their own list.
            if moved.kind == "lead_in" or moved.repeated or (moved.kind == "item" and not head):
                break
            if all(part.repeated for part in previous[:-1]):
                break
            if not self._fits(_render(head + [moved] + tail)):
                break
            previous = previous[:-1]
            tail = [moved, *tail]
        if head and tail:
            tail[0] = replace(tail[0], separator=LINE_SEPARATOR)
        return chunks[:-2] + [previous, head + tail]

    def _enforce_budget(self, text: str) -> list[str]:
        # A last guard for the invariant: token counts of joined parts are measured, but a
        # tokenizer could in principle merge across a join in a way no single check saw.
        return [text] if self._fits(text) else self._split_oversize(text, prefix="")


def _links_in(text: str, links: list[Link]) -> list[str]:
    """URLs of the links whose label stands in ``text``, each once, in order."""
    folded = _fold(text)
    return list(dict.fromkeys(link.url for link in links if _fold(link.label) in folded))


def _item_separator(previous_kind: str) -> str:
    return LINE_SEPARATOR if previous_kind == "item" else PARAGRAPH_SEPARATOR


def _single_line(text: str) -> str:
    return " ".join(text.split())


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())
