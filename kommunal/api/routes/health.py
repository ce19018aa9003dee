"""Liveness (open, instant) and readiness (index loaded and queryable)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from assistant.errors import AssistantError
from assistant.index.probe import probe_index
from kommunal.api.concurrency import run_blocking
from kommunal.api.deps import RuntimeDep
from kommunal.api.models import Health, Readiness
from kommunal.api.problems import PROBLEM_RESPONSES, problem_response
from kommunal.api.runtime import Runtime

log = logging.getLogger(__name__)

router = APIRouter(tags=["Betrieb"], responses=PROBLEM_RESPONSES)

READY_TIMEOUT_S = 30.0
_PROBE_QUERY = "Digitalisierung der Verwaltung"


@router.get("/health", response_model=Health, summary="Lebenszeichen (ohne Schlüssel)")
async def health() -> Health:
    """Answers as long as the process serves requests; touches no dependency."""
    return Health()


@router.get("/ready", response_model=Readiness, summary="Bereitschaft: Index geladen und abfragbar")
async def ready(request: Request, runtime: RuntimeDep) -> Readiness | JSONResponse:
    """200 when the index is open and a tiny query succeeds, else 503 with the reason."""
    try:
        readiness = await run_blocking(lambda: check_ready(runtime), READY_TIMEOUT_S + 5)
    except AssistantError as exc:
        readiness = Readiness(ready=False, detail=str(exc))
    if not readiness.ready:
        return problem_response(request, 503, "not_ready", readiness.detail)
    return readiness


def check_ready(runtime: Runtime) -> Readiness:
    """Ready when this process can query its index and :func:`probe_index` agrees.

    In-process: the index opens and one dense and one lexical query run. Then the probe
    (issue 8): against a Chroma server it loads the index in a child process (a damaged
    segment crashes the child, not the API); for an embedded index this process holds, it
    confirms the lock holder and reports the manifest's counts.
    """
    with runtime.reading() as assistant:
        index = assistant.index
        status = index.status()
        index.dense_search(_PROBE_QUERY, 1)
        index.lexical_search(_PROBE_QUERY, 1)
    documents, chunks, vectors = (int(status[k]) for k in ("documents", "chunks", "vectors"))  # type: ignore[call-overload]
    counts = {"documents": documents, "chunks": chunks, "vectors": vectors}
    if vectors < chunks:  # more vectors than chunks are orphans of a crash: harmless for queries
        detail = (
            f"Index unvollständig: {chunks} Abschnitte, aber nur {vectors} Vektoren "
            "(reparieren: POST /api/v1/documents/reindex)."
        )
        return Readiness(ready=False, detail=detail, **counts)
    probe = probe_index(runtime.settings, timeout_s=READY_TIMEOUT_S)
    if not probe.ready:
        return Readiness(ready=False, detail=probe.detail, **counts)
    return Readiness(ready=True, detail="bereit", **counts)
