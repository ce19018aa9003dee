"""The ``[n]`` citation marker of answers and drafts: one pattern for finding, stripping and renumbering.

Answers, drafts, their exports and the evals all read the same marker, so it is written once.
The citation check (:mod:`assistant.generation.citations`) also reads looser spellings a model
writes ("[1, 2]", "[Quelle 1]") and rewrites them into this form.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["CITATION_MARKER", "MARKER_WITH_SPACE", "cited_numbers", "renumber_markers", "strip_markers"]

CITATION_MARKER = re.compile(r"\[(\d+)\]")
"""One marker, "[3]"; group 1 is the number."""
MARKER_WITH_SPACE = re.compile(r"\s*" + CITATION_MARKER.pattern)
"""A marker with the whitespace before it ("Satz [3]"): what a footnote or a stripped text replaces."""


def cited_numbers(text: str) -> list[int]:
    """The numbers of the markers in ``text``, in order, repeats kept."""
    return [int(n) for n in CITATION_MARKER.findall(text)]


def strip_markers(text: str, replacement: str = "") -> str:
    """``text`` without its markers and the whitespace before them."""
    return MARKER_WITH_SPACE.sub(replacement, text)


def renumber_markers(text: str, number: Callable[[int], int]) -> str:
    """``text`` with every marker "[n]" written as "[number(n)]"."""
    return CITATION_MARKER.sub(lambda m: f"[{number(int(m.group(1)))}]", text)
