"""HTML loader: main text via trafilatura, structure kept from its XML output.

trafilatura removes navigation, headers, footers, cookie banners and share widgets; with
``include_formatting`` its XML keeps ``<head rend="h2">``, ``<list>/<item>`` and
``<table>/<row>/<cell>``, which map directly onto our blocks, and with ``include_links`` its
``<ref target>`` elements keep the anchors of the main text, which become the blocks' links.

When trafilatura finds no main text, a plain extraction with the standard library's
tokenizer takes over (:mod:`ingestion.loaders.html_text`): libxml2, under both lxml and
trafilatura, drops whatever is nested deeper than 256 elements.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.errors import CorruptDocumentError
from ingestion.document import Block, Link, LoadedDocument, web_link
from ingestion.loaders.docx import table_text
from ingestion.loaders.html_text import plain_blocks

logger = logging.getLogger(__name__)

__all__ = ["load_html"]

_CONTAINERS = frozenset({"main", "div", "quote", "section", "doc"})


def load_html(path: Path) -> LoadedDocument:
    """Load an HTML page's main content; ``<title>``/``og:title`` and the canonical URL
    become title and ``metadata["url"]``.

    :raises CorruptDocumentError: the file cannot be parsed as HTML at all.
    """
    import trafilatura
    from lxml import etree

    source = str(path)
    data = path.read_bytes()
    tree = trafilatura.load_html(data)
    if tree is None:
        raise CorruptDocumentError("Die HTML-Datei kann nicht gelesen werden.", source=source)

    metadata: dict[str, Any] = {}
    title: str | None = None
    page_meta = trafilatura.extract_metadata(tree)
    if page_meta is not None:
        title = (page_meta.title or "").strip() or None
        if page_meta.url:
            metadata["url"] = page_meta.url

    xml = _extract_xml(data)
    blocks: list[Block] = []
    warnings: list[str] = []
    if xml:
        try:
            root = etree.fromstring(xml.encode("utf-8"))
        except etree.XMLSyntaxError as exc:  # trafilatura produced it, so this is a bug there
            raise CorruptDocumentError(
                "Der Inhalt der HTML-Datei kann nicht ausgewertet werden.", source=source
            ) from exc
        main = root.find("main")
        blocks = list(_blocks(main if main is not None else root, base=metadata.get("url")))
    if not any(block.text.strip() for block in blocks):
        blocks = plain_blocks(_decode(data), base=metadata.get("url"))
        if blocks:
            warnings.append(f"no main content found in {source}; text extracted without boilerplate removal")
            logger.info("html plain-text fallback path=%s blocks=%d", source, len(blocks))
    return LoadedDocument(path=path, blocks=blocks, title=title, metadata=metadata, warnings=warnings)


def _decode(data: bytes) -> str:
    from trafilatura.utils import decode_file

    return str(decode_file(data))


def _extract_xml(data: bytes) -> str | None:
    import trafilatura

    options: dict[str, Any] = {
        "output_format": "xml",
        "include_formatting": True,
        "include_tables": True,
        "include_comments": False,
        "include_links": True,
        "include_images": False,
    }
    xml = trafilatura.extract(data, **options)
    if xml is None:
        # Short pages fall under trafilatura's minimum size; be generous before giving up.
        xml = trafilatura.extract(data, favor_recall=True, **options)
    return xml


def _blocks(element: Any, depth: int = 0, *, base: str | None = None) -> Iterator[Block]:
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "head":
            text = _text(child)
            if text:
                rend = child.get("rend", "")
                level = int(rend[1]) if len(rend) == 2 and rend[0] == "h" and rend[1].isdigit() else 2
                yield Block("heading", text, level=level, links=_links(child, base))
        elif tag in {"p", "code"}:
            text = _text(child)
            if text:
                yield Block("paragraph", text, links=_links(child, base))
        elif tag == "list":
            yield from _list(child, depth + 1, base)
        elif tag == "table":
            rows = [[_text(cell) for cell in row.iter("cell")] for row in child.iter("row")]
            text = table_text(rows)
            if text:
                yield Block("table", text, links=_links(child, base))
        elif tag in _CONTAINERS:
            yield from _blocks(child, depth, base=base)


def _list(element: Any, depth: int, base: str | None) -> Iterator[Block]:
    for item in element.iter("item"):
        if item.getparent() is not element:
            continue
        nested = [child for child in item if child.tag == "list"]
        for child in nested:
            item.remove(child)  # emitted below, after the item's own text
        text = _text(item)
        if text:
            yield Block("list_item", text, level=depth, links=_links(item, base))
        for child in nested:
            yield from _list(child, depth + 1, base)


def _links(element: Any, base: str | None) -> list[Link]:
    """The anchors (trafilatura's ``<ref target>``) inside ``element``."""
    found = (web_link("".join(ref.itertext()), ref.get("target"), base) for ref in element.iter("ref"))
    return [link for link in found if link is not None]


def _text(element: Any) -> str:
    for line_break in element.iter("lb"):
        line_break.text = "\n"
    return "".join(element.itertext()).strip()
