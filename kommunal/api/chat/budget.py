"""Token counting and the sentence budget behind ``max_tokens``.

``usage`` counts tokens with the embedding model's tokenizer (the one the index was built
with; it is loaded anyway and costs microseconds). ``max_tokens`` / ``max_completion_tokens``
bound the answer text and cut it after the last whole sentence that fits; at least the first
sentence that cites a source is kept, so a truncated reply is never empty or uncited.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.text.sentences import split_sentences
from kommunal.api.runtime import Runtime

TokenCounter = Callable[[str], int]


def token_counter(runtime: Runtime) -> TokenCounter:
    """Tokens of a text as the index's embedding tokenizer counts them, without its special tokens
    and passage prefix. Blocking (the embedder may be behind a lock): call it in a worker thread."""
    embedder = runtime.assistant().index.embedder
    # count_tokens counts a passage as the model sees it (specials, e5's "passage: " prefix);
    # "a" is one token in every tokenizer we ship, so this is the fixed overhead.
    overhead = embedder.count_tokens("a") - 1

    def count(text: str) -> int:
        return max(embedder.count_tokens(text) - overhead, 0) if text.strip() else 0

    return count


# A bracket group that cites a source: "[1]", and in a model's raw stream "[1, 2]", "[Quelle 1]".
_CITATION = re.compile(r"\[\s*(?:Quellen?\s*)?(\d{1,3}(?:\s*(?:,|;|-|–|und|&)\s*\d{1,3})*)\s*\]", re.I)
_MARKERS_ONLY = re.compile(r"(?:\s*\[[^\]\n]{1,30}\])+\s*")
_TRAILING_MARKERS = re.compile(r"(?:[ \t]*\[\s*(?:Quellen?\s*)?\d[^\]\n]{0,30}\])+", re.I)


def cited_numbers(text: str) -> list[int]:
    """Source numbers the citation groups of ``text`` name, in order of first use."""
    numbers = (int(n) for group in _CITATION.findall(text) for n in re.findall(r"\d+", group))
    return list(dict.fromkeys(numbers))


def sentence_ends(text: str) -> list[int]:
    """Offsets in ``text`` after each sentence (:func:`split_sentences`), each with the citation
    markers that follow it ("Satz. [1]" ends after "[1]")."""
    ends: list[int] = []
    position = 0
    for sentence in split_sentences(text):
        start = text.find(sentence, position)
        if start < 0:  # split_sentences keeps the text's characters; stop rather than guess
            break
        position = start + len(sentence)
        if ends and _MARKERS_ONLY.fullmatch(sentence):
            ends[-1] = max(ends[-1], position)
        else:
            ends.append(position)
        trailing = _TRAILING_MARKERS.match(text, ends[-1])
        if trailing:
            ends[-1] = trailing.end()
    return ends


class SentenceBudget:
    """Whole sentences of a growing answer text for as long as they fit into ``limit`` tokens.

    ``feed`` takes the next piece and returns the text that may be sent now (complete
    sentences within the budget); ``close`` returns the rest. The kept text is the longest run of
    whole sentences within the limit, extended to the first sentence that cites a source when
    the run cites none (or to the first sentence when the answer cites nothing at all).
    """

    def __init__(self, limit: int, count: TokenCounter) -> None:
        self.limit = limit
        self.count = count
        self.truncated = False
        self._text = ""
        self._sent = 0  # characters of _text released so far
        self._tokens: dict[int, int] = {}

    def feed(self, piece: str) -> str:
        """Take the next piece; return the whole sentences that may be sent now."""
        if self.truncated:
            return ""
        self._text += piece
        return self._release(sentence_ends(self._text)[:-1], final=False)  # the last may go on

    def close(self) -> str:
        """The rest that may be sent once the answer text is complete."""
        if self.truncated:
            return ""
        ends = sentence_ends(self._text)
        if not ends or self._fits(len(self._text.rstrip())):
            rest = self._text[self._sent :]
            self._sent = len(self._text)
            return rest
        return self._release(ends, final=True)

    def _fits(self, end: int) -> bool:
        if end not in self._tokens:
            self._tokens[end] = self.count(self._text[:end])
        return self._tokens[end] <= self.limit

    def _release(self, ends: list[int], *, final: bool) -> str:
        within = self._sent
        over = False
        for end in ends:
            if end <= self._sent:
                continue
            if self._fits(end):
                within = end
                continue
            over = True
            break
        cut = within
        if over or (final and within < ends[-1]):
            if cited_numbers(self._text[:within]):
                cut, self.truncated = within, True
            else:
                first_cited = next((e for e in ends if e > within and cited_numbers(self._text[:e])), None)
                if first_cited is not None:
                    cut, self.truncated = first_cited, True
                elif final:
                    cut, self.truncated = max(within, ends[0]), True
        if final and cut < len(self._text.rstrip()):
            self.truncated = True
        released = self._text[self._sent : cut]
        self._sent = max(self._sent, cut)
        return released
