"""Finding input files and naming documents."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from assistant.handlungsfelder import DOC_TYPES
from ingestion.loaders import is_sidecar

_DOC_TYPE_ALIASES = {"case_studies": "case_study", "casestudy": "case_study", "strategies": "strategy"}


def iter_input_files(root: Path) -> Iterator[Path]:
    """Files below ``root`` (or ``root`` itself), sorted, without hidden files and sidecars."""
    if root.is_file():
        yield root
        return
    for path in sorted(root.rglob("*")):
        if not path.is_file() or is_sidecar(path):
            continue
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if path.name.lower() in {"readme.md", "readme.txt", "readme"} and path.parent == root:
            continue  # a corpus folder's own README describes the corpus; it is not part of it
        yield path


def relative_source(root: Path, path: Path) -> str:
    """The file's name as users see it: its path relative to the ingest root."""
    if root.is_file():
        return path.name
    return path.relative_to(root).as_posix()


def doc_id_for(relative: str) -> str:
    """Stable document id: the relative path without extension, lower-cased and slugged."""
    stem = relative.rsplit(".", 1)[0] if "." in Path(relative).name else relative
    return re.sub(r"[^a-z0-9/_-]", "-", stem.lower())


def doc_type_for(relative: str) -> str:
    """The doc_type from the first folder whose name is a known type, else 'other'."""
    for part in Path(relative).parts[:-1]:
        name = part.lower().replace("-", "_")
        name = _DOC_TYPE_ALIASES.get(name, name)
        if name in DOC_TYPES:
            return name
    return "other"
