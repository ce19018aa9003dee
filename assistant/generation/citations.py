"""Checking what a language model wrote: citations that point nowhere, uncited sentences, links.

A model's [n] markers are only trustworthy when n names a source it was given, so every
citation group is parsed ("[1]", "[1, 2]", "[1][2]", "[1–3]", "[Quelle 1]"), numbers without
a source are dropped, and the valid ones are rewritten as "[1][2]". Each sentence is then
mapped to the sources it cites. Links the sources do not present and chat/HTML control
sequences are neutralised before any of this reaches a reader (:mod:`assistant.text.links`,
re-exported here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.text.citation_markers import MARKER_WITH_SPACE, cited_numbers, strip_markers
from assistant.text.links import LINK_REMOVED, OutputSanitizer, allowed_urls, neutralise_output, urls_in
from assistant.text.sentences import split_sentences
from assistant.types import Citation, Source

__all__ = [
    "LINK_REMOVED",
    "CitationCheck",
    "OutputSanitizer",
    "allowed_urls",
    "check_citations",
    "neutralise_output",
    "urls_in",
]

# One bracket group of numbers: "[1]", "[1, 2]", "[1-3]", "[1 und 2]", "[Quelle 1]", "[Quellen 1, 2]".
_GROUP = re.compile(
    r"\[\s*(?:Quellen?\s*)?(\d{1,3}(?:\s*(?:,|;|-|–|—|und|&)\s*\d{1,3})*)\s*\]",
    re.IGNORECASE,
)
_RANGE = re.compile(r"(\d{1,3})\s*[-–—]\s*(\d{1,3})")
# Citation groups (with the spaces before them) at the very start of a sentence: they belong
# to the sentence before ("Satz eins. [1] Satz zwei." splits as "Satz eins." + "[1] Satz zwei.").
_LEADING_GROUPS = re.compile(rf"^(?:{MARKER_WITH_SPACE.pattern})+")
_MAX_RANGE = 20  # "[1–200]" is not a range of sources anyone means


@dataclass
class CitationCheck:
    """The outcome of :func:`check_citations`."""

    text: str
    """The answer with invalid citations removed and valid ones written as "[1][2]"."""
    citations: list[Citation] = field(default_factory=list)
    """One per (sentence, n) pair, in the order they appear."""
    uncited_sentences: list[str] = field(default_factory=list)
    """Sentences that make a claim (not headings or lead-ins) but cite no source."""
    invalid_numbers: list[int] = field(default_factory=list)
    """Numbers that named no given source, in order of first appearance."""

    @property
    def cited_numbers(self) -> list[int]:
        """Source numbers actually cited, in order of first use."""
        return list(dict.fromkeys(c.n for c in self.citations))

    def warnings(self) -> list[str]:
        """German warnings for the reader of the answer."""
        out = []
        if self.invalid_numbers:
            numbers = ", ".join(f"[{n}]" for n in self.invalid_numbers)
            noun = "Quellenangabe" if len(self.invalid_numbers) == 1 else "Quellenangaben"
            out.append(f"Ungültige {noun} entfernt: {numbers}")
        if self.uncited_sentences:
            count = len(self.uncited_sentences)
            out.append("1 Satz ohne Quellenangabe" if count == 1 else f"{count} Sätze ohne Quellenangabe")
        return out


def check_citations(text: str, sources: list[Source]) -> CitationCheck:
    """Validate the [n] citations of ``text`` against ``sources`` and map sentences to sources."""
    known = {s.n: s for s in sources}
    invalid: dict[int, None] = {}

    def rewrite(match: re.Match[str]) -> str:
        numbers = _expand(match.group(1))
        valid = [n for n in numbers if n in known]
        invalid.update((n, None) for n in numbers if n not in known)
        return "".join(f"[{n}]" for n in valid)

    cleaned = _GROUP.sub(rewrite, text)
    # A removed group leaves a space before punctuation ("Satz [9]." -> "Satz ."): close it up.
    cleaned = re.sub(r"[ \t]+(?=[.,;:!?](?:\s|$))", "", cleaned)
    cleaned = re.sub(r"[ \t]{2,}", " ", cleaned).strip()

    citations: list[Citation] = []
    uncited: list[str] = []
    sentences = _sentences_with_numbers(cleaned)
    for sentence, numbers in sentences:
        if numbers:
            for n in dict.fromkeys(numbers):
                source = known[n]
                citations.append(
                    Citation(n=n, chunk_id=source.chunk_id, doc_id=source.doc_id, sentence=sentence)
                )
        elif _is_statement(sentence):
            uncited.append(sentence)
    return CitationCheck(cleaned, citations, uncited, list(invalid))


def _expand(group: str) -> list[int]:
    """Numbers named by one bracket group, ranges expanded, duplicates dropped."""
    numbers: list[int] = []
    for part in re.split(r"\s*(?:,|;|und|&)\s*", group):
        bounds = _RANGE.fullmatch(part)
        if bounds:
            low, high = int(bounds.group(1)), int(bounds.group(2))
            if low <= high and high - low <= _MAX_RANGE:
                numbers.extend(range(low, high + 1))
            else:
                numbers.extend((low, high))
        elif part.strip().isdigit():
            numbers.append(int(part))
    return list(dict.fromkeys(numbers))


def _sentences_with_numbers(text: str) -> list[tuple[str, list[int]]]:
    """Sentences (without their markers) with the source numbers each cites."""
    out: list[tuple[str, list[int]]] = []
    for raw in split_sentences(text):
        leading = _LEADING_GROUPS.match(raw)
        if leading and out:
            out[-1][1].extend(cited_numbers(leading.group()))
            raw = raw[leading.end() :]
        numbers = cited_numbers(raw)
        sentence = strip_markers(raw).strip()
        if not sentence:
            if numbers and out:
                out[-1][1].extend(numbers)
            continue
        out.append((sentence, numbers))
    return out


def _is_statement(sentence: str) -> bool:
    """Whether a sentence makes a claim that needs a source (not a heading or lead-in)."""
    words = re.findall(r"\w+", sentence)
    return len(words) >= 4 and not sentence.rstrip().endswith(":")
