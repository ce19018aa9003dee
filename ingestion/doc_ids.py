"""Document ids: readable, stable and never shared by two files.

An id is the file's path relative to its ingest root, folded and slugged (``Müll.txt`` →
``muell``). Two files whose names slug alike (``a b.txt``, ``a-b.txt``) must not overwrite
each other, so the second gets a short hash of its name as a suffix. A file the index already
knows keeps its recorded id, so indexes built with an older slug rule keep their ids.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Protocol

from assistant.errors import DocumentError
from assistant.text.folding import ascii_fold
from assistant.types import DocumentRecord


class DocumentLookup(Protocol):
    """The part of the manifest that id assignment reads."""

    def document(self, doc_id: str) -> DocumentRecord | None: ...


def doc_id_for(relative: str) -> str:
    """The readable id for a relative path: without extension, folded, lower-cased, slugged."""
    stem = relative.rsplit(".", 1)[0] if "." in Path(relative).name else relative
    return re.sub(r"[^a-z0-9/_-]", "-", ascii_fold(stem).lower())


def name_suffix(name: str) -> str:
    """Six hex digits derived from ``name``: the tie-breaker for ids that slug alike."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:6]


def _free_for(owner: DocumentRecord | None, path: Path) -> bool:
    """An id is free for ``path`` when nobody holds it, ``path`` does, or its holder's file is
    gone (the file was moved: the id follows it)."""
    return owner is None or Path(owner.path) == path or not Path(owner.path).exists()


def unique_doc_id(manifest: DocumentLookup, base: str, *, path: Path, name: str) -> str:
    """``base``, or ``base-<hash of name>`` when another existing file holds ``base``."""
    for candidate in (base, f"{base}-{name_suffix(name)}"):
        if _free_for(manifest.document(candidate), path):
            return candidate
    holder = manifest.document(base)
    raise DocumentError(
        f"Die Dokument-ID „{base}“ ist schon an „{holder.source if holder else '?'}“ vergeben, "
        "und auch die Ausweich-ID ist belegt. Bitte die Datei umbenennen.",
        source=name,
    )


def checked_explicit_id(manifest: DocumentLookup, doc_id: str, *, path: Path, name: str) -> str:
    """An id given in the metadata (field ``id``); refused when another existing file holds it."""
    holder = manifest.document(doc_id)
    if not _free_for(holder, path):
        raise DocumentError(
            f"Metadatenfeld 'id': „{doc_id}“ gehört bereits zu „{holder.source}“ "  # type: ignore[union-attr]
            "und wird nicht überschrieben. Bitte eine andere ID angeben.",
            source=name,
        )
    return doc_id
