"""Small-to-big: rank small chunks, hand the reader each hit with its neighbouring chunks.

Small chunks rank well (one topic each, so the embedding is not diluted) but cut answers
off: the sentence that answers „Wie kriegen wir die Leute mit ins Boot?“ may stand in the
paragraph after the one that matched. Each ranked chunk is therefore widened to ``before``
and ``after`` neighbouring chunks of its document, across section breaks (a neighbour from
another section brings its heading along). Windows never repeat text: a hit that already
lies inside a better-ranked window is dropped, and a window leaves out chunks an earlier
window holds. A window keeps the hit's identity (chunk id, section, page, metadata), so
citations and filters refer to the chunk that matched; its links are those of the chunks
whose text it shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from assistant.retrieval.base import Retriever, WrappingRetriever
from assistant.text.sentences import split_sentences
from assistant.types import Chunk, Passage


class NeighbourSource(Protocol):
    def neighbours(self, chunk: Chunk, before: int = 1, after: int = 1) -> list[Chunk]: ...


def window_text(hit: Chunk, members: Sequence[Chunk], max_chars: int | None = None) -> str:
    """The members' texts in document order; a member from another section than the one
    before it (or, for the first, than the hit) starts with that section's heading.

    With ``max_chars`` the hit stays whole and the text before and after it is shortened
    evenly so the window fits: to whole sentences, with :data:`OMISSION` where text was
    left out, or, when not even one sentence fits, at a word, marked with "…".
    """
    return _window(hit, members, max_chars)[0]


def _window(hit: Chunk, members: Sequence[Chunk], max_chars: int | None) -> tuple[str, bool]:
    """:func:`window_text`, and whether the neighbours' text stayed whole."""
    before: list[str] = []
    after: list[str] = []
    side = before
    section = hit.section
    for i, member in enumerate(members):
        if member.section and member.section != section and (i > 0 or member.chunk_id != hit.chunk_id):
            side.append(_heading(member.section))
        if member.chunk_id == hit.chunk_id:
            side = after
        else:
            side.append(member.text)
        section = member.section
    head, tail = "\n\n".join(before), "\n\n".join(after)
    whole = True
    if max_chars is not None:
        room = max(0, max_chars - len(hit.text))
        whole = len(head) + len(tail) <= room
        head_room = max(room // 2, room - len(tail))
        tail_room = room - min(len(head), head_room)
        head = _keep_end(head, head_room)
        tail = _keep_start(tail, tail_room)
    return "\n\n".join(part for part in (head, hit.text, tail) if part), whole


# "4. Bewährte Formate", "3.2 Ziele", "IV. Umsetzung": the numbering would read as a list item.
_NUMBERING = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]?|[IVX]{1,4}\.)\s+")


def _heading(section: str) -> str:
    """The innermost heading of a section path, without its numbering."""
    leaf = section.split(" > ")[-1]
    return _NUMBERING.sub("", leaf) or leaf


# Marks text a window's length cap left out, on a line of its own (the German quoting
# convention); within a cut-off word run the mark is "…".
OMISSION = "[…]"


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of ``text``."""
    spans, position = [], 0
    for sentence in split_sentences(text):
        start = text.find(sentence, position)
        if start < 0:  # not found verbatim: no sentence cuts for this text
            return []
        position = start + len(sentence)
        spans.append((start, position))
    return spans


def _keep_start(text: str, limit: int) -> str:
    """The start of ``text`` within ``limit``: whole sentences where one fits, else words."""
    if len(text) <= limit:
        return text
    ends = [end for _, end in _sentence_spans(text) if end + len(OMISSION) + 2 <= limit]
    if ends:
        return f"{text[: ends[-1]]}\n\n{OMISSION}"
    cut = text[:limit].rsplit(" ", 1)[0]
    return f"{cut} …" if cut and limit > 0 else ""


def _keep_end(text: str, limit: int) -> str:
    """The end of ``text`` within ``limit``: whole sentences where one fits, else words."""
    if len(text) <= limit:
        return text
    starts = [start for start, _ in _sentence_spans(text) if len(text) - start + len(OMISSION) + 2 <= limit]
    if starts:
        return f"{OMISSION}\n\n{text[starts[0] :]}"
    cut = text[len(text) - limit :].split(" ", 1)[-1]
    return f"… {cut}" if cut and limit > 0 else ""


def _page_span(hit: Chunk, members: Sequence[Chunk], text: str) -> dict[str, int | None]:
    """First and last page of the members whose text the window shows, so a citation of a
    sentence from a neighbour on the next page still points the reader to the right pages."""
    shown = [
        m.page for m in members if m.page is not None and (m.chunk_id == hit.chunk_id or _shows(text, m.text))
    ]
    if not shown:
        return {}
    first, last = min(shown), max(shown)
    return {"page": first, "page_end": last if last > first else None}


def _shown_links(hit: Chunk, members: Sequence[Chunk], text: str) -> list[str]:
    """The links of the hit and of the neighbours whose text the window shows: a window
    presents its neighbours' links as much as their text."""
    shown = [m for m in members if m.chunk_id == hit.chunk_id or _shows(text, m.text)]
    return list(dict.fromkeys([*hit.links, *(url for m in shown for url in m.links)]))


def _shows(window: str, text: str, probe: int = 60) -> bool:
    """Whether some of ``text`` survived into ``window`` (its start or its end)."""
    text = text.strip()
    return text[:probe] in window or text[-probe:] in window


def widen(
    source: NeighbourSource,
    hits: Sequence[Passage],
    k: int,
    *,
    before: int = 1,
    after: int = 1,
    max_chars: int | None = None,
) -> list[Passage]:
    """The best ``k`` hits as non-overlapping windows (see module docstring)."""
    taken: set[str] = set()
    windows: list[Passage] = []
    for hit in hits:
        if len(windows) == k:
            break
        if hit.chunk.chunk_id in taken:
            continue
        around = source.neighbours(hit.chunk, before=before, after=after) or [hit.chunk]
        members = [c for c in around if c.chunk_id not in taken or c.chunk_id == hit.chunk.chunk_id]
        text, whole = _window(hit.chunk, members, max_chars)
        if whole:
            taken.update(c.chunk_id for c in members)
        else:  # a neighbour cut short may still come as a hit of its own later
            taken.add(hit.chunk.chunk_id)
        windows.append(
            Passage(
                chunk=hit.chunk.model_copy(
                    update={
                        "text": text,
                        "links": _shown_links(hit.chunk, members, text),
                        **_page_span(hit.chunk, members, text),
                    }
                ),
                score=hit.score,
                scores=hit.scores,
            )
        )
    return windows


class WindowRetriever(WrappingRetriever):
    """Wraps a retriever: fetches extra hits (some fall inside better windows), returns ``k`` windows."""

    def __init__(
        self,
        inner: Retriever,
        source: NeighbourSource,
        *,
        before: int = 1,
        after: int = 1,
        max_chars: int | None = None,
        overfetch: int = 3,
    ) -> None:
        super().__init__(inner)
        self.source = source
        self.before = before
        self.after = after
        self.max_chars = max_chars
        self.overfetch = overfetch

    def fetch(self, k: int) -> int:
        return k * self.overfetch

    def reshape(self, query: str, found: list[Passage], k: int) -> list[Passage]:
        return widen(self.source, found, k, before=self.before, after=self.after, max_chars=self.max_chars)
