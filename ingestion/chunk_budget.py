"""The token budget of one section's chunks: does a text fit, and how to cut one that does not.

Measured on exactly the string the embedding model sees (title, section path, chunk text;
:func:`assistant.types.embedding_text`). Counts of whitespace-joined parts add up to within a
token or two, so cached per-part counts decide the clear cases and only close ones are
tokenised exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.text.sentences import split_sentences
from assistant.types import embedding_text
from ingestion.document import Link

TokenCounter = Callable[[str], int]

# Estimated chunk sizes within this many tokens of the limit are counted exactly.
_MIN_ESTIMATE_MARGIN = 8


@dataclass(frozen=True)
class Part:
    """One piece of chunk text and the separator it takes after the piece before it."""

    text: str
    separator: str
    page: int | None
    kind: str  # "paragraph", "lead_in", "item", "table", "piece"
    repeated: bool = False  # a lead-in repeated as context in front of a list's later parts
    links: tuple[Link, ...] = ()  # the links of the block this part comes from


def render(parts: list[Part]) -> str:
    """The parts joined by their separators."""
    return "".join((part.separator if index else "") + part.text for index, part in enumerate(parts))


class SectionBudget:
    """What fits under one section's title and breadcrumb within ``max_tokens``."""

    def __init__(self, title: str, section: str, max_tokens: int, count_tokens: TokenCounter) -> None:
        self._title = title
        self._section = section
        self.max_tokens = max_tokens
        self._count = count_tokens
        self._empty_cost = count_tokens("")
        self._context_cost = count_tokens(embedding_text(title, section, ""))
        self._margin = max(_MIN_ESTIMATE_MARGIN, max_tokens // 32)
        self._content_cache: dict[str, int] = {}
        # The final check of a chunk often repeats the exact count that admitted its last part.
        self._exact_cache: dict[str, bool] = {}

    def cost(self, text: str) -> int:
        """Exact tokens of ``text`` as a chunk of this section."""
        return self._count(embedding_text(self._title, self._section, text))

    def fits(self, text: str) -> bool:
        """Exactly: does ``text`` fit under this section's title and breadcrumb?"""
        verdict = self._exact_cache.get(text)
        if verdict is None:
            cost = self._count(embedding_text(self._title, self._section, text))
            verdict = self._exact_cache[text] = cost <= self.max_tokens
        return verdict

    def fits_parts(self, parts: list[Part]) -> bool:
        """Like :meth:`fits` on the rendered parts, counting exactly only near the limit.

        Re-tokenising the growing chunk for every added block made chunking quadratic (and the
        e5 tokenizer takes milliseconds per long text). Token counts of whitespace-joined parts
        add up to within a token or two, so the sum of cached per-part counts decides every
        clear case and the exact count settles the close ones.
        """
        estimate = self._context_cost + self._content(parts[0].text)
        estimate += sum(self._content(part.text) + self._separator_cost(part.separator) for part in parts[1:])
        if estimate + self._margin <= self.max_tokens:
            return True
        if estimate - self._margin > self.max_tokens:
            return False
        return self.fits(render(parts))

    def fits_text(self, text: str) -> bool:
        """:meth:`fits_parts` for a single text."""
        return self.fits_parts([Part(text, "", None, "paragraph")])

    def _content(self, text: str) -> int:
        cost = self._content_cache.get(text)
        if cost is None:
            cost = self._content_cache[text] = self.content_tokens(text)
        return cost

    def _separator_cost(self, separator: str) -> int:
        return self._content(separator + "x") - self._content("x") if separator else 0

    def pieces(self, text: str, *, prefix: str) -> list[tuple[str, str]]:
        """Split ``text`` at sentence boundaries into pieces that each fit after ``prefix``.

        Each piece comes with the joiner that glues it to the piece before: a space, or ""
        where an overlong word was cut.
        """
        pieces: list[tuple[str, str]] = []
        for sentence in split_sentences(text):
            if self.fits_text(prefix + sentence):
                pieces.append((sentence, " "))
                continue
            cursor = 0
            for index, piece in enumerate(self.split_oversize(sentence, prefix)):
                start = sentence.find(piece, cursor)
                glued = index > 0 and start == cursor
                pieces.append((piece, "" if glued else " "))
                cursor = start + len(piece) if start >= 0 else cursor
        return pieces

    def split_oversize(self, text: str, prefix: str) -> list[str]:
        """Split one sentence that does not fit on its own, by tokens, at word boundaries."""
        overhead = self._count(embedding_text(self._title, self._section, prefix)) - self._empty_cost
        budget = self.max_tokens - overhead
        while budget > 0:
            splitter = RecursiveCharacterTextSplitter(
                chunk_size=budget,
                chunk_overlap=0,
                # The splitter adds up the lengths of words; count_tokens includes the model's
                # special tokens (and e5's "passage: " prefix) every time, so subtract them once.
                length_function=self.content_tokens,
                separators=["\n\n", "\n", " ", ""],
            )
            pieces = [piece for piece in splitter.split_text(text) if piece.strip()]
            if all(self.fits(prefix + piece) for piece in pieces):
                return pieces
            # Tokens are not quite additive at piece joins; tighten and try again.
            budget -= max(1, budget // 10)
        raise ValueError(
            f"Cannot fit any text into max_tokens={self.max_tokens} under the section "
            f"{self._section!r}; raise max_tokens."
        )

    def content_tokens(self, text: str) -> int:
        return max(self._count(text) - self._empty_cost, 0)

    def enforce(self, text: str) -> list[str]:
        """``text`` as one chunk, or split when a join tokenised larger than measured."""
        # A last guard for the invariant: token counts of joined parts are measured, but a
        # tokenizer could in principle merge across a join in a way no single check saw.
        return [text] if self.fits(text) else self.split_oversize(text, prefix="")
