"""Documents: upload (ingested at once, result per file), list, delete one, reindex."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, UploadFile
from fastapi import Path as PathParam
from pydantic import Field

from assistant.handlungsfelder import DOC_TYPES
from assistant.types import MAX_FILTER_VALUES, DocumentRecord
from ingestion.library import DocumentLibrary
from ingestion.report import FileResult, IngestReport
from ingestion.uploads import (
    SNIFF_BYTES,
    UploadStore,
    safe_filename,
    type_problem,
)
from kommunal.api.access import can_change, can_see
from kommunal.api.concurrency import run_blocking
from kommunal.api.deps import Admin, Editor, RuntimeDep
from kommunal.api.keys import ApiKey
from kommunal.api.models import RemovedDocument
from kommunal.api.problems import PROBLEM_RESPONSES, ApiProblem
from kommunal.api.runtime import Runtime

router = APIRouter(tags=["Dokumente"], responses=PROBLEM_RESPONSES)

DocType = Literal[DOC_TYPES]  # type: ignore[valid-type]

# Writes may take minutes (embedding a large PDF); the client gets the per-file result when done.
WRITE_TIMEOUT_S = 3600.0


class IngestResponse(IngestReport):
    """The ingest report with the number of files per status."""

    counts: dict[str, int] = Field(default_factory=dict, description="Files per status (ok, failed, …).")

    @classmethod
    def of(cls, report: IngestReport) -> IngestResponse:
        return cls(**report.model_dump(), counts=report.totals())


@router.get(
    "/documents",
    response_model=list[DocumentRecord],
    response_model_exclude={"__all__": {"path"}},
    summary="Dokumente auflisten",
)
async def list_documents(key: Editor, runtime: RuntimeDep) -> list[DocumentRecord]:
    """Every ingested document with status, chunk count and sets, as far as the key may see it."""

    def work() -> list[DocumentRecord]:
        with runtime.reading() as assistant:
            return [d for d in assistant.index.documents() if can_see(key, d)]

    return await run_blocking(work, runtime.settings.api_timeout_s)


@router.post("/documents", response_model=IngestResponse, summary="Dokumente hochladen und einlesen")
async def upload_documents(
    key: Editor,
    runtime: RuntimeDep,
    files: Annotated[
        list[UploadFile],
        File(min_length=1, description="Eine oder mehrere Dateien (PDF, DOCX, ODT, HTML, Markdown, Text)."),
    ],
    doc_sets: Annotated[
        list[str] | None,
        Form(description="Dokumentmengen, z. B. oeffentlich, intern (für Nicht-Admins Pflicht)."),
    ] = None,
    doc_type: Annotated[DocType | None, Form(description="Dokumenttyp (sonst aus der Datei).")] = None,
) -> IngestResponse:
    """Each file is checked (name, type, content), stored and ingested; one result per file.

    A file with the name of an earlier upload replaces that document, if every set that
    document is in is one of the key's; otherwise the file fails with ``conflict`` and the
    stored document stays as it is. When no file has an acceptable type the answer is 415,
    when every file failed for a conflict 409.
    """
    sets = _check_sets(key, doc_sets)
    rejected: list[FileResult] = []
    accepted: list[tuple[str, UploadFile]] = []  # checked safe name, upload
    for upload in files:
        name = safe_filename(upload.filename)
        head = await upload.read(SNIFF_BYTES)
        await upload.seek(0)
        problem = type_problem(name, head)
        if problem:
            shown = name or (upload.filename or "(ohne Namen)")
            rejected.append(
                FileResult(path=shown, status="failed", reason=problem, error_code="unsupported_format")
            )
        else:
            accepted.append((name, upload))
    if not accepted:
        names = "; ".join(f"{r.path}: {r.reason}" for r in rejected)
        raise ApiProblem(415, "unsupported_format", f"Keine Datei konnte angenommen werden. {names}")
    metadata: dict[str, object] = {}
    if sets is not None:
        metadata["doc_sets"] = sets
    if doc_type:
        metadata["doc_type"] = doc_type
    report = await run_blocking(lambda: _ingest_uploads(runtime, key, accepted, metadata), WRITE_TIMEOUT_S)
    conflicts = [f for f in report.files if f.error_code == "conflict"]
    if conflicts and len(conflicts) == len(report.files):
        raise ApiProblem(409, "conflict", " ".join(f.reason or "" for f in conflicts))
    report.files[:0] = rejected
    return IngestResponse.of(report)


def _check_sets(key: ApiKey, doc_sets: list[str] | None) -> list[str] | None:
    sets = sorted({s.strip() for s in doc_sets or [] if s.strip()})
    if len(sets) > MAX_FILTER_VALUES:
        raise ApiProblem(
            422,
            "invalid_request",
            f"Ungültige Eingabe im Feld „doc_sets“: höchstens {MAX_FILTER_VALUES} Dokumentmengen.",
        )
    if key.is_admin:
        return sets or None
    if not sets:
        raise ApiProblem(
            422,
            "invalid_request",
            "Ungültige Eingabe im Feld „doc_sets“: bitte mindestens eine Dokumentmenge angeben "
            f"(erlaubt für diesen Schlüssel: {', '.join(key.doc_sets) or 'keine'}).",
        )
    forbidden = [s for s in sets if s not in key.doc_sets]
    if forbidden:
        raise ApiProblem(
            403,
            "forbidden",
            f"Der Schlüssel „{key.name}“ darf nicht in die Menge(n) {', '.join(forbidden)} schreiben.",
        )
    return sets


def _ingest_uploads(
    runtime: Runtime, key: ApiKey, uploads: list[tuple[str, UploadFile]], metadata: dict[str, object]
) -> IngestReport:
    files = [(name, upload.file) for name, upload in uploads]
    with runtime.writing() as assistant:
        library = DocumentLibrary(assistant.index, runtime.settings, UploadStore(runtime.uploads_dir))
        return library.upload(files, metadata, may_replace=lambda record: can_change(key, record))


@router.delete("/documents/{doc_id:path}", response_model=RemovedDocument, summary="Ein Dokument entfernen")
async def delete_document(
    doc_id: Annotated[str, PathParam(description="doc_id aus der Dokumentliste.")],
    key: Editor,
    runtime: RuntimeDep,
) -> RemovedDocument:
    """Remove the document and all its chunks from the index (and an uploaded file from disk)."""

    def work() -> RemovedDocument:
        with runtime.writing() as assistant:
            record = assistant.index.document(doc_id)
            if record is None or not can_see(key, record):
                raise ApiProblem(404, "not_found", f"Kein Dokument mit der doc_id „{doc_id}“.")
            if not can_change(key, record):
                raise ApiProblem(
                    403,
                    "forbidden",
                    f"Das Dokument „{doc_id}“ gehört auch zu Dokumentmengen, die der Schlüssel "
                    f"„{key.name}“ nicht ändern darf.",
                )
            library = DocumentLibrary(assistant.index, runtime.settings, UploadStore(runtime.uploads_dir))
            removed = library.remove(doc_id)
        return RemovedDocument(doc_id=doc_id, removed_chunks=removed)

    return await run_blocking(work, WRITE_TIMEOUT_S)


@router.post("/documents/reindex", response_model=IngestResponse, summary="Index neu aufbauen (Admin)")
async def reindex(key: Admin, runtime: RuntimeDep) -> IngestResponse:
    """Repair the vector store from the manifest, re-read changed files, rebuild the lexical index.

    Unchanged files are skipped (no embeddings are computed for them); a document whose file
    is gone stays in the index and is reported as failed.
    """
    return IngestResponse.of(await run_blocking(lambda: _reindex(runtime), WRITE_TIMEOUT_S))


def _reindex(runtime: Runtime) -> IngestReport:
    with runtime.writing() as assistant:
        return DocumentLibrary(assistant.index, runtime.settings, UploadStore(runtime.uploads_dir)).reindex()
