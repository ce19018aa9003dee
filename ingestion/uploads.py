"""Uploaded files: name and type checks before anything is stored, and storing them for ingestion.

Uploads live in ``<data_dir>/uploads/<index_name>/`` next to a sidecar (``NAME.meta.yaml``)
that fixes their doc_id (``upload/<name>``), document sets and type — the sidecar wins over
whatever the file's own front matter claims, so a key cannot upload into a set it may not read.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import yaml

from ingestion.doc_ids import doc_id_for
from ingestion.loaders import SUPPORTED_EXTENSIONS, is_sidecar

SNIFF_BYTES = 8192
MAX_NAME_BYTES = 200  # file systems allow 255 bytes; the sidecar adds '.meta.yaml'
_ZIP_MAGIC = b"PK\x03\x04"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_filename(raw: str | None) -> str:
    """The file name without folders or characters that are unsafe on disk; '' if nothing is left."""
    name = re.split(r"[/\\]", raw or "")[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".")
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    # Shorten the stem, never the extension: the extension decides the loader (and the 415).
    suffix = Path(name).suffix
    extension = suffix if len(suffix) <= 16 else ""
    stem = name[: len(name) - len(extension)]
    while stem and len((stem + extension).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip() + extension


def type_problem(name: str, head: bytes) -> str | None:
    """German reason why ``name`` (first bytes ``head``) cannot be ingested, or None when it can."""
    if not name:
        return "Die Datei hat keinen gültigen Namen."
    if is_sidecar(Path(name)):
        return (
            "Metadaten-Dateien (*.meta.yaml) werden nicht hochgeladen; "
            "Mengen und Typ als Formularfelder angeben."
        )
    extension = Path(name).suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        supported = ", ".join(sorted(SUPPORTED_EXTENSIONS))
        shown = extension or "(ohne Endung)"
        return f"Das Dateiformat „{shown}“ wird nicht unterstützt. Unterstützt: {supported}."
    if not head:
        return "Die Datei ist leer."
    if extension == ".pdf" and not head.startswith(b"%PDF-"):
        return "Die Datei endet auf .pdf, ist aber kein PDF."
    if extension in (".docx", ".odt") and not head.startswith(_ZIP_MAGIC):
        return f"Die Datei endet auf {extension}, ist aber kein Office-Dokument (kein ZIP-Container)."
    if extension in (".txt", ".md", ".markdown", ".html", ".htm") and b"\x00" in head:
        return f"Die Datei endet auf {extension}, enthält aber Binärdaten."
    return None


def upload_doc_id(name: str) -> str:
    """The readable id of an upload; :func:`ingestion.doc_ids.unique_doc_id` makes it unique."""
    return "upload/" + doc_id_for(name)


class UploadStore:
    """The folder of uploaded files for one index."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def owns(self, path: str | Path) -> bool:
        return self.directory.resolve() in Path(path).resolve().parents

    @contextmanager
    def placed(self, name: str, content: BinaryIO, metadata: dict[str, object]) -> Iterator[Path]:
        """Put the upload (and its sidecar) in place for the duration of the block.

        If the block raises (:class:`UploadRejected` when ingestion failed), the previous
        version (if any) is restored, so a failed upload never replaces a working document's file.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / name
        sidecar = target.with_name(target.name + ".meta.yaml")
        backup = self.directory / ".previous" / uuid.uuid4().hex
        backup.mkdir(parents=True)
        saved = [p for p in (target, sidecar) if p.exists()]
        for path in saved:
            shutil.move(path, backup / path.name)
        try:
            with target.open("wb") as out:
                shutil.copyfileobj(content, out, length=1024 * 1024)
            sidecar.write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=True), encoding="utf-8")
            yield target
        except BaseException:
            self._restore(target, sidecar, backup)
            raise
        finally:
            shutil.rmtree(backup, ignore_errors=True)

    def _restore(self, target: Path, sidecar: Path, backup: Path) -> None:
        for path in (target, sidecar):
            path.unlink(missing_ok=True)
        for path in backup.iterdir():
            shutil.move(path, self.directory / path.name)

    def remove(self, path: str | Path) -> None:
        """Delete an uploaded file and its sidecar (so a reindex does not bring it back)."""
        target = Path(path)
        if not self.owns(target):
            return
        target.unlink(missing_ok=True)
        target.with_name(target.name + ".meta.yaml").unlink(missing_ok=True)


class UploadRejected(Exception):
    """Raised inside :meth:`UploadStore.placed` to restore the previous version."""
