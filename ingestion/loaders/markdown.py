"""Markdown loader (markdown-it-py): headings (ATX and setext), lists, tables, front matter.

Inline markup is reduced to its text (link text stays, URLs go; image alt text stays). The
links (``[label](url)``, ``<https://…>``, reference links, ``<a href>`` in HTML blocks) are
kept on their block as :class:`~ingestion.document.Link`, relative ones resolved against the
front matter's ``url``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ingestion.document import Block, Link, LoadedDocument, web_link
from ingestion.loaders.docx import table_text
from ingestion.loaders.metadata import split_front_matter
from ingestion.loaders.text import decode_text

logger = logging.getLogger(__name__)

__all__ = ["load_markdown", "parse_markdown"]


def load_markdown(path: Path) -> LoadedDocument:
    """Load a ``.md`` file; YAML front matter becomes metadata, the first H1 the title."""
    source = str(path)
    text = decode_text(path.read_bytes(), source=source)
    metadata, body = split_front_matter(text, source=source)
    base = metadata.get("url")
    blocks = parse_markdown(body, base=str(base) if base else None)
    title = next((block.text for block in blocks if block.kind == "heading" and block.level == 1), None)
    return LoadedDocument(path=path, blocks=blocks, title=title, metadata=metadata)


def parse_markdown(text: str, base: str | None = None) -> list[Block]:
    """Blocks of a Markdown text (without front matter); ``base`` resolves relative links."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return _Builder(base).build(tokens)


class _Builder:
    """Turns markdown-it's flat token stream into blocks."""

    def __init__(self, base: str | None = None) -> None:
        self.base = base
        self.blocks: list[Block] = []
        self.list_depth = 0
        # Open list items: collected paragraph texts, and whether already emitted.
        self.items: list[list[str]] = []
        self.item_links: list[list[Link]] = []
        self.table: list[list[str]] | None = None
        self.table_links: list[Link] = []

    def build(self, tokens: list[Any]) -> list[Block]:
        heading_level = 0
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                heading_level = int(token.tag[1])
            elif kind == "heading_close":
                heading_level = 0
            elif kind in {"bullet_list_open", "ordered_list_open"}:
                self._flush_item()  # the parent item's text comes before its children
                self.list_depth += 1
            elif kind in {"bullet_list_close", "ordered_list_close"}:
                self.list_depth -= 1
            elif kind == "list_item_open":
                self.items.append([])
                self.item_links.append([])
            elif kind == "list_item_close":
                self._flush_item()
                self.items.pop()
                self.item_links.pop()
            elif kind == "table_open":
                self.table = []
                self.table_links = []
            elif kind == "table_close":
                rendered = table_text(self.table or [])
                if rendered:
                    self.blocks.append(Block("table", rendered, links=self.table_links))
                self.table = None
            elif kind == "tr_open" and self.table is not None:
                self.table.append([])
            elif kind == "inline":
                self._inline(*_inline_text(token, self.base), heading_level)
            elif kind in {"fence", "code_block"}:
                self._inline(token.content.strip("\n"), [], 0)
            elif kind == "html_block":
                self._inline(*_html_text(token.content, self.base), 0)
        return self.blocks

    def _inline(self, text: str, links: list[Link], heading_level: int) -> None:
        if self.table is not None:
            if self.table:
                self.table[-1].append(text)
                self.table_links.extend(links)
            return
        if not text.strip():
            return
        if heading_level:
            self.blocks.append(Block("heading", text.strip(), level=heading_level, links=links))
        elif self.items:
            self.items[-1].append(text.strip())
            self.item_links[-1].extend(links)
        else:
            self.blocks.append(Block("paragraph", text.strip(), links=links))

    def _flush_item(self) -> None:
        if self.items and self.items[-1]:
            text = "\n".join(self.items[-1])
            self.blocks.append(Block("list_item", text, level=self.list_depth, links=self.item_links[-1]))
            self.items[-1] = []
            self.item_links[-1] = []


def _inline_text(token: Any, base: str | None) -> tuple[str, list[Link]]:
    """The text of an inline token and the links in it (label = the link's text)."""
    parts: list[str] = []
    links: list[Link] = []
    open_links: list[tuple[str | None, int]] = []  # href and where its label starts in parts
    for child in token.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content or "")
        elif child.type == "link_open":
            open_links.append((child.attrGet("href"), len(parts)))
        elif child.type == "link_close" and open_links:
            href, start = open_links.pop()
            link = web_link("".join(parts[start:]), str(href) if href else None, base)
            if link is not None:
                links.append(link)
        elif child.type == "html_inline":
            continue
    return "".join(parts), links


def _html_text(html: str, base: str | None) -> tuple[str, list[Link]]:
    from lxml import html as lxml_html

    try:
        element = lxml_html.fromstring(html)
    except Exception:  # noqa: BLE001 - lxml raises on comments-only or empty fragments
        return "", []
    anchors = element.iter("a") if isinstance(element.tag, str) else []
    links = [web_link(a.text_content(), a.get("href"), base) for a in anchors]
    return element.text_content().strip(), [link for link in links if link is not None]
