"""German lexical analysis: tokens for BM25 with stemming, umlaut folding and decompounding.

The Snowball German stemmer already maps "ae/oe/ue" spellings and umlauts to the same
stem (Bürger, Buerger -> burg) once text is lower-cased, and "ß"/"ss" both become "ss".
It does not split compounds, so "Digitalstrategie" would never meet "Strategie": the
:class:`Decompounder` splits long words into parts that occur as words of the indexed
vocabulary (learned from the corpus itself, so it adapts to any municipality's texts).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import Stemmer
from bm25s.stopwords import STOPWORDS_GERMAN

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*", re.UNICODE)
_STOPWORDS = frozenset(STOPWORDS_GERMAN) | {"dass", "sowie", "bzw", "z", "b", "u", "a", "d", "h"}
# Linking elements (Fugenelemente) that may join the parts of a German compound.
_LINKS = ("", "s", "es", "n", "en", "er", "e")
_MIN_PART = 4
_MIN_COMPOUND = 9


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("german")


def words(text: str) -> list[str]:
    """Lower-cased word tokens; hyphenated compounds also yield their parts."""
    out: list[str] = []
    for match in _WORD.finditer(text.lower().replace("ß", "ss")):
        word = match.group(0)
        if "-" in word:
            parts = [part for part in word.split("-") if part]
            out.extend(parts)
            out.append("".join(parts))
        else:
            out.append(word)
    return out


@lru_cache(maxsize=131_072)
def stem(word: str) -> str:
    """Snowball German stem of one lower-cased word (memoised: answers stem the same words often)."""
    return _stemmer().stemWord(word)


def stem_words(words: list[str]) -> list[str]:
    """Snowball German stems of lower-cased words, in one call."""
    return _stemmer().stemWords(words)


def content_stems(text: str) -> list[str]:
    """Stems of the non-stopword words of ``text`` (no decompounding)."""
    return [stem(word) for word in words(text) if word not in _STOPWORDS and len(word) > 1]


class Decompounder:
    """Splits compounds into two parts that are both known stems of the vocabulary."""

    def __init__(self, vocabulary: Iterable[str]) -> None:
        self._known = {stem_ for stem_ in vocabulary if len(stem_) >= _MIN_PART - 1}
        self._split = lru_cache(maxsize=65_536)(self._split_uncached)

    def parts(self, word: str) -> list[str]:
        """Stems of the compound's parts, or [] when the word is not a known compound."""
        return list(self._split(word))

    def _split_uncached(self, word: str) -> tuple[str, ...]:
        if len(word) < _MIN_COMPOUND or "-" in word:
            return ()
        for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
            head, tail = word[:cut], word[cut:]
            tail_stem = stem(tail)
            if tail_stem not in self._known:
                continue
            for link in _LINKS:
                if link and not head.endswith(link):
                    continue
                base = head[: len(head) - len(link)] if link else head
                if len(base) < _MIN_PART:
                    continue
                head_stem = stem(base)
                if head_stem in self._known:
                    return (head_stem, tail_stem)
        return ()


def lexical_tokens(text: str, decompounder: Decompounder | None = None) -> list[str]:
    """Tokens for the lexical index and for queries: stems plus the stems of compound parts."""
    tokens: list[str] = []
    for word in words(text):
        if word in _STOPWORDS or len(word) < 2:
            continue
        tokens.append(stem(word))
        if decompounder is not None:
            tokens.extend(decompounder.parts(word))
    return tokens
