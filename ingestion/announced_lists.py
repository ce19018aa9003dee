"""Headings that a lead-in announces as a list become that lead-in's list items.

Guidance texts often announce a list („… folgende drei Thesen sind wesentlich:“) and then give
each item as a heading of its own section („1. NUR INTEGRIERTE STRATEGIEN FUNKTIONIEREN“, its
explanation, „2. …“). The chunker keeps a lead-in with the list items that follow it, but here
no list item follows: the items are headings, and the answer to „Welche drei Thesen …?“ would
quote the lead-in alone. This step copies the announced headings as list items right after the
lead-in (the headings stay, so every item's section keeps its heading path).
"""

from __future__ import annotations

import re

from ingestion.document import Block

_NUMBERING = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[IVX]{1,4}\.|[a-z][.)])\s+")
MAX_ITEM_WORDS = 12
MAX_ITEMS = 12


def _siblings(blocks: list[Block], start: int) -> list[Block]:
    """The headings at the level of ``blocks[start]`` until a higher-level heading ends them."""
    level = blocks[start].level
    found: list[Block] = []
    for block in blocks[start:]:
        if block.kind != "heading":
            continue
        if block.level < level:
            break
        if block.level == level:
            found.append(block)
    return found


def announced_items(heading: str) -> str:
    """A heading's text as a list item: without its numbering."""
    return _NUMBERING.sub("", heading.strip()) or heading.strip()


def expand_announced_lists(blocks: list[Block]) -> list[Block]:
    """``blocks`` with the announced headings added as list items after their lead-in.

    A lead-in is a paragraph ending in ":" directly followed by a heading; its items are that
    heading and its siblings (same level, up to the next higher-level heading), when there are
    2 to 12 of them and each is short. Anything else is left as it is.
    """
    out: list[Block] = []
    for index, block in enumerate(blocks):
        out.append(block)
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind != "paragraph" or not block.text.rstrip().endswith(":"):
            continue
        if following is None or following.kind != "heading":
            continue
        items = _siblings(blocks, index + 1)
        if not 2 <= len(items) <= MAX_ITEMS:
            continue
        if any(len(item.text.split()) > MAX_ITEM_WORDS for item in items):
            continue
        out.extend(
            Block("list_item", announced_items(item.text), level=1, page=block.page, links=list(item.links))
            for item in items
        )
    return out
