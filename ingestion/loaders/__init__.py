"""Document loaders: one module per format, one entry point, :func:`load_document`.

Every unreadable file raises a :class:`~assistant.errors.DocumentError` subclass with a
German message and ``source`` set to the file path, so the pipeline can report the file
and go on with the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from assistant.errors import DocumentError, EmptyDocumentError, FileTooLargeError, UnsupportedFormatError
from ingestion.document import LoadedDocument
from ingestion.loaders.archive_guard import check_zip_archive
from ingestion.loaders.docx import load_docx
from ingestion.loaders.html import load_html
from ingestion.loaders.markdown import load_markdown
from ingestion.loaders.metadata import find_sidecar, is_sidecar, load_sidecar, merge_metadata
from ingestion.loaders.ocr import OcrOptions
from ingestion.loaders.odt import load_odt
from ingestion.loaders.pdf import load_pdf
from ingestion.loaders.text import load_text

logger = logging.getLogger(__name__)

__all__ = ["SUPPORTED_EXTENSIONS", "Loader", "is_sidecar", "load_document"]

Loader = Callable[[Path], LoadedDocument]

_LOADERS: dict[str, Loader] = {
    ".pdf": load_pdf,
    ".docx": load_docx,
    ".odt": load_odt,
    ".html": load_html,
    ".htm": load_html,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".txt": load_text,
}
SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(_LOADERS)
_ZIP_FORMATS = frozenset({".docx", ".odt"})


def check_file(path: Path, *, max_bytes: int) -> str:
    """Cheap checks before a file is read: exists, not too large, not empty, supported.

    Returns the lower-cased extension. Raises the DocumentError subclass that says why not.
    """
    source = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError("Die Datei wurde nicht gefunden oder ist nicht lesbar.", source=source) from exc
    if not path.is_file():
        raise DocumentError("Der Pfad ist keine Datei.", source=source)
    if size > max_bytes:
        raise FileTooLargeError(
            f"Die Datei ist mit {_mb(size)} zu groß; erlaubt sind höchstens {_mb(max_bytes)}.",
            source=source,
        )
    if size == 0:
        raise EmptyDocumentError("Die Datei ist leer.", source=source)
    if is_sidecar(path):
        raise UnsupportedFormatError(
            "Dies ist eine Metadaten-Datei (*.meta.yaml) und kein Dokument; "
            "sie wird zusammen mit dem zugehörigen Dokument gelesen.",
            source=source,
        )
    extension = path.suffix.lower()
    if extension not in _LOADERS:
        supported = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        raise UnsupportedFormatError(
            f"Das Dateiformat „{extension or '(ohne Endung)'}“ wird nicht unterstützt. "
            f"Unterstützt werden: {supported}.",
            source=source,
        )
    return extension


def load_document(
    path: Path, *, max_bytes: int, max_unpacked_bytes: int, ocr: OcrOptions | None = None
) -> LoadedDocument:
    """Load one file into a :class:`LoadedDocument`, with front matter and sidecar metadata.

    :param max_bytes: larger files are refused before they are read.
    :param max_unpacked_bytes: DOCX/ODT archives declaring more content are refused.
    :param ocr: whether and how a PDF without text is read by text recognition (None: not).
    :raises DocumentError: a subclass saying why the file cannot be ingested.
    """
    path = Path(path)
    source = str(path)
    extension = check_file(path, max_bytes=max_bytes)
    loader = _LOADERS[extension]
    if extension in _ZIP_FORMATS:
        check_zip_archive(path, max_unpacked_bytes=max_unpacked_bytes)

    document = load_pdf(path, ocr=ocr) if extension == ".pdf" else loader(path)
    if not any(block.text.strip() for block in document.blocks):
        raise EmptyDocumentError("Das Dokument enthält keinen auslesbaren Text.", source=source)

    # Precedence: document properties (already in document.title) < front matter < sidecar.
    sidecar = find_sidecar(path)
    if sidecar is not None:
        document.metadata = merge_metadata(document.metadata, load_sidecar(sidecar))
    if document.metadata.get("title"):
        document.title = str(document.metadata["title"]).strip()
    logger.debug(
        "loaded document path=%s format=%s blocks=%d sidecar=%s",
        source,
        extension,
        len(document.blocks),
        sidecar,
    )
    return document


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
