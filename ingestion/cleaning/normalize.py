"""Character-level normalisation: Unicode NFC, invisible characters, whitespace, hyphenation.

Loaders use :func:`join_wrapped_lines` to turn the visual lines of a PDF or a hard-wrapped
text file into running text; :func:`normalize_text` runs on every block during cleaning.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["dehyphenate", "join_wrapped_lines", "normalize_text"]

SOFT_HYPHEN = "\u00ad"

# Zero-width and formatting characters that carry no meaning in extracted text.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# Typographic ligatures that PDF text extraction emits as single code points.
_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})

# After a trailing hyphen these words mean the hyphen is a German ellipsis of a compound
# ("Bürger- und Unternehmensservice"), never a syllable break.
_CONJUNCTIONS = frozenset(
    {"und", "oder", "bzw", "sowie", "als", "noch", "wie", "beziehungsweise", "bis", "an", "zu"}
)

_HYPHENS = "-\u2010\u00ad"
_HYPHEN_BREAK = re.compile(r"(?<=\w)(?P<hyphen>[-\u2010\u00ad])[ \t]*\n[ \t]*(?P<word>\w*)")
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\u2028": "\n", "\u2029": "\n", "\x85": "\n"})
# Any Unicode whitespace except the line break (NBSP, narrow NBSP, thin space, tab…).
_SPACES = re.compile(r"[^\S\n]+")
_MANY_NEWLINES = re.compile(r"\n{2,}")


def _is_cc(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in "\n\t"


def join_wrapped_lines(lines: list[str]) -> str:
    """Join the visual lines of one paragraph into running text, undoing hyphenation.

    "Digitali-" + "sierung" gives "Digitalisierung"; "Smart-" + "City-Projekte" keeps the
    hyphen ("Smart-City-Projekte"); "Bürger-" + "und …" keeps hyphen and space.
    """
    text = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not text:
            text = line
            continue
        text = _join_pair(text, line)
    return text


def _join_pair(left: str, right: str) -> str:
    """Join two visual lines; a trailing hyphen on ``left`` is resolved by :func:`_junction`."""
    if len(left) >= 2 and left[-1] in _HYPHENS and (left[-2].isalnum() or left[-1] == SOFT_HYPHEN):
        word_match = re.match(r"\w*", right)
        word = word_match.group(0) if word_match else ""
        return left[:-1] + _junction(left[-1], word) + right[len(word) :]
    return left + " " + right


def _junction(hyphen: str, word: str) -> str:
    """What replaces "<hyphen><line break><word>"."""
    if hyphen == SOFT_HYPHEN:
        return word
    if word.lower() in _CONJUNCTIONS:
        return hyphen + " " + word  # "Bürger- und"
    if word[:1].islower() and word.isalpha():
        return word  # syllable break: "Digitali-" + "sierung"
    return hyphen + word  # real hyphen: "E-Government", "Smart-City-Projekte", "2020-2025"


def dehyphenate(text: str) -> str:
    """Undo line-break hyphenation left inside a block's text (see :func:`join_wrapped_lines`)."""
    if "\n" not in text:
        return text
    return _HYPHEN_BREAK.sub(lambda m: _junction(m.group("hyphen"), m.group("word")), text)


def normalize_text(text: str) -> str:
    """NFC, control and invisible characters removed, whitespace normalised, hyphenation undone.

    Single line breaks are kept (they separate e.g. a list label from its description);
    runs of blank lines collapse to one line break.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = dehyphenate(text)
    text = text.translate(_INVISIBLE).translate(_LIGATURES)
    # Vertical tab / form feed / Unicode separators are line breaks in Word and PDF output.
    text = text.translate(_LINE_BREAKS)
    text = "".join(char for char in text if not _is_cc(char))
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    text = _MANY_NEWLINES.sub("\n", text)
    return text.strip()
