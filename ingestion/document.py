"""The structured form every loader produces and every later step consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

BlockKind = Literal["heading", "paragraph", "list_item", "table"]


@dataclass(frozen=True)
class Link:
    """A link the document presents as one: an HTML anchor, a Markdown link, a DOCX hyperlink.

    ``label`` is the link's text as it stands in the block's text; ``url`` is absolute http(s).
    """

    label: str
    url: str


@dataclass
class Block:
    """One structural unit of a document.

    ``level`` is the heading level (1 = top) for headings and the nesting depth for list
    items. ``page`` is the 1-based page number where the format has pages (PDF). ``links``
    are the links inside the block; a URL that is only written in ``text`` is not one.
    """

    kind: BlockKind
    text: str
    level: int = 0
    page: int | None = None
    links: list[Link] = field(default_factory=list)


@dataclass
class LoadedDocument:
    """A document as read from disk, before cleaning and chunking.

    ``metadata`` holds what the file itself declares (YAML front matter, a sidecar
    ``<name>.meta.yaml``, document properties): keys such as title, doc_type,
    municipality, date, url, handlungsfelder, doc_sets, id. ``ocr`` is set when the text
    comes from text recognition of a scan (ingestion/loaders/ocr.py).
    """

    path: Path
    blocks: list[Block]
    title: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    ocr: bool = False

    def text(self) -> str:
        """All block texts joined by blank lines (for hashing, checks and debugging)."""
        return "\n\n".join(block.text for block in self.blocks)


def web_link(label: str, href: str | None, base: str | None = None) -> Link | None:
    """A :class:`Link` for an anchor, or None when it leads nowhere a reader can follow.

    Relative targets are resolved against ``base`` (the page's own URL); only http(s)
    targets are kept (no ``mailto:``, ``javascript:``, in-page ``#anchors``).
    """
    label = " ".join(label.split())
    href = (href or "").strip()
    if not label or not href or href.startswith("#"):
        return None
    url = urljoin(base, href) if base else href
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return Link(label, url)
