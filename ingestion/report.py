"""What an ingest run did, file by file: for the terminal and for ``--json``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, computed_field

from ingestion.loaders.ocr import OCR_NOTE

FileStatus = Literal["ok", "unchanged", "failed", "removed", "skipped"]
STATUSES: tuple[FileStatus, ...] = ("ok", "unchanged", "failed", "removed", "skipped")


def printable(name: str) -> str:
    """A file name safe for a terminal table or a log line: control characters escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in name)


class FileResult(BaseModel):
    """Outcome for one input file."""

    path: str
    status: FileStatus
    doc_id: str | None = None
    chunks: int = 0
    embeddings_computed: int = 0
    reason: str | None = Field(
        default=None, description="Why the file failed or was skipped (German, names the problem)."
    )
    error_code: str | None = None
    warnings: list[str] = Field(default_factory=list)

    @computed_field(description=f"The text was read by text recognition of a scan: „{OCR_NOTE}“.")  # type: ignore[prop-decorator]
    @property
    def ocr(self) -> bool:
        """Whether the document's text comes from text recognition (its warnings say so)."""
        return any(warning.startswith(OCR_NOTE) for warning in self.warnings)


class IngestReport(BaseModel):
    """Totals and per-file results of one ingest run."""

    files: list[FileResult] = Field(default_factory=list)
    seconds: float = 0.0
    embeddings_computed: int = 0
    chunks_written: int = 0
    latent_terms_backfilled: int = Field(
        default=0, description="Existing chunks that got their latent-term vectors in this run."
    )
    unit_vectors_backfilled: int = Field(
        default=0, description="Answer units of existing chunks that got their vector in this run."
    )
    reconciled: dict[str, int] = Field(default_factory=dict)

    def count(self, status: FileStatus) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> bool:
        """True when any file failed: the CLI then exits non-zero."""
        return self.count("failed") > 0

    def totals(self) -> dict[str, int]:
        return {status: self.count(status) for status in STATUSES}

    def to_json_dict(self) -> dict[str, object]:
        data = self.model_dump()
        data["totals"] = self.totals()
        return data
