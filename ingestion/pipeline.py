"""file -> loader -> cleaner -> chunker -> tagger -> index, one document at a time.

A file that cannot be read is reported with its reason and the run goes on; nothing
already indexed is touched for it. Unchanged files (same bytes, same sidecar, same
pipeline settings) are skipped before loading, so a re-run computes no embeddings.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.config import Settings
from assistant.errors import AssistantError, DocumentError, EmptyDocumentError
from assistant.handlungsfelder import DOC_TYPES, resolve_handlungsfeld
from assistant.index import Index
from assistant.index.manifest import text_hash
from assistant.types import Chunk, DocumentRecord
from ingestion.chunking import chunk_document
from ingestion.cleaning import clean_document
from ingestion.discovery import doc_type_for, iter_input_files, relative_source
from ingestion.doc_ids import checked_explicit_id, doc_id_for, unique_doc_id
from ingestion.document import LoadedDocument
from ingestion.loaders import check_file, load_document
from ingestion.loaders.metadata import find_sidecar
from ingestion.loaders.ocr import OcrOptions
from ingestion.report import FileResult, IngestReport, printable
from ingestion.tagging import tag_handlungsfelder
from ingestion.titles import fallback_title

log = logging.getLogger(__name__)

# Bump when loading, cleaning or chunking changes in a way that changes chunks.
# 2: readable titles for machine-made file names (ingestion/titles.py)
# 3: headings a lead-in announces become its list items (ingestion/announced_lists.py)
# 4: chunks carry the links their document presents (ingestion/document.py Link)
# 5: a table split over chunks repeats its header row in each (ingestion/chunking.py)
# 6: a label with a short value („Wo? online“) is no heading in text files, a titled label is
PIPELINE_VERSION = "6"

ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class InputFile:
    root: Path
    path: Path
    skip_reason: str | None = None

    @property
    def source(self) -> str:
        return relative_source(self.root, self.path)


def discover(roots: Sequence[Path]) -> list[InputFile]:
    """All input files under the given roots, in a stable order."""
    return [InputFile(root, path, problem) for root in roots for path, problem in iter_input_files(root)]


class Ingestor:
    """Runs the pipeline against an open, writable :class:`Index`."""

    def __init__(self, index: Index, settings: Settings) -> None:
        self.index = index
        self.settings = settings
        self.max_bytes = int(settings.max_file_mb * 1024 * 1024)
        self.max_unpacked_bytes = int(settings.max_unpacked_mb * 1024 * 1024)
        self.ocr = OcrOptions.from_settings(settings)

    def fingerprint(self, path: Path) -> str:
        """Hash of the file, its sidecar and everything that shapes its chunks."""
        digest = hashlib.sha256()
        digest.update(path.read_bytes())
        sidecar = find_sidecar(path)
        if sidecar is not None:
            digest.update(sidecar.read_bytes())
        digest.update(
            f"|{PIPELINE_VERSION}|{self.index.embedder.name}|{self.settings.chunk_tokens}"
            f"|{','.join(self.settings.default_doc_sets)}".encode()
        )
        return digest.hexdigest()

    def run(
        self, roots: Sequence[Path], *, prune: bool = False, progress: ProgressCallback | None = None
    ) -> IngestReport:
        """Ingest every file under ``roots``; with ``prune`` remove documents whose files are gone."""
        started = time.perf_counter()
        report = IngestReport()
        reconciled = self.index.reconcile()
        report.reconciled = {k: v for k, v in vars(reconciled).items() if v}
        files = discover(roots)
        for number, item in enumerate(files, start=1):
            if progress:
                progress(item.source, number, len(files))
            result = self.ingest_file(item)
            report.files.append(result)
            report.embeddings_computed += result.embeddings_computed
            if result.status == "ok":
                report.chunks_written += result.chunks
        if prune:
            report.files.extend(self._prune(roots))
        # An index built before latent terms (or with them off) gets them for unchanged files too.
        report.latent_terms_backfilled = self.index.backfill_latent_terms()
        if report.latent_terms_backfilled:
            log.info("latent terms computed for %d existing chunks", report.latent_terms_backfilled)
        report.unit_vectors_backfilled = self.index.backfill_unit_vectors()
        self.index.lexical()  # rebuild and persist the lexical index for the new generation
        report.seconds = round(time.perf_counter() - started, 3)
        return report

    def ingest_file(self, item: InputFile) -> FileResult:
        """One file; never raises for a bad document."""
        if item.skip_reason:
            log.info("skipped path=%s reason=%s", printable(item.source), item.skip_reason)
            return FileResult(path=item.source, status="skipped", reason=item.skip_reason)
        path = item.path.resolve()
        before = self.index.embeddings_computed
        try:
            check_file(path, max_bytes=self.max_bytes)
            fingerprint = self.fingerprint(path)
            known = self.index.manifest.document_by_path(str(path))
            if known and known.content_hash == fingerprint and known.status == "ready":
                return FileResult(
                    path=item.source,
                    status="unchanged",
                    doc_id=known.doc_id,
                    chunks=known.chunk_count,
                    warnings=known.warnings,
                )
            loaded = load_document(
                path, max_bytes=self.max_bytes, max_unpacked_bytes=self.max_unpacked_bytes, ocr=self.ocr
            )
            cleaned = clean_document(loaded)
            doc_id = self.assign_doc_id(item, cleaned, known)
            record, chunks = self.build(item, cleaned, fingerprint, doc_id=doc_id)
            if known and known.doc_id != record.doc_id:
                self.index.remove_document(known.doc_id)
            self.index.write_document(record, chunks)
            return FileResult(
                path=item.source,
                status="ok",
                doc_id=record.doc_id,
                chunks=len(chunks),
                embeddings_computed=self.index.embeddings_computed - before,
                warnings=record.warnings,
            )
        except DocumentError as exc:
            log.warning("document failed: %s", printable(str(exc)))
            return FileResult(path=item.source, status="failed", reason=exc.message, error_code=exc.code)
        except AssistantError:
            raise  # index or configuration problems stop the run: every later file would fail too
        except Exception as exc:  # noqa: BLE001 - one broken file must not stop the batch
            log.exception("unexpected error in %s", printable(str(path)))
            return FileResult(
                path=item.source,
                status="failed",
                reason=f"Unerwarteter Fehler beim Lesen der Datei: {type(exc).__name__}: {exc}",
                error_code="internal_error",
            )

    def assign_doc_id(self, item: InputFile, doc: LoadedDocument, known: DocumentRecord | None) -> str:
        """The metadata's ``id``, else the id this file already has, else a fresh unique one.

        Never the id of another file that still exists: names that slug alike get a suffix,
        and a metadata ``id`` that another file holds fails this file (not the other one).
        """
        path = item.path.resolve()
        explicit = doc.metadata.get("id")
        if explicit:
            return checked_explicit_id(self.index.manifest, str(explicit), path=path, name=item.source)
        if known is not None:
            return known.doc_id
        return unique_doc_id(self.index.manifest, doc_id_for(item.source), path=path, name=item.source)

    def build(
        self, item: InputFile, doc: LoadedDocument, fingerprint: str, *, doc_id: str
    ) -> tuple[DocumentRecord, list[Chunk]]:
        """Metadata and chunks for a cleaned document (``doc_id`` from :meth:`assign_doc_id`)."""
        meta = doc.metadata
        source = item.source
        title = str(meta.get("title") or doc.title or fallback_title(doc, source))
        title = (
            title if len(title) <= 160 else title[:157].rsplit(" ", 1)[0] + " …"
        )  # it rides in every chunk
        doc_type = str(meta.get("doc_type") or doc_type_for(source))
        municipality = _optional_str(meta.get("municipality"))
        date = _optional_str(meta.get("date"))
        url = _optional_str(meta.get("url"))
        doc_sets = [str(s) for s in _as_list(meta.get("doc_sets"))] or list(self.settings.default_doc_sets)
        try:
            fixed_fields = [resolve_handlungsfeld(str(v)) for v in _as_list(meta.get("handlungsfelder"))]
        except ValueError as exc:
            raise DocumentError(f"Metadatenfeld 'handlungsfelder': {exc}", source=source) from exc
        if doc_type not in DOC_TYPES:
            raise DocumentError(
                f"Metadatenfeld 'doc_type': {doc_type!r} ist unbekannt. Erlaubt: {', '.join(DOC_TYPES)}",
                source=source,
            )
        drafts = chunk_document(
            doc,
            title=title,
            max_tokens=min(self.settings.chunk_tokens, self.index.embedder.max_tokens),
            count_tokens=self.index.embedder.count_tokens,
        )
        if not drafts:
            raise EmptyDocumentError(
                "Die Datei enthält nach der Bereinigung keinen verwertbaren Text.", source=source
            )
        chunks: list[Chunk] = []
        for position, draft in enumerate(drafts):
            section = " > ".join(draft.section_path)
            tags = fixed_fields or tag_handlungsfelder(draft.text, context=f"{title} {section}")
            chunk = Chunk(
                chunk_id="",
                doc_id=doc_id,
                text=draft.text,
                title=title,
                source=source,
                doc_type=doc_type,
                section=section,
                page=draft.page,
                position=position,
                municipality=municipality,
                date=date,
                url=url,
                links=draft.links,
                handlungsfelder=tags,
                doc_sets=doc_sets,
                ocr=doc.ocr,
            )
            chunk.chunk_id = f"{doc_id}::{position:04d}::{text_hash(chunk.embedding_text())[:12]}"
            chunks.append(chunk)
        record = DocumentRecord(
            doc_id=doc_id,
            source=source,
            path=str(item.path.resolve()),
            title=title,
            doc_type=doc_type,
            content_hash=fingerprint,
            chunk_count=len(chunks),
            status="ready",
            ingested_at=self.index.manifest.now(),
            warnings=list(doc.warnings),
            doc_sets=doc_sets,
        )
        return record, chunks

    def _prune(self, roots: Sequence[Path]) -> list[FileResult]:
        """Remove documents under ``roots`` whose files no longer exist."""
        resolved_roots = [root.resolve() for root in roots]
        results = []
        for record in self.index.manifest.documents():
            path = Path(record.path)
            under_root = any(path == root or root in path.parents for root in resolved_roots)
            if under_root and not path.exists():
                removed = self.index.remove_document(record.doc_id)
                results.append(
                    FileResult(path=record.source, status="removed", doc_id=record.doc_id, chunks=removed)
                )
        return results


def _as_list(value: object) -> list[object]:
    if value is None or value == "":
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _optional_str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None
