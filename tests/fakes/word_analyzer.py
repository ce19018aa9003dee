"""A fake :class:`~assistant.generation.evidence.Analyzer`: lower-cased words, no stemming and
no compound splitting, every term weighing 1 — so drafting tests control exactly which words match."""

from __future__ import annotations

import re


class WordAnalyzer:
    """Lower-cased words; every term weighs 1."""

    def analyze(self, text: str) -> list[str]:
        return re.findall(r"\w+", text.lower())

    def idf(self, token: str) -> float:
        return 1.0

    def df(self, token: str) -> int:
        return 1
