"""PDF loader (pypdf): paragraphs with page numbers, headings from font sizes.

pypdf gives text fragments with their position and font size (``visitor_text``). From
those we rebuild visual lines, then group lines into paragraphs by vertical gaps, treat
clearly larger (or bold, stand-alone) lines as headings, bullet lines as list items, and
drop running headers/footers that repeat on most pages. Line-break hyphenation is undone
while joining lines (see :func:`ingestion.cleaning.normalize.join_wrapped_lines`).
"""

from __future__ import annotations

import io
import logging
import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import CorruptDocumentError, EncryptedDocumentError
from ingestion.cleaning.normalize import join_wrapped_lines
from ingestion.document import Block, BlockKind, LoadedDocument
from ingestion.loaders.ocr import OcrOptions, load_scanned

logger = logging.getLogger(__name__)

__all__ = ["load_pdf"]

# A line this much larger than the body text is a heading.
HEADING_SIZE_RATIO = 1.15
# A vertical gap this many times the usual line distance starts a new paragraph.
PARAGRAPH_GAP_RATIO = 1.45
HEADING_MAX_CHARS = 150

# "\uf0b7"/"\uf0a7" are Symbol/Wingdings bullets from Word; "\x7f" is what some generators
# (e.g. reportlab's standard fonts) emit for "•".
_BULLET = re.compile(
    r"^\s*(?:[•●▪■◦‣∙·○□➢►▶✓✔\uf0b7\uf0a7\uf0d8\uf076\x7f\-*–—]|\d{1,2}[.)]|[a-z]\))\s+(?=\S)"
)
_PAGE_NUMBER = re.compile(r"^\W*(?:seite|page|s\.)?\s*\d{1,4}(?:\s*(?:/|von|of)\s*\d{1,4})?\W*$", re.I)
_JUNK_TITLES = re.compile(
    r"^(?:untitled|unbenannt|ohne titel|titel|title|dokument\d*|document\d*|präsentation|"
    r"powerpoint-präsentation)$"
    r"|\.(?:docx?|odt|pdf|indd|pptx?|rtf|txt|xlsx?)$",
    re.I,
)


@dataclass
class _Line:
    """One visual line of a page."""

    text: str = ""
    y: float | None = None
    x: float | None = None
    size: float = 0.0
    bold: bool = False
    chars_by_size: Counter[float] = field(default_factory=Counter)


def load_pdf(path: Path, *, ocr: OcrOptions | None = None) -> LoadedDocument:
    """Load a PDF into paragraph/heading/list blocks carrying their 1-based page number; a PDF
    without any text goes through text recognition where ``ocr`` allows (ocr.py).

    :raises EncryptedDocumentError: the PDF needs a password to be opened.
    :raises CorruptDocumentError: pypdf cannot parse the file.
    :raises EmptyDocumentError: no text, and no text recognition (the message says what to install).
    """
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    source = str(path)
    try:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        if reader.is_encrypted:
            # Many PDFs carry only an owner password (printing/copying restrictions) and
            # open with the empty user password.
            try:
                result = reader.decrypt("")
            except (DependencyError, NotImplementedError, PyPdfError) as exc:
                raise EncryptedDocumentError(
                    "Die PDF-Datei ist verschlüsselt und kann nicht entschlüsselt werden.", source=source
                ) from exc
            if result == PasswordType.NOT_DECRYPTED:
                raise EncryptedDocumentError(
                    "Die PDF-Datei ist passwortgeschützt und kann nicht gelesen werden. "
                    "Bitte eine Fassung ohne Kennwort ablegen.",
                    source=source,
                )
        pages = list(reader.pages)
    except EncryptedDocumentError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise CorruptDocumentError(
            f"Die PDF-Datei ist beschädigt und kann nicht gelesen werden ({exc.__class__.__name__}).",
            source=source,
        ) from exc

    warnings: list[str] = []
    page_lines: list[list[_Line]] = []
    failed = 0
    for number, page in enumerate(pages, start=1):
        try:
            page_lines.append(_page_lines(page))
        except Exception as exc:  # noqa: BLE001 - pypdf raises many types on broken pages
            failed += 1
            logger.warning("pdf page unreadable path=%s page=%d error=%r", source, number, exc)
            warnings.append(f"page {number} of {source} could not be read and was skipped ({exc!r})")
            page_lines.append([])
    if pages and failed == len(pages):
        raise CorruptDocumentError("Keine Seite der PDF-Datei konnte gelesen werden.", source=source)
    if not any(line.text.strip() for lines in page_lines for line in lines):
        return load_scanned(path, pages=len(pages), options=ocr, load=load_pdf)

    _drop_running_headers(page_lines)
    blocks = _blocks(page_lines)
    title = _metadata_title(reader) or _first_heading(blocks)
    return LoadedDocument(path=path, blocks=blocks, title=title, metadata={}, warnings=warnings)


def _page_lines(page: Any) -> list[_Line]:
    """Visual lines of one page, with position and dominant font size."""
    lines: list[_Line] = [_Line()]

    def visitor(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text:
            return
        scale = math.sqrt(abs(tm[0] * tm[3] - tm[1] * tm[2])) * math.sqrt(abs(cm[0] * cm[3] - cm[1] * cm[2]))
        effective = round((size or 0.0) * (scale or 1.0), 1)
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        bold = "bold" in str((font or {}).get("/BaseFont", "")).lower()
        parts = text.split("\n")
        for index, part in enumerate(parts):
            if index > 0:
                lines.append(_Line())
            current = lines[-1]
            if part.strip():
                if current.y is None:
                    current.y, current.x = y, x
                    current.bold = bold
                else:
                    current.bold = current.bold and bold
                current.chars_by_size[effective] += len(part.strip())
            current.text += part

    page.extract_text(visitor_text=visitor)
    result = []
    for line in lines:
        if line.text.strip():
            line.size = line.chars_by_size.most_common(1)[0][0] if line.chars_by_size else 0.0
            result.append(line)
    return result


def _edge_key(line: _Line) -> str:
    return re.sub(r"\d+", "#", line.text.strip().lower())


def _drop_running_headers(page_lines: list[list[_Line]]) -> None:
    """Remove page numbers and header/footer lines repeated at the edges of most pages."""
    if len(page_lines) < 2:
        return
    counts: Counter[str] = Counter()
    for lines in page_lines:
        counts.update({_edge_key(line) for line in lines[:2] + lines[-2:]})
    threshold = max(2, math.ceil(0.5 * len(page_lines)))
    for lines in page_lines:
        edges = {id(line) for line in lines[:2] + lines[-2:]}
        lines[:] = [
            line
            for line in lines
            if id(line) not in edges
            or (counts[_edge_key(line)] < threshold and not _PAGE_NUMBER.match(line.text.strip()))
        ]


def _body_size(page_lines: list[list[_Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in page_lines:
        for line in lines:
            sizes.update(line.chars_by_size)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _line_gap(page_lines: list[list[_Line]], body: float) -> float | None:
    gaps = []
    for lines in page_lines:
        for previous, current in zip(lines, lines[1:], strict=False):
            if previous.y is not None and current.y is not None and previous.size == current.size == body:
                gap = previous.y - current.y
                if gap > 0:
                    gaps.append(gap)
    return statistics.median(gaps) if gaps else None


def _blocks(page_lines: list[list[_Line]]) -> list[Block]:
    body = _body_size(page_lines)
    gap = _line_gap(page_lines, body)
    heading_sizes = sorted(
        {
            line.size
            for lines in page_lines
            for line in lines
            if body and line.size >= body * HEADING_SIZE_RATIO
        },
        reverse=True,
    )
    level_of = {size: min(index + 1, 6) for index, size in enumerate(heading_sizes)}
    bold_level = min(len(heading_sizes) + 1, 6)

    blocks: list[Block] = []
    for page_number, lines in enumerate(page_lines, start=1):
        groups: list[tuple[BlockKind, int, list[_Line]]] = []
        previous: _Line | None = None
        for line in lines:
            kind, level = _line_kind(line, level_of)
            starts_new = (
                previous is None
                or kind == "heading"
                or kind == "list_item"
                or groups[-1][0] == "heading"
                or _gap_break(previous, line, gap)
                or (groups[-1][0] == "list_item" and not _indented_under(line, groups[-1][2][0]))
            )
            if (
                kind == "heading"
                and groups
                and groups[-1][:2] == ("heading", level)
                and previous is not None
                and not _gap_break(previous, line, gap, factor=2.0)
            ):
                starts_new = False  # a heading wrapped over two lines
            if starts_new:
                groups.append((kind, level, [line]))
            else:
                groups[-1][2].append(line)
            previous = line
        for kind, level, group in groups:
            text = join_wrapped_lines(
                [_BULLET.sub("", line.text, count=1) if kind == "list_item" else line.text for line in group]
            )
            if not text:
                continue
            if kind == "paragraph" and _is_bold_heading(group, text):
                kind, level = "heading", bold_level
            blocks.append(Block(kind, text, level=level, page=page_number))
    return blocks


def _line_kind(line: _Line, level_of: dict[float, int]) -> tuple[BlockKind, int]:
    text = line.text.strip()
    if line.size in level_of and len(text) <= HEADING_MAX_CHARS:
        return "heading", level_of[line.size]
    if _BULLET.match(text):
        return "list_item", 1
    return "paragraph", 0


def _gap_break(previous: _Line, line: _Line, gap: float | None, factor: float = PARAGRAPH_GAP_RATIO) -> bool:
    if gap is None or previous.y is None or line.y is None:
        # No geometry: a short line ending a sentence closes the paragraph.
        return bool(re.search(r"[.!?:]$", previous.text.strip())) and len(previous.text.strip()) < 60
    distance = previous.y - line.y
    # Negative distance: a new column or a text box further up the page.
    return distance < 0 or distance > gap * factor


def _indented_under(line: _Line, bullet_line: _Line) -> bool:
    """Whether ``line`` continues a list item: it starts right of the item's bullet."""
    if line.x is None or bullet_line.x is None:
        return True
    return line.x > bullet_line.x + 1.0


def _is_bold_heading(group: list[_Line], text: str) -> bool:
    """A stand-alone bold line in body size (typical of Word exports) is a heading."""
    return len(group) == 1 and group[0].bold and len(text) <= 90 and not re.search(r"[.,;:!?]$", text)


def _metadata_title(reader: Any) -> str | None:
    try:
        raw = reader.metadata.title if reader.metadata else None
    except Exception:  # noqa: BLE001 - broken info dictionaries are common and harmless
        return None
    if not raw:
        return None
    title = re.sub(r"^Microsoft (?:Word|PowerPoint) - ", "", str(raw)).strip()
    if not title or _JUNK_TITLES.search(title):
        return None
    return title


def _first_heading(blocks: list[Block]) -> str | None:
    for block in blocks:
        if block.kind == "heading" and block.page == 1:
            return block.text
    return None
