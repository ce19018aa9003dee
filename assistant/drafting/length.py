"""How long a draft is and may be: words of its body, a word budget per part, trimming to the limit.

A request's length („ca. eine Seite“, „halbe Seite“, „max. 300 Wörter“) bounds the draft's body:
the part headings and their blocks, without title, label, profile line and source list (a
bibliography does not count towards a text's length). One page is
:data:`~assistant.drafting.models.WORDS_PER_PAGE` words. Each part gets a share of the words by
its ``weight`` in ``structure.yaml``; a part without evidence gets only its note, and what a part
leaves unused (or overdraws) passes to the next one, so the total stays near the target.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.drafting.models import DraftBlock, DraftPart
from assistant.drafting.structure import NO_EVIDENCE, PartSpec
from assistant.text.citation_markers import CITATION_MARKER

_WORD = re.compile(r"\w")


def count_words(text: str) -> int:
    """Words of ``text``: whitespace-separated tokens holding a letter or digit, without [n] markers."""
    return sum(1 for token in CITATION_MARKER.sub(" ", text).split() if _WORD.search(token))


def block_words(block: DraftBlock) -> int:
    """Words of one block as the reader sees it (a measure with its fields line)."""
    words = count_words(block.text)
    if block.fields:
        words += count_words(" ".join(f"{name}: {value}" for name, value in block.fields.items()))
    return words


def part_words(part: DraftPart) -> int:
    """Words of a part: its heading and its blocks."""
    return count_words(part.title) + sum(block_words(b) for b in part.blocks)


def body_words(parts: Sequence[DraftPart]) -> int:
    """Words of a draft's body (what its length is measured by)."""
    return sum(part_words(p) for p in parts)


def part_budgets(target: int, specs: Sequence[PartSpec], gaps: Sequence[bool]) -> list[int]:
    """Words per part for a body of ``target`` words: headings and gap notes first, the rest by weight."""
    fixed = sum(count_words(s.title) for s in specs) + sum(count_words(NO_EVIDENCE) for g in gaps if g)
    weights = [0.0 if gap else spec.weight for spec, gap in zip(specs, gaps, strict=True)]
    total = sum(weights) or 1.0
    free = max(0, target - fixed)
    return [round(free * w / total) for w in weights]


def trim_to(parts: list[DraftPart], limit: int) -> list[DraftPart]:
    """Drop statements from the end of the longest parts until the body has at most ``limit`` words.

    A part keeps its first block (its lead statement); notes are never dropped.
    """
    while body_words(parts) > limit:
        candidates = [p for p in parts if len(p.blocks) > 1 and p.blocks[-1].kind != "note"]
        if not candidates:
            break
        longest = max(candidates, key=part_words)
        longest.blocks.pop()
    return parts
