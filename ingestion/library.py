"""The one home of document operations: ingest, upload, reingest, reindex and remove.

The CLI and the HTTP API call these; each write ends with the lexical index rebuilt for the
new manifest generation, so no caller has to remember it. Who may change which document is
the caller's decision (API keys and sets), passed in as ``may_replace``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from assistant.config import Settings
from assistant.errors import NotFoundError
from assistant.index import Index
from assistant.types import DocumentRecord
from ingestion.doc_ids import unique_doc_id
from ingestion.pipeline import Ingestor, InputFile, ProgressCallback
from ingestion.report import FileResult, IngestReport
from ingestion.uploads import UploadRejected, UploadStore, upload_doc_id

Upload = tuple[str, BinaryIO]
"""A checked, safe file name (:func:`ingestion.uploads.safe_filename`) and its content."""


class DocumentLibrary:
    """Document operations on one index opened for writing."""

    def __init__(self, index: Index, settings: Settings, uploads: UploadStore | None = None) -> None:
        self.index = index
        self.settings = settings
        self.uploads = uploads or UploadStore(settings.data_dir / "uploads" / settings.index_name)
        self._ingestor = Ingestor(index, settings)

    def ingest(
        self, paths: Sequence[Path], *, prune: bool = False, progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Read files and folders (unchanged files are skipped); ``prune`` removes vanished ones."""
        return self._ingestor.run(paths, prune=prune, progress=progress)

    def upload(
        self,
        files: Sequence[Upload],
        metadata: dict[str, object],
        may_replace: Callable[[DocumentRecord], bool] = lambda record: True,
    ) -> IngestReport:
        """Store and ingest uploaded files, one result each.

        A file named like an earlier upload replaces that document when ``may_replace`` allows
        it, otherwise it fails with ``conflict`` and the stored document stays. A file that
        fails to ingest leaves the previous version of its document in place.
        """
        started = time.perf_counter()
        report = IngestReport()
        for name, content in files:
            # Decided under the caller's write lock, so no other upload takes the name in between.
            target = (self.uploads.directory / name).resolve()
            existing = self.index.manifest.document_by_path(str(target))
            if existing is not None and not may_replace(existing):
                report.files.append(_conflict(name))
                continue
            doc_id = (
                existing.doc_id
                if existing
                else unique_doc_id(self.index.manifest, upload_doc_id(name), path=target, name=name)
            )
            try:
                with self.uploads.placed(name, content, {"id": doc_id, **metadata}) as path:
                    result = self._ingestor.ingest_file(InputFile(self.uploads.directory, path))
                    if result.status == "failed":
                        raise UploadRejected
            except UploadRejected:
                pass
            _count(report, result)
        self.index.lexical()
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def reingest(self, doc_ids: Sequence[str], *, force: bool = False) -> IngestReport:
        """Read recorded documents again from their files (same doc_id); a missing file fails.

        Unchanged files are skipped unless ``force`` (for documents whose chunks the manifest
        lost: they are removed first and read completely).
        """
        started = time.perf_counter()
        report = IngestReport()
        for doc_id in doc_ids:
            record = self.index.manifest.document(doc_id)
            if record is None:
                continue
            if force and Path(record.path).is_file():
                self.index.remove_document(doc_id)
            _count(report, self._reingest(record))
        if force:
            self.index.rebuild_lexical()
        else:
            self.index.lexical()
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def reindex(self) -> IngestReport:
        """Repair the vector store from the manifest, then reingest every recorded document."""
        reconciled = {k: v for k, v in vars(self.index.reconcile()).items() if v}
        report = self.reingest([r.doc_id for r in self.index.manifest.documents()])
        report.reconciled = reconciled
        return report

    def remove(self, doc_id: str) -> int:
        """Remove a document, its chunks and (for an upload) its stored file; returns the chunk count.

        :raises NotFoundError: no document has this id.
        """
        record = self.index.manifest.document(doc_id)
        if record is None:
            raise NotFoundError(f"Kein Dokument mit der doc_id {doc_id!r} im Index.")
        removed = self.index.remove_document(doc_id)
        self.uploads.remove(record.path)
        self.index.lexical()
        return removed

    def _reingest(self, record: DocumentRecord) -> FileResult:
        path = Path(record.path)
        if not path.is_file():
            return FileResult(
                path=record.source,
                status="failed",
                doc_id=record.doc_id,
                reason="Die Datei ist nicht mehr vorhanden; das Dokument bleibt im Index.",
                error_code="missing_file",
            )
        return self._ingestor.ingest_file(InputFile(source_root(record, path), path))


def source_root(record: DocumentRecord, path: Path) -> Path:
    """The ingest root that gives ``path`` its recorded source name (and so its doc_id)."""
    text = path.as_posix()
    if record.source and text.endswith("/" + record.source):
        return Path(text[: -len(record.source) - 1])
    return path.parent


def _count(report: IngestReport, result: FileResult) -> None:
    report.files.append(result)
    report.embeddings_computed += result.embeddings_computed
    if result.status == "ok":
        report.chunks_written += result.chunks


def _conflict(name: str) -> FileResult:
    return FileResult(
        path=name,
        status="failed",
        reason=(
            f"Eine Datei namens „{name}“ ist bereits hochgeladen und gehört (auch) zu einer "
            "Dokumentmenge, die dieser Schlüssel nicht ändern darf; sie bleibt unverändert. "
            "Bitte die Datei unter einem anderen Namen hochladen."
        ),
        error_code="conflict",
    )
