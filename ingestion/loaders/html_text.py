"""Plain text of an HTML page, for pages trafilatura finds no main content in.

Written on the standard library's :class:`html.parser.HTMLParser` on purpose: it tokenizes
without building a tree, so it has no depth limit. libxml2 (under lxml, trafilatura and
jusText) silently drops everything nested deeper than 256 elements (2048 with
``huge_tree``), which is how a page of deeply nested ``<div>``s came out without any text.
No boilerplate is removed here beyond scripts and styles; the cleaning step handles the rest.
"""

from __future__ import annotations

from html.parser import HTMLParser

from ingestion.document import Block, BlockKind, Link, web_link
from ingestion.loaders.docx import table_text

__all__ = ["plain_blocks"]

# Elements whose content is never text for a reader.
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "title", "iframe", "object"})
# Elements that end the text before them and start a new block.
_BREAKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "dd", "details", "div", "dl", "dt",
        "fieldset", "figcaption", "figure", "footer", "form", "header", "hr", "li", "main",
        "nav", "ol", "p", "pre", "section", "summary", "ul", "caption",
    }
)  # fmt: skip
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_VOID = frozenset(
    {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source", "wbr"}
)


def plain_blocks(html: str, base: str | None = None) -> list[Block]:
    """Headings, paragraphs, list items and tables of ``html``, in document order."""
    parser = _TextParser(base)
    parser.feed(html)
    parser.close()
    parser.flush()
    return parser.blocks


class _TextParser(HTMLParser):
    def __init__(self, base: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.blocks: list[Block] = []
        self._skip: list[str] = []
        self._text: list[str] = []
        self._links: list[Link] = []
        self._anchors: list[tuple[str | None, int]] = []  # href, the text piece its label starts at
        self._kind: BlockKind = "paragraph"
        self._level = 0
        self._list_depth = 0
        self._rows: list[list[str]] | None = None
        self._table_links: list[Link] = []

    # -- tokens -----------------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._skip:
            if tag == "body" and self._skip[0] == "head":
                self._skip.clear()  # "</head>" may be left out
            elif tag == self._skip[-1] or (tag in _SKIP and tag not in _VOID):
                self._skip.append(tag)
            return
        if tag in _SKIP:
            self._skip.append(tag)
        elif tag == "br":
            self._text.append("\n")
        elif tag == "a":
            self._anchors.append((dict(attrs).get("href"), len(self._text)))
        elif tag in _HEADINGS:
            self.flush()
            self._kind, self._level = "heading", _HEADINGS[tag]
        elif tag in {"ul", "ol"}:
            self.flush()
            self._list_depth += 1
        elif tag == "li":
            self.flush()
            self._kind, self._level = "list_item", max(self._list_depth, 1)
        elif tag == "table":
            self.flush()
            self._rows = []
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in {"td", "th"}:
            self._end_cell()
        elif tag in _BREAKS:
            self.flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skip and tag == "br":
            self._text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[-1]:
                self._skip.pop()
            return
        if tag == "a" and self._anchors:
            href, start = self._anchors.pop()
            link = web_link("".join(self._text[start:]), href, self.base)
            if link is not None:
                self._links.append(link)
        elif tag in _HEADINGS or tag == "li":
            self.flush()
        elif tag in {"ul", "ol"}:
            self.flush()
            self._list_depth = max(self._list_depth - 1, 0)
        elif tag in {"td", "th"}:
            self._end_cell()
        elif tag == "table":
            self._end_cell()
            self._end_table()
        elif tag in _BREAKS:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)

    # -- blocks -----------------------------------------------------------------------------

    def _joined(self) -> str:
        """The current block's text so far, with whitespace collapsed as it will be stored."""
        lines = "".join(self._text).split("\n")
        return "\n".join(" ".join(line.split()) for line in lines).strip()

    def flush(self) -> None:
        """Emit the text collected since the last block boundary."""
        if self._rows is not None:
            return  # inside a table, text belongs to the cells
        text = self._joined()
        if text:
            self.blocks.append(Block(self._kind, text, level=self._level, links=self._links))
        self._reset()

    def _reset(self) -> None:
        self._text, self._links, self._anchors = [], [], []
        self._kind, self._level = "paragraph", 0

    def _end_cell(self) -> None:
        if self._rows is None:
            self.flush()
            return
        text = " ".join(self._joined().split())
        if text:
            if not self._rows:
                self._rows.append([])
            self._rows[-1].append(text)
        self._table_links.extend(self._links)
        self._reset()

    def _end_table(self) -> None:
        rows, self._rows = self._rows, None
        text = table_text(rows or [])
        if text:
            self.blocks.append(Block("table", text, links=self._table_links))
        self._table_links = []
