"""Prometheus metrics of one API process: requests and latencies per route, answers, index size.

``GET /metrics`` (text exposition format, :mod:`kommunal.api.routes.metrics`) needs an admin
key; with ``ASSISTANT_METRICS_PORT`` the same metrics are also served without a key on
``ASSISTANT_METRICS_HOST`` (127.0.0.1 by default) for a Prometheus on the same host.

Metrics live in a registry per app, not prometheus_client's global one, so several apps in one
process (tests) do not collide. With several uvicorn workers each process counts on its own
and a scrape of ``/metrics`` sees one worker's numbers (prometheus_client's multiprocess mode
would need a shared directory and global metrics); ``serve`` therefore refuses the metrics port
with more than one worker, and the deployment docs recommend one worker per container.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from assistant.types import Answer

if TYPE_CHECKING:
    from kommunal.api.runtime import Runtime

log = logging.getLogger(__name__)

PREFIX = "kommunal"
# Seconds: a cached search answers in milliseconds, an LLM answer or a draft takes tens of seconds.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0)
INDEX_COUNT_TIMEOUT_S = 5.0

IndexSize = Callable[[], tuple[int, int] | None]
"""(documents, chunks) of the open index, or None while no index is open."""


class ApiMetrics:
    """The metrics of one app: what the request middleware and the answer routes record."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            f"{PREFIX}_http_requests",
            "HTTP requests by method, route template and status code.",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            f"{PREFIX}_http_request_duration_seconds",
            "Time from request to the end of the response body, by method and route template.",
            ("method", "route"),
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.answers = Counter(
            f"{PREFIX}_answers", "Answers given by the API (ask, ask/stream, /v1).", registry=self.registry
        )
        self.abstentions = Counter(
            f"{PREFIX}_abstentions",
            "Answers that abstained (no evidence found); a subset of the answers.",
            registry=self.registry,
        )
        self._index: _IndexCollector | None = None

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one finished request under its route template (never the raw path)."""
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def count_answer(self, answer: Answer) -> None:
        """Count an answer and, when it abstained, an abstention."""
        self.answers.inc()
        if answer.abstained:
            self.abstentions.inc()

    def watch_index(self, size: IndexSize) -> None:
        """Report the index size from ``size`` at every scrape."""
        if self._index is None:
            self._index = _IndexCollector(size)
            self.registry.register(self._index)

    def exposition(self) -> bytes:
        """Every metric in Prometheus' text format."""
        return generate_latest(self.registry)

    def close(self) -> None:
        """Stop the index counter's thread."""
        if self._index is not None:
            self._index.close()


class _IndexCollector(Collector):
    """Documents and chunks as gauges, counted in one dedicated thread at scrape time.

    One thread: the manifest opens a database connection per thread, and scrapes arrive on
    ever new threads (one per request of the metrics port); the timeout keeps a slow database
    from stalling a scrape.
    """

    def __init__(self, size: IndexSize) -> None:
        self.size = size
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="metrics-index")

    def collect(self) -> Iterable[Metric]:
        try:
            counts = self._thread.submit(self.size).result(timeout=INDEX_COUNT_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001 - a failed count must not fail the whole scrape
            log.warning("index size not available for /metrics: %s", exc)
            return
        if counts is None:
            return
        documents, chunks = counts
        yield GaugeMetricFamily(f"{PREFIX}_index_documents", "Documents in the index.", value=documents)
        yield GaugeMetricFamily(f"{PREFIX}_index_chunks", "Visible chunks in the index.", value=chunks)

    def describe(self) -> Iterator[Metric]:
        return iter(())  # the values need the index; nothing to check at registration

    def close(self) -> None:
        self._thread.shutdown(wait=False, cancel_futures=True)


def index_size(runtime: Runtime) -> tuple[int, int] | None:
    """(documents, chunks) of the runtime's index, without opening it when it is not open yet."""
    if not runtime.is_open:
        return None
    manifest = runtime.assistant().index.manifest
    return len(manifest.documents()), manifest.count_chunks()


def start_metrics_port(runtime: Runtime) -> Callable[[], None]:
    """Serve the metrics without a key on ``ASSISTANT_METRICS_PORT`` when set; returns the stop.

    A port that cannot be bound (taken, for example by another worker) is logged and skipped:
    the API itself keeps running and ``/metrics`` with an admin key still works.
    """
    settings = runtime.settings
    if not settings.metrics_port:
        return lambda: None
    from prometheus_client import start_http_server

    try:
        server, thread = start_http_server(
            settings.metrics_port, addr=settings.metrics_host, registry=runtime.metrics.registry
        )
    except OSError as exc:
        log.error(
            "metrics port not available",
            extra={"host": settings.metrics_host, "port": settings.metrics_port, "error": str(exc)},
        )
        return lambda: None
    log.info(
        "metrics served", extra={"url": f"http://{settings.metrics_host}:{settings.metrics_port}/metrics"}
    )

    def stop() -> None:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

    return stop
