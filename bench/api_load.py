"""Load on the HTTP API: N concurrent clients asking questions, across one or more API replicas.

    python bench/api_load.py [--clients 50] [--seconds 60]             # embedded, 1 API process
    python bench/api_load.py --chroma-server [--workers 2]             # chroma run + N uvicorn workers
    python bench/api_load.py --database postgres --replicas 1 2        # several hosts, 1 vs 2 replicas
    python bench/api_load.py --database sqlite --replicas 1 2          # one host, shared data directory

Starts the servers (``chroma run``, a throwaway PostgreSQL cluster) and ``kommunal serve``
processes on free 127.0.0.1 ports over the sample corpus (the test cache in
.cache/test-corpus-index, or corpus/ ingested), creates one admin key and lets the clients POST
/api/v1/ask in a loop, each waiting for its answer before asking again; request i goes to
replica i mod N. With several ``--replicas`` counts the runs go one after another over the same
servers and state. With PostgreSQL every replica has its own empty data directory (nothing
shared but the two servers); with SQLite they share one. Prints throughput, p50/p95/p99 latency,
errors by kind and the RSS of the API processes. Only loopback traffic; stops by itself.
See bench/api_replicas.py for how the deployments are set up.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # ``python bench/api_load.py``
from bench.api_replicas import ApiReplicas, Deployment, rss_mib  # noqa: E402

QUESTIONS = [
    "Wie viel spart Kessbach mit openDesk?",
    "Wie binden wir Vereine in die Digitalstrategie ein?",
    "Welche Fördermittel gibt es für Modellprojekte?",
    "Wie wird der Glasfaserausbau im Landkreis Talheide finanziert?",
    "Was kostet das Smart Parking in Brunnhagen?",
    "Welche Datenschutzfragen muss eine Smart City klären?",
    "Wie funktionieren die Digitallotsen für Senioren?",
    "Welche Handlungsfelder hat die Digitalstrategie Lindwerder 2030?",
]


@dataclass
class Load:
    """What one run measured."""

    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    per_replica: Counter[int] = field(default_factory=Counter)
    took: float = 0.0


async def client_loop(
    client: httpx.AsyncClient,
    urls: list[str],
    tickets: itertools.count,
    limit: int | None,
    deadline: float,
    load: Load,
) -> None:
    """Ask until the deadline (or until ``limit`` requests were handed out), one request at a time."""
    while time.monotonic() < deadline:
        ticket = next(tickets)
        if limit is not None and ticket >= limit:
            return
        replica = ticket % len(urls)
        started = time.perf_counter()
        try:
            response = await client.post(
                f"{urls[replica]}/api/v1/ask", json={"question": QUESTIONS[ticket % len(QUESTIONS)]}
            )
        except httpx.HTTPError as exc:
            load.errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
            continue
        if response.status_code == 200:
            load.latencies.append(time.perf_counter() - started)
            load.per_replica[replica] += 1
        else:
            detail = response.text[:500] if response.status_code >= 500 else ""
            load.errors[f"HTTP {response.status_code} {detail}".strip()] += 1


async def run_load(urls: list[str], token: str, clients: int, seconds: float, requests: int | None) -> Load:
    load = Load()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(headers={"X-API-Key": token}, timeout=120, limits=limits) as client:
        started = time.monotonic()
        deadline = started + (seconds if requests is None else 3600)
        tickets = itertools.count()
        await asyncio.gather(
            *(client_loop(client, urls, tickets, requests, deadline, load) for _ in range(clients))
        )
        load.took = time.monotonic() - started
    return load


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def measure(deployment: Deployment, replicas: int, args: argparse.Namespace) -> dict[str, str]:
    """Start ``replicas`` API processes, warm each up, run the load, return one table row."""
    with ApiReplicas(deployment, replicas, workers=args.workers) as running:
        for url in running.urls:  # first question per replica: model and read model warm
            httpx.post(
                f"{url}/api/v1/ask",
                json={"question": QUESTIONS[0]},
                headers={"X-API-Key": deployment.token},
                timeout=120,
            )
        rss_before = sum(rss_mib(p.pid) for p in running.processes)
        load = asyncio.run(
            run_load(running.urls, deployment.token, args.clients, args.seconds, args.requests)
        )
        rss_after = sum(rss_mib(p.pid) for p in running.processes)
        connections = deployment.connections()
    answered = len(load.latencies)
    return {
        "replicas": str(replicas),
        "answers/s": f"{answered / load.took:.2f}",
        "p50": f"{percentile(load.latencies, 50):.2f} s",
        "p95": f"{percentile(load.latencies, 95):.2f} s",
        "p99": f"{percentile(load.latencies, 99):.2f} s",
        "errors": f"{sum(load.errors.values())} of {answered + sum(load.errors.values())}",
        "per replica": "/".join(str(load.per_replica[n]) for n in range(replicas)),
        "RSS (API)": f"{rss_before:.0f} → {rss_after:.0f} MiB",
        "PostgreSQL connections": "–" if connections is None else str(connections),
        "detail": f"{load.took:.1f} s; {dict(load.errors) if load.errors else ''}",
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0, help="duration of each run")
    parser.add_argument(
        "--requests", type=int, help="a fixed number of requests per run instead of --seconds"
    )
    parser.add_argument(
        "--replicas", type=int, nargs="+", default=[1], help="API processes; several counts run in turn"
    )
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--chroma-server", action="store_true", help="chroma run (implied by postgres, replicas > 1)"
    )
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes per replica")
    args = parser.parse_args()
    chroma_server = (
        args.chroma_server or args.database == "postgres" or max(args.replicas) > 1 or args.workers > 1
    )

    rows = []
    with tempfile.TemporaryDirectory(prefix="api-load-") as tmp:
        deployment = Deployment(Path(tmp), args.database, chroma_server).start()
        try:
            for replicas in args.replicas:
                rows.append(measure(deployment, replicas, args))
        finally:
            deployment.close()

    mode = f"state in {args.database}, " + ("Chroma server" if chroma_server else "embedded Chroma")
    print(f"{mode}; {args.workers} uvicorn worker(s) per replica; {args.clients} clients")
    print("| " + " | ".join(rows[0]) + " |")
    print("| " + " | ".join("---" for _ in rows[0]) + " |")
    for row in rows:
        print("| " + " | ".join(row.values()) + " |")


if __name__ == "__main__":
    main()
