"""``GET /metrics``: the process's Prometheus metrics (:mod:`kommunal.api.metrics`), for admin keys."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from kommunal.api.deps import Admin, RuntimeDep
from kommunal.api.problems import PROBLEM_RESPONSES

router = APIRouter(tags=["Betrieb"], responses=PROBLEM_RESPONSES)


@router.get(
    "/metrics",
    summary="Kennzahlen im Prometheus-Format (Admin)",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus-Textformat."}},
)
def metrics(_: Admin, runtime: RuntimeDep) -> Response:
    """Requests and latencies per route, answers and abstentions, index size."""
    return Response(runtime.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
