"""DOCX loader (python-docx): headings, list items and tables in document order.

Headings come from paragraph styles ("Heading N", "Überschrift N", "Title"/"Titel") or,
failing that, an explicit outline level; list items from the list styles or Word
numbering; each table becomes one ``table`` block with one ``cell | cell`` line per row.
Hyperlinks (``w:hyperlink`` with an external target) become the blocks' links.
The zip-bomb check runs before this loader (see :mod:`ingestion.loaders.archive_guard`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.errors import CorruptDocumentError
from ingestion.document import Block, BlockKind, Link, LoadedDocument, web_link

logger = logging.getLogger(__name__)

__all__ = ["load_docx", "table_text"]

_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|berschrift|titre|kop)\s*(\d)$", re.I)
_TITLE_STYLES = frozenset({"title", "titel"})
_LIST_STYLE = re.compile(r"^(?:list|liste|aufzählung|listenabsatz|list paragraph)\b", re.I)
_LIST_DEPTH = re.compile(r"(\d)$")


def load_docx(path: Path) -> LoadedDocument:
    """Load a ``.docx`` file into blocks, with the core-properties title.

    :raises CorruptDocumentError: python-docx cannot open the file.
    """
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    source = str(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise CorruptDocumentError(
            "Die Word-Datei ist beschädigt oder kein gültiges DOCX-Dokument.", source=source
        ) from exc
    except Exception as exc:  # noqa: BLE001 - lxml/zip errors inside python-docx vary
        raise CorruptDocumentError(
            f"Die Word-Datei kann nicht gelesen werden ({exc.__class__.__name__}).", source=source
        ) from exc

    blocks = list(_blocks(document))
    title = (document.core_properties.title or "").strip() or None
    return LoadedDocument(path=path, blocks=blocks, title=title, metadata={})


def _blocks(document: Any) -> Iterator[Block]:
    from docx.table import Table

    for item in document.iter_inner_content():
        if isinstance(item, Table):
            cells = [_unique_cells(row) for row in item.rows]
            text = table_text([[cell.text for cell in row] for row in cells])
            if text:
                paragraphs = [p for row in cells for cell in row for p in cell.paragraphs]
                yield Block("table", text, links=_hyperlinks(paragraphs))
            continue
        text = item.text.strip()
        if not text:
            continue
        kind, level = _paragraph_kind(item)
        yield Block(kind, text, level=level, links=_hyperlinks([item]))


def _hyperlinks(paragraphs: list[Any]) -> list[Link]:
    """External hyperlinks of the paragraphs (internal bookmarks have no address)."""
    links = []
    for paragraph in paragraphs:
        for hyperlink in paragraph.hyperlinks:
            link = web_link(hyperlink.text, hyperlink.address)
            if link is not None:
                links.append(link)
    return links


def _paragraph_kind(paragraph: Any) -> tuple[BlockKind, int]:
    """("heading", level), ("list_item", depth) or ("paragraph", 0) for a python-docx paragraph."""
    style = paragraph.style
    name = (style.name if style is not None else "") or ""
    match = _HEADING_STYLE.match(name.strip())
    if match:
        return "heading", max(1, int(match.group(1)))
    if name.strip().lower() in _TITLE_STYLES:
        return "heading", 1
    outline = _outline_level(paragraph)
    if outline is not None and outline < 9:
        return "heading", outline + 1
    numbering = _numbering_level(paragraph)
    if numbering is not None:
        return "list_item", numbering + 1
    if _LIST_STYLE.match(name.strip()):
        depth = _LIST_DEPTH.search(name.strip())
        return "list_item", int(depth.group(1)) if depth else 1
    return "paragraph", 0


def _outline_level(paragraph: Any) -> int | None:
    """Explicit ``w:outlineLvl`` on the paragraph or its style (0 = top level)."""
    from docx.oxml.ns import qn

    for element in (paragraph._p.pPr, getattr(paragraph.style, "element", None)):
        if element is None:
            continue
        found = element.find(".//" + qn("w:outlineLvl"))
        if found is not None:
            try:
                return int(found.get(qn("w:val")))
            except (TypeError, ValueError):
                return None
    return None


def _numbering_level(paragraph: Any) -> int | None:
    """The ``w:ilvl`` of a numbered/bulleted paragraph, or None if it is not in a list."""
    from docx.oxml.ns import qn

    ppr = paragraph._p.pPr
    if ppr is None or ppr.numPr is None:
        return None
    num_id = ppr.numPr.find(qn("w:numId"))
    if num_id is not None and num_id.get(qn("w:val")) == "0":
        return None  # numId 0 switches numbering off
    ilvl = ppr.numPr.find(qn("w:ilvl"))
    try:
        return int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
    except (TypeError, ValueError):
        return 0


def _unique_cells(row: Any) -> list[Any]:
    """Cells of a row, without the repeats python-docx returns for merged cells."""
    seen: set[int] = set()
    cells = []
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(cell)
    return cells


def table_text(rows: list[list[str]]) -> str:
    """Render table rows as ``cell | cell`` lines, skipping rows without any text."""
    lines = []
    for row in rows:
        cells = [" ".join(cell.split()) for cell in row]
        if any(cells):
            lines.append(" | ".join(cells))
    return "\n".join(lines)
