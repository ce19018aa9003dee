"""Placeholder text (German "Blindtext", Lorem ipsum) detection and removal.

Layout templates leave filler text in published documents: Goethe's Werther letter
("Eine wunderbare Heiterkeit…"), "Weit hinten, hinter den Wortbergen…", Kafka, pangrams,
Lorem ipsum. It must never reach the index: the assistant would quote it as a source.

Detection compares word 4-gram shingles of each block with a small shipped corpus of
known placeholder texts (``placeholder_texts.yaml``). Every token covered by a matching
shingle is marked, and runs of marked tokens are cut out, so a real label that shares a
list item with filler ("Bestandsaufnahmen und Analysen" + a Werther sentence) survives
while every fragment of the passage, however it was line-broken, goes. Pseudo-Latin that
matches no stored passage is caught by the share of Lorem-ipsum vocabulary per sentence.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ingestion.document import Block

logger = logging.getLogger(__name__)

__all__ = [
    "PlaceholderCorpus",
    "PlaceholderFinding",
    "find_placeholder_spans",
    "load_corpus",
    "remove_placeholders",
]

SHINGLE_SIZE = 4
# A run of matched words this long is placeholder text wherever it appears.
MIN_RUN_WORDS = 7
# A shorter run counts only when it is all the words of its line (a broken-off fragment).
MIN_LINE_WORDS = SHINGLE_SIZE
# Matched runs separated by at most this many unmatched words are one passage (variants).
MAX_GAP_WORDS = 2
# Words left after a removed passage up to the line end are its leftover tail.
MAX_TAIL_WORDS = 2
# Lorem ipsum: share of filler vocabulary in a sentence, and distinct unambiguous words.
LOREM_SHARE = 0.6
LOREM_MIN_WORDS = 3
LOREM_MIN_DISTINCT = 2
# Latin-looking words that also occur in German/English text or are too short to tell.
_LOREM_AMBIGUOUS_TEXT = (
    "a ad at in no non id est et ex sit mi dis option integer sea mus leo nam cum pede duo sem hac eu "
    "quod vero via"
)
_LOREM_AMBIGUOUS = frozenset(_LOREM_AMBIGUOUS_TEXT.split())
# An explicit statement that a text is filler ("Hier steht ein Blindtext").
_MARKER = re.compile(
    r"\b(?:dies|das|hier|this|es|er|dieser text)\s+(?:ist|steht|folgt|is|dient)\b[^.!?\n]{0,40}?"
    r"(?:\b(?:blind|platzhalter|füll|dummy[- ]?|placeholder |filler )texte?s?\b|\bals platzhalter\b)",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


@dataclass(frozen=True)
class PlaceholderCorpus:
    """Shingle index over the known placeholder texts."""

    shingles: dict[tuple[str, ...], str]
    kinds: dict[str, str]
    lorem_vocabulary: frozenset[str]


@dataclass
class PlaceholderFinding:
    """What was removed, per known text, for the maintainer warning."""

    name: str
    kind: str
    snippet: str
    blocks: int = 0
    _block_ids: set[int] = field(default_factory=set, repr=False)


def _norm(word: str) -> str:
    """Case- and accent-insensitive word form ("daß" == "dass", "Träumen" == "traumen")."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=1)
def load_corpus() -> PlaceholderCorpus:
    """Load and index ``placeholder_texts.yaml`` (cached)."""
    raw = resources.files("ingestion.cleaning").joinpath("placeholder_texts.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(raw)
    shingles: dict[tuple[str, ...], str] = {}
    kinds: dict[str, str] = {}
    for entry in data.get("texts", []):
        name, kind, text = str(entry["name"]), str(entry.get("kind", "Blindtext")), str(entry["text"])
        kinds[name] = kind
        words = [_norm(match.group(0)) for match in _WORD.finditer(text)]
        for index in range(len(words) - SHINGLE_SIZE + 1):
            shingles.setdefault(tuple(words[index : index + SHINGLE_SIZE]), name)
    vocabulary = frozenset(_norm(word) for word in str(data.get("lorem_vocabulary", "")).split())
    return PlaceholderCorpus(shingles=shingles, kinds=kinds, lorem_vocabulary=vocabulary)


def find_placeholder_spans(text: str, corpus: PlaceholderCorpus | None = None) -> list[tuple[int, int, str]]:
    """Character spans ``(start, end, name)`` of placeholder text inside ``text``."""
    corpus = corpus or load_corpus()
    tokens = list(_WORD.finditer(text))
    words = [_norm(token.group(0)) for token in tokens]
    source: list[str | None] = [None] * len(tokens)
    for index in range(len(words) - SHINGLE_SIZE + 1):
        name = corpus.shingles.get(tuple(words[index : index + SHINGLE_SIZE]))
        if name is not None:
            for covered in range(index, index + SHINGLE_SIZE):
                source[covered] = source[covered] or name

    spans: list[tuple[int, int, str]] = []
    for first, last in _runs(source):
        run_words = last - first + 1
        line_start = text.rfind("\n", 0, tokens[first].start()) + 1
        line_end_raw = text.find("\n", tokens[last].end())
        line_end = len(text) if line_end_raw == -1 else line_end_raw
        line_words = sum(1 for token in tokens if line_start <= token.start() < line_end)
        if run_words >= MIN_RUN_WORDS or (run_words >= MIN_LINE_WORDS and run_words == line_words):
            name = next(item for item in source[first : last + 1] if item is not None)
            end = _extend_end(text, tokens[last].end())
            if sum(1 for token in tokens if end <= token.start() < line_end) <= MAX_TAIL_WORDS:
                end = line_end  # "…, fand er sich verwandelt.": a leftover tail of the passage
            spans.append((tokens[first].start(), end, name))
    spans.extend(_lorem_spans(text, corpus))
    spans.extend(_marker_spans(text))
    return _merge(spans)


def _runs(source: list[str | None]) -> list[tuple[int, int]]:
    """Index ranges of matched words, bridging gaps of up to MAX_GAP_WORDS unmatched words."""
    runs: list[tuple[int, int]] = []
    for index, name in enumerate(source):
        if name is None:
            continue
        if runs and index - runs[-1][1] - 1 <= MAX_GAP_WORDS:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _extend_end(text: str, end: int) -> int:
    """Include the punctuation that closes the removed passage (",", ";", "." and quotes)."""
    while end < len(text) and text[end] not in "\n" and not text[end].isalnum() and not text[end].isspace():
        end += 1
    return end


def _marker_spans(text: str) -> list[tuple[int, int, str]]:
    """A line that says it is filler ("Hier steht ein Blindtext. …") goes as a whole."""
    spans = []
    position = 0
    for line in text.split("\n"):
        if _MARKER.search(line):
            spans.append((position, position + len(line), "Dies ist ein Blindtext"))
        position += len(line) + 1
    return spans


def _lorem_spans(text: str, corpus: PlaceholderCorpus) -> list[tuple[int, int, str]]:
    spans = []
    for sentence in _SENTENCE.finditer(text):
        words = [_norm(word) for word in _WORD.findall(sentence.group(0))]
        if len(words) < LOREM_MIN_WORDS:
            continue
        filler = [word for word in words if word in corpus.lorem_vocabulary]
        distinct = {word for word in filler if word not in _LOREM_AMBIGUOUS}
        if len(filler) / len(words) >= LOREM_SHARE and len(distinct) >= LOREM_MIN_DISTINCT:
            spans.append((sentence.start(), sentence.end(), "Lorem ipsum"))
    return spans


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for start, end, name in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]), merged[-1][2])
        else:
            merged.append((start, end, name))
    return merged


def _cut(text: str, spans: list[tuple[int, int, str]]) -> str:
    """``text`` without the spans; lines left with no word at all disappear."""
    kept, position = [], 0
    for start, end, _ in spans:
        kept.append(text[position:start])
        position = end
    kept.append(text[position:])
    lines = [" ".join(line.split()) for line in "".join(kept).split("\n")]
    return "\n".join(line for line in lines if _WORD.search(line))


def remove_placeholders(
    blocks: list[Block], corpus: PlaceholderCorpus | None = None
) -> tuple[list[Block], list[PlaceholderFinding]]:
    """Blocks with placeholder passages cut out (blocks left empty are dropped).

    Returns the kept blocks and one finding per known text that was found.
    """
    corpus = corpus or load_corpus()
    findings: dict[str, PlaceholderFinding] = {}
    kept: list[Block] = []
    for block_id, block in enumerate(blocks):
        spans = find_placeholder_spans(block.text, corpus)
        if not spans:
            kept.append(block)
            continue
        for start, end, name in spans:
            finding = findings.get(name)
            if finding is None:
                snippet = " ".join(block.text[start:end].split())
                kind = corpus.kinds.get(name, "Blindtext")
                finding = findings[name] = PlaceholderFinding(name=name, kind=kind, snippet=snippet)
            if block_id not in finding._block_ids:
                finding._block_ids.add(block_id)
                finding.blocks += 1
        remaining = _cut(block.text, spans)
        if remaining:
            kept.append(replace(block, text=remaining))
        logger.debug("placeholder removed spans=%d kept=%r", len(spans), remaining[:60])
    return kept, list(findings.values())
