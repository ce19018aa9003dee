"""CLI commands that keep an index healthy: ``verify``, ``rebuild``, ``backup``, ``restore``.

Registered on the main app by :mod:`kommunal.cli.main`; exit codes as there (0 ok, 1 the
index does not match its manifest, 3 index locked or unreachable, 4 configuration).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from assistant.config import Settings, get_settings
from assistant.embeddings import Embedder
from assistant.errors import AssistantError
from assistant.index import Index
from assistant.index.maintenance import RepairReport, VerifyReport, rebuild_index, repair_index, verify_index
from assistant.index.opening import open_index
from assistant.progress import ProgressCallback
from kommunal.cli.output import JsonOpt, emit_json, err, fail, out
from kommunal.cli.progress import progress_bar

EXIT_MISMATCH = 1
R = TypeVar("R")

BackupTarget = Annotated[Path, typer.Argument(help="Leerer oder neuer Ordner für die Sicherung.")]
BackupSource = Annotated[Path, typer.Argument(help="Ordner einer Sicherung (von 'backup').")]


def register(app: typer.Typer) -> None:
    """Add the maintenance commands to ``app``."""
    app.command("verify")(verify)
    app.command("rebuild")(rebuild)
    app.command("backup")(backup)
    app.command("restore")(restore)


def verify(
    repair: Annotated[
        bool,
        typer.Option("--repair", help="Abweichungen beheben (Chroma und Stichwortindex aus dem Manifest)."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Index prüfen: Chroma, Stichwortindex und Manifest müssen übereinstimmen (sonst Code 1)."""
    settings = get_settings()
    repaired = None
    try:
        # The write lock keeps writers out, so a running ingest is not reported as damage.
        with open_index(settings, write=True, purpose="verify") as index:
            report = verify_index(index)
            if repair and not report.ok:
                with progress_bar("Reparatur", as_json=as_json) as progress:
                    result = repair_index(index, progress)
                repaired = _reingest_incomplete(index, result)
                report = verify_index(index)
    except AssistantError as exc:
        raise fail(exc, as_json) from exc
    _finish(report, "repair", repaired, as_json)


def rebuild(as_json: JsonOpt = False) -> None:
    """Chroma und Stichwortindex vollständig aus dem Manifest neu aufbauen (Vektoren aus dem Cache)."""
    settings = get_settings()
    try:
        with (
            open_index(settings, write=True, purpose="rebuild", discard_vectors=True) as index,
            progress_bar("Neuaufbau", as_json=as_json) as progress,
        ):
            rebuilt = _reingest_incomplete(index, rebuild_index(index, progress))
            report = verify_index(index)
    except AssistantError as exc:
        raise fail(exc, as_json) from exc
    _finish(report, "rebuild", rebuilt, as_json)


def backup(dest: BackupTarget, as_json: JsonOpt = False) -> None:
    """Den ganzen Index sichern (Schreiber warten) und die Kopie prüfen."""
    from assistant.index.backup import backup_index

    report = _copy_index("Sicherung", backup_index, dest, as_json)
    if as_json:
        emit_json(report.to_json_dict())
        return
    out.print(
        f"Gesichert nach {report.path}: {report.counts.documents} Dokumente, {report.counts.chunks} "
        f"Abschnitte; Kopie geprüft ({report.samples} Stichproben identisch)."
    )
    if not report.vectors_copied:
        err.print("Hinweis: Vektoren stammen aus dem Embedding-Cache des Manifests (Chroma-Server).")


def restore(src: BackupSource, as_json: JsonOpt = False) -> None:
    """Den Index aus einer Sicherung wiederherstellen und prüfen (ersetzt den aktuellen Index)."""
    from assistant.index.backup import restore_index

    counts = _copy_index("Wiederherstellung", restore_index, src, as_json)
    if as_json:
        emit_json({"restored_from": str(src), "counts": asdict(counts)})
        return
    out.print(f"Wiederhergestellt aus {src}: {counts.documents} Dokumente, {counts.chunks} Abschnitte.")


def _copy_index(
    label: str,
    copy: Callable[[Settings, Embedder, Path, ProgressCallback | None], R],
    folder: Path,
    as_json: bool,
) -> R:
    """``copy(settings, embedder, folder, progress)`` under a progress bar; errors end the command."""
    from assistant.embeddings import create_embedder

    settings = get_settings()
    try:
        with progress_bar(label, as_json=as_json) as progress:
            return copy(settings, create_embedder(settings), folder, progress)
    except AssistantError as exc:
        raise fail(exc, as_json) from exc


def _reingest_incomplete(index: Index, result: RepairReport) -> dict[str, object]:
    """Read the documents whose chunks the manifest lost again from their source files; the
    repair's counts with what that did under ``reingested``."""
    from ingestion.library import DocumentLibrary

    reingested = []
    if result.incomplete_documents:
        report = DocumentLibrary(index, index.settings).reingest(result.incomplete_documents, force=True)
        reingested = [{"doc_id": f.doc_id, "status": f.status, "reason": f.reason} for f in report.files]
    return {**asdict(result), "reingested": reingested}


def _finish(report: VerifyReport, key: str, repaired: dict[str, object] | None, as_json: bool) -> None:
    """Show the verification (in JSON with what was repaired under ``key``); a mismatch is exit 1."""
    if as_json:
        emit_json({**report.to_json_dict(), key: repaired})
    else:
        _print_report(report, repaired)
    if not report.ok:
        raise typer.Exit(EXIT_MISMATCH)


def _print_report(report: VerifyReport, repaired: dict[str, object] | None) -> None:

    counts = report.counts
    out.print(
        f"Dokumente: {counts.documents}; Abschnitte im Manifest: {counts.chunks} "
        f"(verzeichnet: {counts.expected_chunks}); Vektoren in Chroma: {counts.vectors}; "
        f"Stichwortindex: {counts.lexical_chunks if counts.lexical_chunks is not None else 'fehlt'}"
    )
    if repaired is not None:
        out.print(
            f"Neu geschrieben: {repaired.get('vectors_written', 0)} Vektoren, "
            f"wiederhergestellt: {repaired.get('vectors_restored', 0)}, "
            f"verwaiste entfernt: {repaired.get('orphans_deleted', 0)}, "
            f"neu berechnete Embeddings: {repaired.get('embeddings_computed', 0)}, "
            f"latente Terme: {repaired.get('latent_terms_computed', 0)}, "
            f"Satzvektoren: {repaired.get('unit_vectors_computed', 0)}."
        )
    if report.ok:
        out.print("[green]Index und Manifest stimmen überein.[/]")
    for problem in report.problems:
        err.print(f"[bold red]Abweichung:[/] {problem}")
