"""Plain-text loader: careful decoding plus light structure heuristics.

Decoding tries strict UTF-8 (with or without BOM), then Windows-1252, then Latin-1, so
umlauts never turn into mojibake. Files that are really binary (NUL bytes, many control
characters) are rejected.

Plain text has no markup, so structure is guessed, conservatively:
- blank lines separate paragraphs; when a file is not hard-wrapped, every line is a paragraph;
- a line starting with a bullet ("•", "-", "*", "–", "1.", "a)") is a list item, and more
  deeply indented lines after it belong to that item;
- a short line without sentence-final punctuation followed by longer text is a heading;
- the first line, if short, is the title.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import CorruptDocumentError
from assistant.text.units import is_label_value
from ingestion.cleaning.normalize import join_wrapped_lines
from ingestion.document import Block, BlockKind, LoadedDocument
from ingestion.loaders.metadata import split_front_matter

logger = logging.getLogger(__name__)

__all__ = ["decode_text", "load_text", "parse_plain_text"]

# Share of control characters above which decoded "text" is treated as binary junk.
MAX_CONTROL_RATIO = 0.01
HEADING_MAX_CHARS = 100
HEADING_MAX_WORDS = 14
TITLE_MAX_CHARS = 120

_MONTHS = (
    "januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember|"
    "jan|feb|mär|apr|jun|jul|aug|sep|sept|okt|nov|dez"
)
_BULLET = re.compile(
    r"^(?P<indent>[ \t]*)"
    r"(?P<marker>[•●▪■◦‣∙·○□➢►▶✓✔\-*–—]|\d{1,2}[.)](?!\s*(?:" + _MONTHS + r")\b)|[a-zA-Z]\))"
    r"[ \t]+(?P<text>\S.*)$",
    re.IGNORECASE,
)
# Words a sentence or heading never ends on: a line ending on one continues on the next.
_FUNCTION_WORDS_TEXT = (
    "der die das den dem des ein eine einer einen einem eines und oder sowie aber sondern mit für von "
    "zu zur zum im in an am auf bei aus nach über unter vor durch gegen ohne um als wie dass ob sich "
    "nicht auch ist sind wird werden wurde hat haben kann können soll sollen muss müssen the and of to"
)
_FUNCTION_WORDS = frozenset(_FUNCTION_WORDS_TEXT.split())
_SENTENCE_END = re.compile(r"[.,;:!?…]$")


def decode_text(data: bytes, *, source: str) -> str:
    """Decode bytes of a text file (UTF-8 incl. BOM, UTF-16 with BOM, cp1252, Latin-1).

    :raises CorruptDocumentError: the bytes are binary data, not text.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _binary_error(source) from exc
    elif b"\x00" in data:
        raise _binary_error(source)
    else:
        text = _decode_8bit(data)
    controls = sum(1 for char in text if unicodedata.category(char) == "Cc" and char not in "\n\r\t\f")
    if text and controls / len(text) > MAX_CONTROL_RATIO:
        raise _binary_error(source)
    return text.lstrip("\ufeff")


def _decode_8bit(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _binary_error(source: str) -> CorruptDocumentError:
    return CorruptDocumentError(
        "Die Datei enthält keine lesbaren Textdaten (vermutlich eine Binärdatei mit falscher Endung).",
        source=source,
    )


@dataclass
class _Unit:
    """A provisional block while the structure is being guessed."""

    kind: BlockKind
    lines: list[str]
    level: int = 0
    alone: bool = False  # the only line of its blank-line separated chunk
    marker: str = ""  # a numbered list item's number ("1."), kept if it turns out a heading

    @property
    def text(self) -> str:
        return "\n".join(self.lines) if self.kind == "list_item" else join_wrapped_lines(self.lines)


def parse_plain_text(text: str) -> tuple[list[Block], str | None]:
    """Guess blocks and a title from plain text (see the module docstring for the rules)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    chunks = _chunks(lines)
    wrapped = _is_hard_wrapped(chunks)
    units: list[_Unit] = []
    for chunk in chunks:
        units.extend(_chunk_units(chunk, wrapped=wrapped))
    return _assign_headings(units)


def load_text(path: Path) -> LoadedDocument:
    """Load a ``.txt`` file, with optional YAML front matter."""
    source = str(path)
    text = decode_text(path.read_bytes(), source=source)
    metadata, body = split_front_matter(text, source=source)
    blocks, title = parse_plain_text(body)
    return LoadedDocument(path=path, blocks=blocks, title=title, metadata=metadata)


def _chunks(lines: list[str]) -> list[list[str]]:
    chunks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            chunks[-1].append(line.rstrip())
        elif chunks[-1]:
            chunks.append([])
    return [chunk for chunk in chunks if chunk]


def _is_hard_wrapped(chunks: list[list[str]]) -> bool:
    """Whether paragraphs are broken into lines of a fixed width (e-mail style text).

    True when (nearly) no line is longer than ~100 characters and the lines inside
    multi-line paragraphs mostly run up to that width.
    """
    texts = [line.strip() for chunk in chunks for line in chunk if not _BULLET.match(line)]
    inner = [
        line.strip() for chunk in chunks if len(chunk) > 1 for line in chunk[:-1] if not _BULLET.match(line)
    ]
    if len(inner) < 3:
        return False
    lengths = sorted(len(line) for line in texts)
    width = lengths[int(0.95 * (len(lengths) - 1))]
    if width > 100:
        return False
    full = sum(1 for line in inner if len(line) >= 0.6 * width)
    return full / len(inner) >= 0.7


def _chunk_units(chunk: list[str], *, wrapped: bool) -> list[_Unit]:
    units: list[_Unit] = []
    item_indent: int | None = None  # indent of the open list item's bullet
    indent_stack: list[int] = []
    width = max(len(line.strip()) for line in chunk)
    for line in chunk:
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        bullet = _BULLET.match(line)
        if bullet:
            while indent_stack and indent < indent_stack[-1]:
                indent_stack.pop()
            if not indent_stack or indent > indent_stack[-1]:
                indent_stack.append(indent)
            marker = bullet.group("marker")
            units.append(
                _Unit(
                    "list_item",
                    [bullet.group("text").strip()],
                    level=len(indent_stack),
                    marker=marker if marker[:1].isalnum() else "",
                )
            )
            item_indent = indent
            continue
        if (
            item_indent is not None
            and units
            and (indent > item_indent or (wrapped and len(units[-1].lines[-1]) >= 0.6 * width))
        ):
            _continue_item(units[-1], stripped)
            continue
        item_indent = None
        indent_stack.clear()
        if units and units[-1].kind == "paragraph" and (wrapped or _continues(units[-1].lines[-1], stripped)):
            units[-1].lines.append(stripped)
        else:
            units.append(_Unit("paragraph", [stripped]))
    if len(chunk) == 1 and units:
        units[0].alone = True
    return units


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` continues the sentence of ``previous`` (a wrapped or hyphenated break)."""
    if re.search(r"(?:\w-|,)$", previous):
        return True
    last_word = previous.rsplit(None, 1)[-1].lower() if previous.split() else ""
    if last_word in _FUNCTION_WORDS:
        return True  # no sentence or heading ends on "und", "die", "für" …
    return line[:1].islower() and not _SENTENCE_END.search(previous)


def _continue_item(item: _Unit, line: str) -> None:
    """Attach an indented continuation line to a list item.

    A short label followed by a capitalised line ("Bestandsaufnahmen und Analysen" /
    "Eine Beschreibung …") keeps its own line; a sentence broken mid-way is re-joined.
    """
    last = item.lines[-1]
    if _looks_like_label(last) and line[:1].isupper():
        item.lines.append(line)
    else:
        item.lines[-1] = join_wrapped_lines([last, line])


def _looks_like_label(line: str) -> bool:
    return len(line) <= HEADING_MAX_CHARS and not _SENTENCE_END.search(line)


def _is_heading_text(text: str) -> bool:
    return (
        "\n" not in text
        and len(text) <= HEADING_MAX_CHARS
        and len(text.split()) <= HEADING_MAX_WORDS
        and not _SENTENCE_END.search(text)
        and (text[:1].isupper() or text[:1].isdigit() or text[:1] in "\"'„“»")
        and not _labelled_fact(text)
    )


def _labelled_fact(text: str) -> bool:
    """„Wann? 27. Mai 2021“, „Wo? online“, „Kosten: 14.500 Euro“: a fact with its label, not a
    heading. „Projekt: Die Digitale Kommune gestalten“ (no question label, no number) is a heading."""
    if not is_label_value(text):
        return False
    label = text.split(" ", 1)[0] if "?" in text.split(" ", 1)[0] else text.split(":", 1)[0] + ":"
    return label.endswith("?") or any(ch.isdigit() for ch in text)


def _is_longer_text(unit: _Unit, than: str) -> bool:
    text = unit.text
    if unit.kind == "list_item":
        return True
    return len(text) > len(than) and (len(text) > HEADING_MAX_CHARS or bool(re.search(r"[.!?:]$", text)))


def _assign_headings(units: list[_Unit]) -> tuple[list[Block], str | None]:
    title: str | None = None
    blocks: list[Block] = []
    for index, unit in enumerate(units):
        text = unit.text
        following = units[index + 1] if index + 1 < len(units) else None
        if index == 0 and unit.kind == "paragraph" and following is not None and _is_title(text):
            title = text
            blocks.append(Block("heading", text, level=1))
            continue
        if (
            following is not None
            and unit.kind == "paragraph"
            and _is_heading_text(text)
            and _is_longer_text(following, text)
        ):
            blocks.append(Block("heading", text, level=2))
            continue
        if (
            unit.kind == "list_item"
            and unit.alone
            and following is not None
            and following.kind == "paragraph"
            and len(unit.lines) == 1
            and _is_heading_text(text)
            and _is_longer_text(following, text)
        ):
            # "1. NUR INTEGRIERTE STRATEGIEN" alone above a paragraph: a numbered heading.
            blocks.append(Block("heading", f"{unit.marker} {text}".strip(), level=2))
            continue
        blocks.append(Block(unit.kind, text, level=unit.level))
    return blocks, title


def _is_title(text: str) -> bool:
    return "\n" not in text and len(text) <= TITLE_MAX_CHARS and not _SENTENCE_END.search(text)
