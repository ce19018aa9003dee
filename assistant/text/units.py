"""Answer units: the pieces of a passage an answer can quote.

A unit is a sentence, a lead-in ending in ":" together with its list items, a table row read
with its header as „Spalte: Wert“ pairs („Maßnahme: Freies WLAN · Priorität: B“), or a run of
label–value lines („Wann? 27. Mai 2021“ / „Wo? online“ → one unit). The same function
cuts units at ingest (their vectors are cached by text hash) and at answer time, so the two
meet on the same strings.
"""

from __future__ import annotations

import re

from assistant.text.sentences import split_sentences
from assistant.text.tables import TABLE_CELL_SEPARATOR, readable_rows

__all__ = ["MIN_UNIT_CHARS", "answer_units", "is_label_value", "leans_on_previous", "scored_units"]

_BULLET = re.compile(r"^\s*(?:[-•*–]|\d{1,2}[.)])\s+")
# "Wann? 27. Mai 2021", "Kosten: 14.500 Euro", "Ansprechpartnerin: Frau Adler": a label of one to
# three words ending in "?" or ":", then a short value on the same line.
_LABEL_VALUE = re.compile(
    r"^(?P<label>[A-ZÄÖÜ][\wÄÖÜäöüß./-]*(?: [\wÄÖÜäöüß./-]+){0,2}[?:]) (?P<value>\S.*)$"
)
MAX_VALUE_WORDS = 8
MIN_UNIT_CHARS = 25
"""Shorter units are never quoted (headings, labels): the reader neither scores nor embeds them."""
# „Sie wird dem Lenkungskreis … vorgelegt.“, „Dafür stehen 40.000 Euro bereit.“: a sentence that
# opens with a pronoun or a pronominal adverb points back to the one before it.
_LEANS_BACK = re.compile(
    r"^(?:Sie|Er|Dies|Diese[rsmn]?|Dabei|Dafür|Dazu|Davon|Darin|Darauf|Daraus|Darüber|Dort|"
    r"Deshalb|Deswegen|Daher|Darum|Trotzdem|Dennoch)\b"
)
OMISSION = "[…]"  # a reader window's mark for left-out text (assistant/retrieval/windows.py)


def is_label_value(line: str) -> bool:
    """Whether ``line`` is a label with a short value („Wo? online“), possibly several joined by '; '."""
    parts = line.split("; ")
    return all(_label_value(part) for part in parts)


def leans_on_previous(unit: str) -> bool:
    """Whether ``unit`` only makes sense with the sentence before it („Sie wird … vorgelegt.“)."""
    return bool(_LEANS_BACK.match(unit.strip()))


def _label_value(line: str) -> bool:
    match = _LABEL_VALUE.match(line.strip())
    if not match:
        return False
    value = match.group("value")
    return len(value.split()) <= MAX_VALUE_WORDS and not value.endswith((":", "?"))


def _pieces(text: str) -> list[tuple[str, bool]]:
    """(piece, is a label-value line) in order: label-value lines alone, other runs of lines
    split into sentences (which may continue over soft line wraps)."""
    pieces: list[tuple[str, bool]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            pieces.extend((sentence, False) for sentence in split_sentences("\n".join(run)))
            run.clear()

    table: list[str] = []

    def flush_table() -> None:
        if len(table) >= 2:
            flush()
            pieces.extend((row, False) for row in readable_rows(table))
        else:
            run.extend(table)
        table.clear()

    for line in text.split("\n"):
        stripped = line.strip()
        is_rule = bool(table) and len(stripped) > 2 and set(stripped) <= set("|-: ")  # |---|---|
        if (TABLE_CELL_SEPARATOR in stripped and not _BULLET.match(stripped)) or is_rule:
            table.append(stripped)
            continue
        flush_table()
        if not stripped or stripped == OMISSION:
            flush()
            pieces.append(("", False))  # a paragraph break ends a run of label-value lines
        elif _label_value(stripped):
            flush()
            pieces.append((stripped, True))
        else:
            run.append(line)
    flush_table()
    flush()
    return pieces


def answer_units(text: str, *, max_list_chars: int = 600) -> list[str]:
    """Units of a passage in document order, bullets stripped (see module docstring)."""
    units: list[str] = []
    collecting = False  # the last unit is a lead-in (or lead-in + items) that takes list items
    labels = False  # the last unit is a run of label-value lines
    for sentence, is_label in _pieces(text):
        if not sentence:
            continue  # label-value lines run on over blank lines („Wann? …“, „Wo? …“ as paragraphs)
        is_item = bool(_BULLET.match(sentence))
        clean = _BULLET.sub("", sentence).strip()
        if not clean:
            continue
        if collecting and is_item and len(units[-1]) + len(clean) < max_list_chars:
            units[-1] = f"{units[-1]}{' ' if units[-1][-1] in ':.;!?' else '; '}{clean}"
            continue
        if labels and is_label and len(units[-1]) + len(clean) < max_list_chars:
            units[-1] = f"{units[-1]}; {clean}"
            continue
        units.append(clean)
        collecting = clean.endswith(":")
        labels = is_label
    return units


def scored_units(text: str) -> list[str]:
    """The units of ``text`` the reader scores (and so the ones that get a vector at ingest):
    long enough to say something, or a label with its value („Kosten: 14.500 Euro“)."""
    return [unit for unit in answer_units(text) if len(unit) >= MIN_UNIT_CHARS or is_label_value(unit)]
