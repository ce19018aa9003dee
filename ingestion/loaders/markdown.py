"""Markdown loader (markdown-it-py): headings (ATX and setext), lists, tables, front matter.

Inline markup is reduced to its text (link text stays, URLs go; image alt text stays).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ingestion.document import Block, LoadedDocument
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
    blocks = parse_markdown(body)
    title = next((block.text for block in blocks if block.kind == "heading" and block.level == 1), None)
    return LoadedDocument(path=path, blocks=blocks, title=title, metadata=metadata)


def parse_markdown(text: str) -> list[Block]:
    """Blocks of a Markdown text (without front matter)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return _Builder().build(tokens)


class _Builder:
    """Turns markdown-it's flat token stream into blocks."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.list_depth = 0
        # Open list items: collected paragraph texts, and whether already emitted.
        self.items: list[list[str]] = []
        self.table: list[list[str]] | None = None

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
            elif kind == "list_item_close":
                self._flush_item()
                self.items.pop()
            elif kind == "table_open":
                self.table = []
            elif kind == "table_close":
                rendered = table_text(self.table or [])
                if rendered:
                    self.blocks.append(Block("table", rendered))
                self.table = None
            elif kind == "tr_open" and self.table is not None:
                self.table.append([])
            elif kind == "inline":
                self._inline(_inline_text(token), heading_level)
            elif kind in {"fence", "code_block"}:
                self._inline(token.content.strip("\n"), 0)
            elif kind == "html_block":
                self._inline(_html_text(token.content), 0)
        return self.blocks

    def _inline(self, text: str, heading_level: int) -> None:
        if self.table is not None:
            if self.table:
                self.table[-1].append(text)
            return
        if not text.strip():
            return
        if heading_level:
            self.blocks.append(Block("heading", text.strip(), level=heading_level))
        elif self.items:
            self.items[-1].append(text.strip())
        else:
            self.blocks.append(Block("paragraph", text.strip()))

    def _flush_item(self) -> None:
        if self.items and self.items[-1]:
            self.blocks.append(Block("list_item", "\n".join(self.items[-1]), level=self.list_depth))
            self.items[-1] = []


def _inline_text(token: Any) -> str:
    parts: list[str] = []
    for child in token.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content or "")
        elif child.type == "html_inline":
            continue
    return "".join(parts)


def _html_text(html: str) -> str:
    from lxml import html as lxml_html

    try:
        return lxml_html.fromstring(html).text_content().strip()
    except Exception:  # noqa: BLE001 - lxml raises on comments-only or empty fragments
        return ""
