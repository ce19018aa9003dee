"""Checking what a language model wrote: citations that point nowhere, uncited sentences, links.

A model's [n] markers are only trustworthy when n names a source it was given, so every
citation group is parsed ("[1]", "[1, 2]", "[1][2]", "[1–3]", "[Quelle 1]"), numbers without
a source are dropped, and the valid ones are rewritten as "[1][2]". Each sentence is then
mapped to the sources it cites. Links the sources do not contain and chat/HTML control
sequences are neutralised before any of this reaches a reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from assistant.text.sentences import split_sentences
from assistant.types import Citation, Source

__all__ = ["CitationCheck", "OutputSanitizer", "check_citations", "neutralise_output", "urls_in"]

LINK_REMOVED = "[Link entfernt]"

# One bracket group of numbers: "[1]", "[1, 2]", "[1-3]", "[1 und 2]", "[Quelle 1]", "[Quellen 1, 2]".
_GROUP = re.compile(
    r"\[\s*(?:Quellen?\s*)?(\d{1,3}(?:\s*(?:,|;|-|–|—|und|&)\s*\d{1,3})*)\s*\]",
    re.IGNORECASE,
)
_RANGE = re.compile(r"(\d{1,3})\s*[-–—]\s*(\d{1,3})")
# Citation groups (with the spaces before them) at the very start of a sentence: they belong
# to the sentence before ("Satz eins. [1] Satz zwei." splits as "Satz eins." + "[1] Satz zwei.").
_LEADING_GROUPS = re.compile(r"^(?:\s*\[\d+\])+")
_CITED_NUMBER = re.compile(r"\[(\d+)\]")
_MAX_RANGE = 20  # "[1–200]" is not a range of sources anyone means


@dataclass
class CitationCheck:
    """The outcome of :func:`check_citations`."""

    text: str
    """The answer with invalid citations removed and valid ones written as "[1][2]"."""
    citations: list[Citation] = field(default_factory=list)
    """One per (sentence, n) pair, in the order they appear."""
    uncited_sentences: list[str] = field(default_factory=list)
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
            out[-1][1].extend(int(n) for n in _CITED_NUMBER.findall(leading.group()))
            raw = raw[leading.end() :]
        numbers = [int(n) for n in _CITED_NUMBER.findall(raw)]
        sentence = re.sub(r"\s*\[\d+\]", "", raw).strip()
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


# --- Links and control sequences --------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*([^)\s]+)[^)]*\)")
_SLACK_LINK = re.compile(r"<((?:https?|mailto|javascript|data):[^|>\s]*)(?:\|([^>]*))?>", re.IGNORECASE)
_SLACK_CONTROL = re.compile(r"<[!@#][^<>]*>")
_DANGEROUS_ELEMENT = re.compile(
    r"<\s*(script|style|iframe|object|embed)\b[^>]*>.*?(?:<\s*/\s*\1\s*>|$)", re.IGNORECASE | re.DOTALL
)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_TRAILING = ".,;:!?'\"»“”’"


def urls_in(texts: Iterable[str | None]) -> set[str]:
    """Every URL that occurs in ``texts`` (a source's text, its url or its path)."""
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(match.group().rstrip(_TRAILING) for match in _URL.finditer(text))
    return found


def neutralise_output(text: str, allowed_urls: Iterable[str] = ()) -> str:
    """Replace links the sources don't contain with "[Link entfernt]"; drop control sequences.

    Removes Slack mentions and commands (``<!channel>``, ``<!here>``, ``<@U123>``, ``<#C1>``),
    script-like HTML elements with their content and any other HTML tag. Links that occur in
    the sources stay. Generic on purpose: each channel (Slack, HTML) still escapes its output.
    """
    allowed = {_url_key(u) for u in allowed_urls}

    def keep(url: str) -> bool:
        return _url_key(url) in allowed

    def markdown_link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        return match.group() if keep(url) else f"{label} {LINK_REMOVED}".strip()

    def slack_link(match: re.Match[str]) -> str:
        url, label = match.group(1), (match.group(2) or "").strip()
        if keep(url):
            return f"{label} ({url})" if label else url
        return f"{label} {LINK_REMOVED}".strip()

    def bare_url(match: re.Match[str]) -> str:
        url = match.group()
        core = url.rstrip(_TRAILING)
        return url if keep(core) else LINK_REMOVED + url[len(core) :]

    text = _DANGEROUS_ELEMENT.sub("", text)
    text = _SLACK_LINK.sub(slack_link, text)
    text = _SLACK_CONTROL.sub("", text)
    text = _HTML_TAG.sub("", text)
    # Markdown links before bare URLs, so a link's label survives its removed target.
    text = _MARKDOWN_LINK.sub(markdown_link, text)
    return _URL.sub(bare_url, text)


def _url_key(url: str) -> str:
    url = url.strip().rstrip(_TRAILING).rstrip("/").lower()
    url = re.sub(r"^https?://", "", url)
    return url.removeprefix("www.")


class OutputSanitizer:
    """:func:`neutralise_output` for streamed text: holds back an unfinished link or tag.

    Text is released up to the last whitespace outside an open ``<…`` or ``[…](…``, so a
    URL or control sequence is always judged whole. Call :meth:`flush` at the end.
    """

    def __init__(self, allowed_urls: Iterable[str] = (), max_hold: int = 400) -> None:
        self.allowed_urls = set(allowed_urls)
        self.max_hold = max_hold
        self._buffer = ""

    def feed(self, piece: str) -> str:
        """Add a piece; return the text that is safe to show now (maybe empty)."""
        self._buffer += piece
        cut = self._safe_cut()
        if cut <= 0:
            return ""
        ready, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return neutralise_output(ready, self.allowed_urls)

    def flush(self) -> str:
        """Everything still held back, neutralised."""
        ready, self._buffer = self._buffer, ""
        return neutralise_output(ready, self.allowed_urls) if ready else ""

    def _safe_cut(self) -> int:
        buffer = self._buffer
        cut = max(buffer.rfind(" "), buffer.rfind("\n"), buffer.rfind("\t")) + 1
        for opener, closer in (("<", ">"), ("[", "]"), ("(", ")")):
            start = buffer.rfind(opener, 0, cut)
            if start != -1 and buffer.find(closer, start) == -1:
                cut = start  # an unfinished tag, control sequence or link
        if len(buffer) - max(cut, 0) > self.max_hold:
            return len(buffer)  # nothing a link could hide in is this long
        return cut
