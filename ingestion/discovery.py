"""Finding input files and naming documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from assistant.handlungsfelder import DOC_TYPES
from ingestion.loaders import is_sidecar

_DOC_TYPE_ALIASES = {"case_studies": "case_study", "casestudy": "case_study", "strategies": "strategy"}


def iter_input_files(root: Path) -> Iterator[tuple[Path, str | None]]:
    """Files below ``root`` (or ``root`` itself), sorted, without hidden files and sidecars.

    Each comes with ``None``, or with the German reason it is skipped: a link that points
    nowhere, a link loop, or a link to a folder (not followed, so a loop cannot recurse).
    """
    if root.is_file():
        yield root, None
        return
    for path in sorted(root.rglob("*")):
        if any(part.startswith(".") for part in path.relative_to(root).parts):
            continue
        if path.is_symlink():
            problem = _link_problem(path)
            if problem:
                yield path, problem
                continue
        if not path.is_file() or is_sidecar(path):
            continue
        if path.name.lower() in {"readme.md", "readme.txt", "readme"} and path.parent == root:
            continue  # a corpus folder's own README describes the corpus; it is not part of it
        yield path, None


def _link_problem(path: Path) -> str | None:
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        return "Übersprungen: die Verknüpfung zeigt auf eine Datei, die es nicht gibt."
    except (RuntimeError, OSError):  # RuntimeError: "Symlink loop" (Python 3.11)
        return "Übersprungen: die Verknüpfung bildet eine Schleife."
    if target.is_dir():
        return "Übersprungen: Verknüpfungen auf Ordner werden nicht verfolgt (Schleifengefahr)."
    return None


def relative_source(root: Path, path: Path) -> str:
    """The file's name as users see it: its path relative to the ingest root."""
    if root.is_file():
        return path.name
    return path.relative_to(root).as_posix()


def doc_type_for(relative: str) -> str:
    """The doc_type from the first folder whose name is a known type, else 'other'."""
    for part in Path(relative).parts[:-1]:
        name = part.lower().replace("-", "_")
        name = _DOC_TYPE_ALIASES.get(name, name)
        if name in DOC_TYPES:
            return name
    return "other"
