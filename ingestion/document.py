"""The structured form every loader produces and every later step consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

BlockKind = Literal["heading", "paragraph", "list_item", "table"]


@dataclass
class Block:
    """One structural unit of a document.

    ``level`` is the heading level (1 = top) for headings and the nesting depth for list
    items. ``page`` is the 1-based page number where the format has pages (PDF).
    """

    kind: BlockKind
    text: str
    level: int = 0
    page: int | None = None


@dataclass
class LoadedDocument:
    """A document as read from disk, before cleaning and chunking.

    ``metadata`` holds what the file itself declares (YAML front matter, a sidecar
    ``<name>.meta.yaml``, document properties): keys such as title, doc_type,
    municipality, date, url, handlungsfelder, doc_sets, id.
    """

    path: Path
    blocks: list[Block]
    title: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        """All block texts joined by blank lines (for hashing, checks and debugging)."""
        return "\n\n".join(block.text for block in self.blocks)
