"""Metadata a document declares about itself: YAML front matter and sidecar files.

Precedence, lowest first: document properties (PDF/DOCX/ODT title, HTML ``<title>``) <
YAML front matter < sidecar file. A sidecar is maintained by the people who curate the
corpus, so it overrides whatever the file itself claims.

For ``foo.pdf`` the sidecar is ``foo.pdf.meta.yaml`` (preferred) or ``foo.meta.yaml``;
``.yml`` works too. Sidecars are never documents themselves: see :func:`is_sidecar`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import DocumentError

logger = logging.getLogger(__name__)

__all__ = [
    "SIDECAR_SUFFIXES",
    "find_sidecar",
    "is_sidecar",
    "load_sidecar",
    "merge_metadata",
    "parse_yaml_mapping",
    "split_front_matter",
]

SIDECAR_SUFFIXES: tuple[str, ...] = (".meta.yaml", ".meta.yml")

# Front matter: a first line of exactly "---", YAML, then a line of "---" or "...".
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\r?\n(?P<yaml>.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M
)
_LOOKS_LIKE_MAPPING = re.compile(r"\s*(?:#[^\n]*\n\s*)*[^\s:#][^\n]*?:(?:\s|$)")


def is_sidecar(path: Path) -> bool:
    """Whether ``path`` is a metadata sidecar (``*.meta.yaml``) rather than a document."""
    name = path.name.lower()
    return any(name.endswith(suffix) for suffix in SIDECAR_SUFFIXES)


def find_sidecar(path: Path) -> Path | None:
    """The sidecar file that belongs to the document ``path``, if one exists."""
    candidates = [path.with_name(path.name + suffix) for suffix in SIDECAR_SUFFIXES]
    candidates += [path.with_name(path.stem + suffix) for suffix in SIDECAR_SUFFIXES]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    return None


def parse_yaml_mapping(text: str, *, source: str, what: str) -> dict[str, Any]:
    """Parse YAML that must be a mapping; raise a German :class:`DocumentError` otherwise.

    ``what`` names the YAML's origin in the message, e.g. "Front Matter" or "Metadaten-Datei".
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (Zeile {mark.line + 1}, Spalte {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise DocumentError(
            f"Die {what} enthält ungültiges YAML{where}: {problem}. "
            "Bitte die Syntax prüfen (z. B. Doppelpunkte in Werten in Anführungszeichen setzen).",
            source=source,
        ) from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DocumentError(
            f"Die {what} muss Schlüssel-Wert-Paare enthalten (z. B. 'title: …'), "
            f"gefunden wurde aber ein Wert vom Typ {type(data).__name__}.",
            source=source,
        )
    return _plain(data)


def split_front_matter(text: str, *, source: str) -> tuple[dict[str, Any], str]:
    """Split optional YAML front matter (between ``---`` lines) from the start of ``text``.

    Returns ``(metadata, body)``; without front matter the metadata is empty and the body is
    ``text`` unchanged.
    """
    stripped = text.lstrip("\ufeff")
    match = _FRONT_MATTER.match(stripped)
    # A leading "---" that is not followed by "key:" lines is a Markdown thematic break.
    if match is None or (match.group("yaml").strip() and not _LOOKS_LIKE_MAPPING.match(match.group("yaml"))):
        return {}, text
    metadata = parse_yaml_mapping(match.group("yaml"), source=source, what="Front Matter am Dateianfang")
    return metadata, stripped[match.end() :]


def load_sidecar(sidecar: Path) -> dict[str, Any]:
    """Read a sidecar file; errors name the sidecar itself so it can be fixed."""
    try:
        text = sidecar.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(
            f"Die Metadaten-Datei kann nicht gelesen werden ({exc.__class__.__name__}). "
            "Sie muss UTF-8-kodiertes YAML enthalten.",
            source=str(sidecar),
        ) from exc
    return parse_yaml_mapping(text, source=str(sidecar), what="Metadaten-Datei")


def merge_metadata(*layers: dict[str, Any]) -> dict[str, Any]:
    """Merge metadata dicts; later layers win. Empty values (None, "") never override."""
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            merged[key] = value
    return merged


def _plain(value: Any) -> Any:
    """YAML dates become ISO strings and keys strings, so metadata stays JSON-serialisable."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value
