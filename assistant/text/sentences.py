"""German sentence splitting for chunking and extractive answers.

The boundaries come from ``sentencex`` (Wikimedia, MIT, Rust core): it handles quotes („…“),
"?"/"!", ellipses and dates like 27.05.2021, and splits thousands of sentences in a few
milliseconds. We evaluated pysbd (German rules, but ~1 ms per sentence, far too slow at query
time, and it splits after "inkl.", "Abs.", "sog.", "Jh."), syntok (splits ordinals "am 27. Mai",
misses boundaries after closing quotes) and SoMaJo (re-tokenises and loses the original
spacing, ~0.4 ms per sentence). sentencex came closest; what it gets wrong for German
administrative prose is repaired here:

* it stops splitting inside lines that start with a list bullet, so lines are fed to it one
  structural line at a time with the bullet blanked out;
* merge rules undo a split after an abbreviation it does not know (``bspw.``, ``inkl.``,
  ``Jh.``, ``z. B.`` …) and after ordinal numbers (``am 27. Mai``, ``den 3. Platz``, an
  enumeration marker ``1.`` at the start of a line);
* one split rule adds the boundary it never makes after ``Art.`` when that is the noun
  ("Projekte dieser Art. Danach …") rather than "Artikel" before a number.
"""

from __future__ import annotations

import re

import sentencex

__all__ = ["split_sentences"]

_LANGUAGE = "de"

# Abbreviations after which a sentence does not end, lower-cased, without the final dot.
# Multi-part forms ("z. B.", "i. d. R.") end in a single letter and are caught by the
# single-letter rule; their unspaced spellings ("z.B.", "i.d.R.") are one token and listed.
_ABBREVIATION_LIST = """
    z.b z.t z.zt u.a u.ä o.ä o.g d.h s.o s.u v.a i.d.r i.s.d i.s.v i.v.m u.u i.a i.v u.v.m m.e
    bzw bspw bsp nr ca vgl ggf ggfs inkl exkl evtl abs art dr prof dipl usw etc sog insb insbes
    mio mrd tsd jh jhd st str kap abb tab anm bd aufl jg hrsg bzgl zzgl ggü gem lt lfd max min
    mind rd ehem geb co fr hr tel ziff std verf zit zus allg entspr einschl zt ff ebd techn wiss
    dt europ int jur mwst ust vs sep sept okt nov dez jan feb aug
"""
_ABBREVIATIONS: frozenset[str] = frozenset(_ABBREVIATION_LIST.split())

_MONTH = re.compile(
    r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
    r"Dezember|Jan\.|Feb\.|Mär\.|Apr\.|Jun\.|Jul\.|Aug\.|Sep\.|Sept\.|Okt\.|Nov\.|Dez\.)(?!\w)"
)

# Words that put a following number in the ordinal reading: "am 27.", "den 3.", "im 19."
_ORDINAL_LEAD_LIST = """
    am im vom zum zur beim den der die das dem des ein eine einen einem einer eines jeder jede
    jedes jeden jedem ab bis seit vor ihr ihre ihrem ihren ihrer ihres sein seine seinem seinen
    seiner seines unser unsere unserem unseren unserer unseres dieser diese dieses diesem diesen
"""
_ORDINAL_LEADS: frozenset[str] = frozenset(_ORDINAL_LEAD_LIST.split())

# An enumeration marker that sentencex cut off as a sentence of its own ("1." + "NUR …").
_ENUMERATION_MARKER = re.compile(r"\(?\d{1,3}[.)]")

# "Art." as a noun at a sentence end: followed by a capitalised word that is not a roman
# numeral (a number after it means "Artikel" and sentencex already keeps it).
_ART_NOUN_BOUNDARY = re.compile(r"(?<=\sArt\.)\s+(?=[A-ZÄÖÜ„\"(](?![IVXLC]+\b))")

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# List markers at the start of a line. sentencex does not split inside a line starting with
# "•" (nor, after a line starting with "- ", inside any following line), so markers are
# blanked out before it sees the text.
_LIST_MARKER = re.compile(r"[ \t]*(?:[-–—•▪◦●*·]|\(?\d{1,3}[.)]|[a-z]\))[ \t]+")
# A line break inside a sentence: after a hyphenated or comma-ended line (or before a
# lower-case continuation, checked separately). Every other single line break in cleaned
# text is structural (list item, table row, heading line, lead-in) and ends the sentence.
_SOFT_WRAP_BEFORE = re.compile(r"[-,(/][ \t]*$")

_OPENERS = "([„“\"'‚‘»«"


def split_sentences(text: str) -> list[str]:
    """Split German text into sentences, each stripped of surrounding whitespace, in order.

    Blank lines and structural line breaks (a new list item or table row, a line without
    final punctuation followed by a capitalised one) always end a sentence. Every
    non-whitespace character of ``text`` ends up in exactly one sentence.
    """
    sentences: list[str] = []
    for paragraph in _PARAGRAPH_BREAK.split(text):
        for segment in _segments(paragraph):
            sentences.extend(_split_segment(segment))
    return sentences


def _segments(paragraph: str) -> list[str]:
    """Group the lines of a paragraph into runs that may contain sentence boundaries."""
    segments: list[str] = []
    for line in paragraph.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        continues = (
            segments
            and not _LIST_MARKER.match(line)
            and (stripped[0].islower() or _SOFT_WRAP_BEFORE.search(segments[-1]) is not None)
        )
        if continues:
            segments[-1] = segments[-1] + "\n" + line
        else:
            segments.append(line)
    return segments


def _split_segment(segment: str) -> list[str]:
    marker = _LIST_MARKER.match(segment)
    # Blank the marker (same length, so offsets stay valid); the output keeps it.
    probe = " " * marker.end() + segment[marker.end() :] if marker else segment
    # Spans rather than strings, so a merged sentence keeps its original spacing.
    spans: list[tuple[int, int]] = []
    for start, end in _library_spans(probe):
        raw = segment[start:end]
        stripped = raw.strip()
        if not stripped:
            continue
        start += len(raw) - len(raw.lstrip())
        end = start + len(stripped)
        if spans and _must_not_split(segment[spans[-1][0] : spans[-1][1]], stripped):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    sentences: list[str] = []
    for start, end in spans:
        sentence = segment[start:end]
        if " Art." in sentence:
            sentences.extend(part for part in _ART_NOUN_BOUNDARY.split(sentence) if part)
        else:
            sentences.append(sentence)
    return sentences


def _library_spans(text: str) -> list[tuple[int, int]]:
    """sentencex's sentence spans as (start, end) offsets into ``text``."""
    pieces = sentencex.segment(_LANGUAGE, text)
    # ``segment`` is ~4x faster than ``get_sentence_boundaries`` and its pieces add up to a
    # single line exactly; fall back to the offsets API if that ever stops being true.
    if "".join(pieces) != text:
        return [
            (b["start_index"], b["end_index"]) for b in sentencex.get_sentence_boundaries(_LANGUAGE, text)
        ]
    spans: list[tuple[int, int]] = []
    offset = 0
    for piece in pieces:
        spans.append((offset, offset + len(piece)))
        offset += len(piece)
    return spans


def _must_not_split(left: str, right: str) -> bool:
    """True when the boundary sentencex put between ``left`` and ``right`` is not a sentence end."""
    if right[0].islower():
        return True
    if not left.endswith((".", ")")):
        return False
    if len(left) <= 6 and _ENUMERATION_MARKER.fullmatch(left):
        return True
    tokens = left[-60:].split()
    last = tokens[-1].lstrip(_OPENERS)
    word = last[:-1]
    if len(word) == 1 and word.isalpha():
        # A single letter: initials ("A. Müller"), "S." (Seite), the tail of "z. B.".
        return True
    if word.lower() in _ABBREVIATIONS:
        return True
    if word.isdigit() and len(word) <= 3:
        lead = tokens[-2].lstrip(_OPENERS).lower() if len(tokens) > 1 else ""
        return lead in _ORDINAL_LEADS or _MONTH.match(right) is not None
    return False
