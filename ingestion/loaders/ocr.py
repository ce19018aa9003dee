"""Text recognition for scanned PDFs: ocrmypdf (with tesseract's German model) as an optional step.

A PDF without any text layer is handed to ocrmypdf (``-l deu --skip-text``) in a child process
with a timeout and a page limit; the PDF it writes, with an invisible text layer, is then read by
the ordinary PDF loader. The tools are optional: the ``ocr`` extra (the ``ocrmypdf`` Python
package) or the Debian package ``ocrmypdf``, and ``tesseract-ocr-deu`` for the language. Without
them a scan is refused with a German message that names what to install.

ocrmypdf runs as a child process, not through its Python API: its API wants the main thread
(the API server ingests uploads in worker threads), and a child process can be killed, with the
tesseract processes it started, when it runs past the timeout.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from assistant.errors import DocumentError, EmptyDocumentError
from ingestion.document import LoadedDocument

if TYPE_CHECKING:
    from assistant.config import Settings

logger = logging.getLogger(__name__)

__all__ = ["OCR_NOTE", "OcrOptions", "load_scanned", "no_text_error", "ocr_command", "run_ocr"]

OcrMode = Literal["auto", "on", "off"]

OCR_NOTE = "per Texterkennung gelesen"
"""How a report and a source list mark a document whose text comes from text recognition."""

INSTALL_HINT = (
    "Für Texterkennung das Extra „ocr“ installieren (pip install 'kommunal-assistant[ocr]') "
    "und die Debian-Pakete ocrmypdf und tesseract-ocr-deu (apt-get install ocrmypdf tesseract-ocr-deu)."
)
_NO_TEXT = "Die PDF-Datei enthält keinen auslesbaren Text (vermutlich ein Scan ohne Texterkennung)."
_LANGUAGE = "deu"
# Exit codes documented by ocrmypdf (ocrmypdf.ExitCode).
_MISSING_DEPENDENCY = 3
_ENCRYPTED = 8


@dataclass(frozen=True)
class OcrOptions:
    """How scans are read: ``mode`` auto (when the tools exist), on or off; time and page limits."""

    mode: OcrMode = "auto"
    timeout_s: float = 300.0
    max_pages: int = 50

    @classmethod
    def from_settings(cls, settings: Settings) -> OcrOptions:
        """The options the ``ASSISTANT_OCR_*`` settings ask for."""
        return cls(
            mode=settings.ocr_enabled, timeout_s=settings.ocr_timeout_s, max_pages=settings.ocr_max_pages
        )

    def wanted(self) -> bool:
        """Whether a scan should be recognised (the tools may still be missing)."""
        return self.mode != "off"


@lru_cache(maxsize=1)
def ocr_command() -> tuple[str, ...] | None:
    """The command that runs ocrmypdf, or None when ocrmypdf, tesseract or its German model is missing.

    The ``ocrmypdf`` package of this interpreter (the ``ocr`` extra) comes first, then an
    ``ocrmypdf`` program on PATH (the Debian package). Looked up once per process.
    """
    if not _tesseract_reads(_LANGUAGE):
        return None
    if importlib.util.find_spec("ocrmypdf") is not None:
        return (sys.executable, "-m", "ocrmypdf")
    program = shutil.which("ocrmypdf")
    return (program,) if program else None


def _tesseract_reads(language: str) -> bool:
    """Whether tesseract is installed with the model for ``language`` (tesseract-ocr-deu)."""
    program = shutil.which("tesseract")
    if program is None:
        return False
    try:
        listing = subprocess.run(
            [program, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    # The first line is a header ("List of available languages in …"), the rest one code a line.
    return language in (listing.stdout + listing.stderr).split()


def no_text_error(source: str, options: OcrOptions | None) -> EmptyDocumentError:
    """The error for a PDF without text that is not recognised: says why and what to do."""
    if options is not None and not options.wanted():
        reason = "Die Texterkennung ist ausgeschaltet (ASSISTANT_OCR_ENABLED=off)."
        return EmptyDocumentError(f"{_NO_TEXT} {reason} {INSTALL_HINT}", source=source)
    return EmptyDocumentError(f"{_NO_TEXT} {INSTALL_HINT}", source=source)


def load_scanned(
    path: Path, *, pages: int, options: OcrOptions | None, load: Callable[[Path], LoadedDocument]
) -> LoadedDocument:
    """A PDF without text, read through text recognition and then by ``load`` (the PDF loader).

    The document keeps ``path`` as its own, is flagged ``ocr`` and carries the warning
    :data:`OCR_NOTE` with pages and seconds (the ingest report shows it).

    :raises EmptyDocumentError: recognition is off or its tools are missing, or it found no text.
    :raises DocumentError: see :func:`run_ocr`.
    """
    source = str(path)
    if options is None or not options.wanted() or ocr_command() is None:
        raise no_text_error(source, options)
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
        target = Path(folder) / "ocr.pdf"
        seconds = run_ocr(path, target, pages=pages, options=options)
        try:
            document = load(target)
        except EmptyDocumentError:
            raise EmptyDocumentError(
                f"{_NO_TEXT} Auch die Texterkennung hat keinen Text gefunden.", source=source
            ) from None
        except DocumentError as exc:
            raise type(exc)(exc.message, source=source) from exc
    document.path = path
    document.ocr = True
    document.warnings = [w.replace(str(target), source) for w in document.warnings]
    page_count = "1 Seite" if pages == 1 else f"{pages} Seiten"
    document.warnings.append(f"{OCR_NOTE} ({page_count}, {seconds:.1f} s)".replace(".", ","))
    return document


def run_ocr(path: Path, target: Path, *, pages: int, options: OcrOptions) -> float:
    """Write ``path`` with a German text layer to ``target``; the seconds it took.

    :raises EmptyDocumentError: the tools are missing (the message names what to install).
    :raises DocumentError: too many pages, timeout, or ocrmypdf failed (German, with its reason).
    """
    source = str(path)
    command = ocr_command()
    if command is None:
        raise no_text_error(source, options)
    if pages > options.max_pages:
        raise DocumentError(
            f"{_NO_TEXT} Der Scan hat {pages} Seiten; die Texterkennung liest höchstens "
            f"{options.max_pages} (ASSISTANT_OCR_MAX_PAGES).",
            source=source,
        )
    args = [
        *command,
        "-l",
        _LANGUAGE,
        "--skip-text",
        "--output-type",
        "pdf",  # no PDF/A conversion: the file is only read, never kept
        "--optimize",
        "0",
        "--jobs",
        "1",
        "--quiet",
        str(path),
        str(target),
    ]
    started = time.perf_counter()
    returncode, stderr = _run(args, timeout_s=options.timeout_s, source=source)
    seconds = time.perf_counter() - started
    if returncode != 0:
        detail = _last_line(stderr)
        if returncode == _MISSING_DEPENDENCY:
            message = f"{_NO_TEXT} Für die Texterkennung fehlt ein Programm ({detail}). {INSTALL_HINT}"
        elif returncode == _ENCRYPTED:
            message = "Die PDF-Datei ist verschlüsselt; die Texterkennung kann sie nicht lesen."
        else:
            message = f"Die Texterkennung ist fehlgeschlagen (ocrmypdf, Code {returncode}): {detail}"
        raise DocumentError(message, source=source)
    logger.info("ocr done path=%s pages=%d seconds=%.2f", source, pages, seconds)
    return seconds


def _run(args: list[str], *, timeout_s: float, source: str) -> tuple[int, str]:
    """Run ocrmypdf in its own process group, killed with its children after ``timeout_s``."""
    process = subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _, stderr = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise DocumentError(
            f"Die Texterkennung wurde nach {timeout_s:g} Sekunden abgebrochen (ASSISTANT_OCR_TIMEOUT_S).",
            source=source,
        ) from None
    return process.returncode, stderr or ""


def _last_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1][:300] if lines else "keine Meldung"
