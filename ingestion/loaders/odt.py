"""ODT loader (odfpy): ``text:h`` headings, paragraphs, (nested) lists and tables.

The zip-bomb check runs before this loader (see :mod:`ingestion.loaders.archive_guard`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.errors import CorruptDocumentError
from ingestion.document import Block, LoadedDocument
from ingestion.loaders.docx import table_text

logger = logging.getLogger(__name__)

__all__ = ["load_odt"]

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"

# Elements whose children are walked for content; anything else with text is ignored
# unless listed in the handlers below (e.g. the table of contents repeats the headings).
_CONTAINERS = frozenset({"text", "section", "frame", "text-box", "div", "body", "g"})
_SKIP = frozenset(
    {"table-of-content", "sequence-decls", "variable-decls", "tracked-changes", "forms", "index-title"}
)
_HEADING_STYLE = re.compile(r"^(?:Heading|Überschrift)(?:_20_|\s)(\d)$", re.I)


def load_odt(path: Path) -> LoadedDocument:
    """Load an ``.odt`` file into blocks, with the ``dc:title`` as title.

    :raises CorruptDocumentError: odfpy cannot open the file.
    """
    from odf.opendocument import load

    source = str(path)
    try:
        document = load(str(path))
    except Exception as exc:  # noqa: BLE001 - odfpy surfaces zip, XML and key errors alike
        raise CorruptDocumentError(
            f"Die ODT-Datei ist beschädigt oder kein gültiges OpenDocument ({exc.__class__.__name__}).",
            source=source,
        ) from exc

    walker = _Walker(_parent_styles(document))
    blocks = list(walker.walk(document.text))
    return LoadedDocument(path=path, blocks=blocks, title=_title(document), metadata={})


def _local(element: Any) -> str:
    qname = getattr(element, "qname", None)
    return qname[1] if qname else ""


def _ns(element: Any) -> str:
    qname = getattr(element, "qname", None)
    return qname[0] if qname else ""


def _text(element: Any) -> str:
    from odf import teletype

    return str(teletype.extractText(element)).strip()


def _parent_styles(document: Any) -> dict[str, str]:
    """Automatic paragraph style name -> its parent (named) style, to spot heading styles."""
    parents: dict[str, str] = {}
    for container in (document.automaticstyles, document.styles):
        for style in container.childNodes:
            name = style.getAttrNS(_STYLE, "name") if _local(style) == "style" else None
            parent = style.getAttrNS(_STYLE, "parent-style-name") if name else None
            if name and parent:
                parents[name] = parent
    return parents


class _Walker:
    """Walks the ODF body in document order and yields blocks."""

    def __init__(self, parent_styles: dict[str, str]) -> None:
        self.parent_styles = parent_styles

    def walk(self, element: Any, list_depth: int = 0) -> Iterator[Block]:
        for child in element.childNodes:
            name, ns = _local(child), _ns(child)
            if not name or name in _SKIP:
                continue
            if ns == _TEXT and name == "h":
                yield from self._heading(child)
            elif ns == _TEXT and name == "p":
                text = _text(child)
                if text:
                    level = self._style_heading_level(child)
                    if level:
                        yield Block("heading", text, level=level)
                    elif list_depth:
                        yield Block("list_item", text, level=list_depth)
                    else:
                        yield Block("paragraph", text)
            elif ns == _TEXT and name == "list":
                yield from self._list(child, list_depth + 1)
            elif ns == _TABLE and name == "table":
                text = table_text(self._table_rows(child))
                if text:
                    yield Block("table", text)
            elif name in _CONTAINERS:
                yield from self.walk(child, list_depth)

    def _heading(self, element: Any) -> Iterator[Block]:
        text = _text(element)
        if not text:
            return
        try:
            level = int(element.getAttrNS(_TEXT, "outline-level") or 1)
        except ValueError:
            level = 1
        yield Block("heading", text, level=max(1, level))

    def _style_heading_level(self, element: Any) -> int:
        style = element.getAttrNS(_TEXT, "style-name") or ""
        for candidate in (style, self.parent_styles.get(style, "")):
            if candidate in {"Title", "Titel"}:
                return 1
            match = _HEADING_STYLE.match(candidate)
            if match:
                return int(match.group(1))
        return 0

    def _list(self, element: Any, depth: int) -> Iterator[Block]:
        """A list item's own paragraphs form one block; nested lists go one level deeper."""
        for item in element.childNodes:
            if _local(item) not in {"list-item", "list-header"}:
                continue
            own: list[str] = []
            nested: list[Block] = []
            for child in item.childNodes:
                name = _local(child)
                if name in {"p", "h"}:
                    text = _text(child)
                    if text:
                        own.append(text)
                elif name == "list":
                    nested.extend(self._list(child, depth + 1))
                else:
                    nested.extend(self.walk(_Single(child), depth))
            if own:
                yield Block("list_item", "\n".join(own), level=depth)
            yield from nested

    def _table_rows(self, table: Any) -> list[list[str]]:
        rows: list[list[str]] = []
        for row in _descendants(table, "table-row"):
            cells = [
                "\n".join(_text(p) for p in cell.childNodes if _local(p) in {"p", "h"})
                for cell in row.childNodes
                if _local(cell) == "table-cell"
            ]
            rows.append(cells)
        return rows


class _Single:
    """Wraps one element so :meth:`_Walker.walk` can treat it as a container's only child."""

    def __init__(self, element: Any) -> None:
        self.childNodes = [element]


def _descendants(element: Any, local_name: str) -> Iterator[Any]:
    """Rows of a table, including those inside header-rows/row-groups, not nested tables."""
    for child in element.childNodes:
        name = _local(child)
        if name == local_name:
            yield child
        elif name in {"table-header-rows", "table-rows", "table-row-group"}:
            yield from _descendants(child, local_name)


def _title(document: Any) -> str | None:
    from odf import dc

    for element in document.meta.getElementsByType(dc.Title):
        text = _text(element)
        if text:
            return text
    return None
