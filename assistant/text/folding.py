"""German spelling folded for matching and for identifiers: ä → ae, ö → oe, ü → ue, ß → ss.

The one home for this rule: tagging, the request parser, chunking (link labels, a heading that
repeats the title), Handlungsfeld names and document ids all fold the same way, so "Müll" and
"Muell" meet and "Müll" and "Möll" stay apart.
"""

from __future__ import annotations

import unicodedata

_UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ẞ": "SS"}
)


def fold_umlauts(text: str) -> str:
    """``text`` with German umlauts and ß spelled out (case kept)."""
    return text.translate(_UMLAUTS)


def fold(text: str) -> str:
    """Lower case with umlauts and ß spelled out: the key for matching names and terms."""
    return fold_umlauts(text.lower())


def fold_phrase(text: str) -> str:
    """:func:`fold` on the NFC form, whitespace collapsed: the key for finding one phrase (a link
    label, a heading) in another text however it is spelled, cased or wrapped."""
    return " ".join(fold(unicodedata.normalize("NFC", text)).split())


def ascii_fold(text: str) -> str:
    """:func:`fold_umlauts`, then other accents dropped (é → e); characters without an ASCII
    base letter stay as they are."""
    decomposed = unicodedata.normalize("NFKD", fold_umlauts(text))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
