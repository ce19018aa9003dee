"""A document's display title when neither its metadata nor its first line gives one.

The title is what users see in every source list, and it rides in every chunk's embedding
text. A readable file name ("leitfaden-beteiligung.md" -> "leitfaden beteiligung") is the
owner's own label and stays. A machine-made one (an export id, a hash, a scanner counter:
"002_40833ed0cf7b4e64.txt", "Scan_000123.pdf", "dokument(3).docx") tells the reader
nothing, so the document's first heading, or else its first sentence, stands in.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from assistant.text.sentences import split_sentences
from ingestion.document import LoadedDocument

MAX_CHARS = 100
# A hex run with at least one digit (hashes, UUID parts) or a number (counters, ids).
_MACHINE_PART = re.compile(r"^(?=[0-9a-f]*\d)[0-9a-f]{4,}$|^\d+$", re.IGNORECASE)
# Names that scanners, browsers and office suites give by default.
_GENERIC = re.compile(
    r"^(?:scan|dokument|document|datei|file|download|unbenannt|untitled|neu|new|index|image|img)?$",
    re.IGNORECASE,
)


def is_machine_made(stem: str) -> bool:
    """Whether a file name stem carries no words a reader could use."""
    parts = [p for p in re.split(r"[\s_\-.()\[\]]+", stem) if p]
    words = [p for p in parts if not (_MACHINE_PART.match(p) or _GENERIC.match(p))]
    return not words


def title_from_name(source: str) -> str:
    """The file name stem with separators as spaces: the owner's own label."""
    return PurePath(source).stem.replace("_", " ").replace("-", " ")


def fallback_title(doc: LoadedDocument, source: str) -> str:
    """The file name, unless it is machine-made: then the first heading or first sentence."""
    stem = PurePath(source).stem
    if not is_machine_made(stem):
        return title_from_name(source)
    heading = next((b.text for b in doc.blocks if b.kind == "heading" and b.text.strip()), None)
    if heading:
        return _shorten(heading)
    for block in doc.blocks:
        sentences = split_sentences(block.text)
        if sentences:
            return _shorten(sentences[0])
    return title_from_name(source)


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= MAX_CHARS:
        return text
    return text[: MAX_CHARS - 2].rsplit(" ", 1)[0] + " …"
