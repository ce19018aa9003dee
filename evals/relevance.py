"""Judging whether a retrieved chunk covers an expected piece of evidence, independent of chunking.

The datasets name *evidence* (a sentence or phrase copied from a document) rather than chunk ids,
so the same labels judge any chunker: ours, a LangChain tutorial splitter, one passage per
paragraph. A chunk covers an expected item when

1. its ``doc_id`` equals the item's ``doc_id``, and
2. after :func:`normalise_text` on both sides, either the evidence is a substring of the chunk,
   or at least ``min_overlap`` (default 60 %) of the evidence's distinct content tokens occur in
   the chunk (order-insensitive). The second rule catches evidence that a chunk boundary cut
   and text that cleaning changed slightly (joined lines, dropped page furniture).

Content tokens are the word tokens minus German stopwords (the bm25s list the lexical index
uses): with stopwords counted, "die", "der", "und" alone would carry short evidence past 60 %
in almost any chunk of the same document. Evidence with fewer than ``MIN_CONTENT_TOKENS``
content tokens can only match as a substring; a fraction of two words is no evidence.

Known limit, accepted on purpose: evidence split about evenly across two chunks (for example
50/50) is covered by neither at 60 %. Keep evidence to one sentence and such cases stay rare.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

DEFAULT_MIN_OVERLAP = 0.6
MIN_CONTENT_TOKENS = 3

# Invisible characters that PDF and office exports leave inside words.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
# Every dash and hyphen variant becomes "-"; every quote mark is dropped.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = dict.fromkeys(
    map(ord, "\"'`\u00ab\u00bb\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2039\u203a"), None
)
# A word broken at a line end: "Digitali-\nsierung". Joined only when the next part starts in
# lower case, so "Bürger-\nund Unternehmensportal" style enumerations are rarer false joins than
# broken nouns are misses; an ordinary hyphen inside a line ("Smart-City") is kept.
_LINE_BREAK_HYPHEN = re.compile(r"(\w)-[ \t]*\r?\n\s*(?=[a-zäöüß])")
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_GERMAN

    return frozenset(STOPWORDS_GERMAN)


def normalise_text(text: str) -> str:
    """Unicode-, case-, quote-, dash-, hyphenation- and whitespace-normalised text.

    >>> normalise_text("Die „Digitale\\nAgenda“ der Digitali-\\nsierung")
    'die digitale agenda der digitalisierung'
    """
    text = unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_DASHES)
    text = _LINE_BREAK_HYPHEN.sub(r"\1", text)
    text = text.translate(_QUOTES).casefold()
    return _SPACE.sub(" ", text).strip()


def content_tokens(normalised: str) -> set[str]:
    """Distinct word tokens of normalised text without German stopwords."""
    return {token for token in _WORD.findall(normalised) if token not in _stopwords()}


@dataclass(frozen=True)
class EvidenceMatcher:
    """Pre-normalised evidence, cheap to test against many chunks."""

    doc_id: str
    evidence: str
    min_overlap: float = DEFAULT_MIN_OVERLAP

    def __post_init__(self) -> None:
        if not 0 < self.min_overlap <= 1:
            raise ValueError(f"min_overlap must be in (0, 1]. Currently, it is {self.min_overlap}.")
        normalised = normalise_text(self.evidence)
        if not normalised:
            raise ValueError(f"evidence for doc_id {self.doc_id!r} is empty after normalisation.")
        object.__setattr__(self, "_normalised", normalised)
        object.__setattr__(self, "_tokens", content_tokens(normalised))

    def overlap(self, chunk_text: str) -> float:
        """Share of the evidence's content tokens present in ``chunk_text`` (1.0 for a substring)."""
        normalised = normalise_text(chunk_text)
        if self._normalised in normalised:  # type: ignore[attr-defined]
            return 1.0
        tokens: set[str] = self._tokens  # type: ignore[attr-defined]
        if len(tokens) < MIN_CONTENT_TOKENS:
            return 0.0
        return len(tokens & content_tokens(normalised)) / len(tokens)

    def covered_by(self, doc_id: str, chunk_text: str) -> bool:
        """Whether a chunk of document ``doc_id`` with ``chunk_text`` covers this evidence."""
        return doc_id == self.doc_id and self.overlap(chunk_text) >= self.min_overlap


def covers(
    doc_id: str,
    chunk_text: str,
    expected_doc_id: str,
    evidence: str,
    min_overlap: float = DEFAULT_MIN_OVERLAP,
) -> bool:
    """One-off form of :meth:`EvidenceMatcher.covered_by`."""
    return EvidenceMatcher(expected_doc_id, evidence, min_overlap).covered_by(doc_id, chunk_text)


@dataclass(frozen=True)
class RetrievedChunk:
    """The minimum the judge needs of a retrieved passage, whoever retrieved it."""

    chunk_id: str
    doc_id: str
    text: str
    score: float = 0.0


def item_key(question_id: str, item_index: int) -> str:
    """Document key of one expected item in the qrels: ``"<question>-><item index>"``."""
    return f"{question_id}->{item_index}"


def judged_ranking(
    question_id: str, matchers: Sequence[EvidenceMatcher], ranking: Iterable[RetrievedChunk]
) -> list[tuple[str, bool]]:
    """The ranking as the metric library should see it: ``(key, relevant)`` pairs, best first.

    Each chunk becomes one entry. A chunk that covers expected items not seen at a better rank
    becomes the key of the first such item (:func:`item_key`); every further new item it covers
    is inserted right after it. A chunk that covers nothing new keeps a unique non-relevant key,
    so it still occupies its rank. Hence each expected item counts once, at the rank of the
    first chunk covering it, however many chunks repeat the evidence.

    Trade-off: when one chunk covers several new items, the extra items take the following
    positions and push later chunks down by one; recall@k and nDCG@k can then be slightly lower
    than "share of items covered by the top k chunks" (for example recall@1 = 1/2 when the top
    chunk covers both items of a list question). MRR is exact. This keeps every metric a plain
    ranked-list metric that ranx computes; it never inflates a score.
    """
    covered: set[int] = set()
    entries: list[tuple[str, bool]] = []
    for rank, chunk in enumerate(ranking, start=1):
        new = [
            i for i, m in enumerate(matchers) if i not in covered and m.covered_by(chunk.doc_id, chunk.text)
        ]
        if not new:
            entries.append((f"{question_id}#{rank}:{chunk.chunk_id}", False))
            continue
        for i in new:
            covered.add(i)
            entries.append((item_key(question_id, i), True))
    return entries
