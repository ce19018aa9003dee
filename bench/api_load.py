"""Load on the HTTP API: N concurrent clients asking questions for a fixed time.

    python bench/api_load.py [--clients 50] [--seconds 60] [--data-dir DIR --index-name NAME]
    python bench/api_load.py --chroma-server [--workers 2]     # server mode: chroma run + N API workers

Starts ``kommunal-assistant serve`` as a subprocess on a free 127.0.0.1 port over a private
copy of the sample-corpus index (the test cache in .cache/test-corpus-index, or corpus/
ingested into a temporary directory), creates an admin key (one key for all clients; reader keys would
see the same "oeffentlich" documents), and lets the clients POST /api/v1/ask in a loop,
each waiting for its answer before asking again. Prints throughput, p50/p95/p99 latency,
errors by kind and the server's RSS before and after. Only loopback traffic; stops by itself.

With ``--chroma-server`` it also starts a real ``chroma run`` on a free port, fills it from the
copied manifest with ``kommunal-assistant rebuild`` (vectors from the embedding cache, nothing
re-embedded) and serves with ``--workers N`` against it: the city-wide deployment.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mib(pid: int) -> float:
    """RSS of a process and its children (uvicorn's worker processes), in MiB."""
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1]) / 1024
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += rss_mib(int(child))
    return total


def start_chroma(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    process = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(workdir / "chroma-server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("chroma run did not start")


def prepare_index(args: argparse.Namespace, workdir: Path) -> tuple[Path, str]:
    if args.data_dir:
        return args.data_dir, args.index_name
    data_dir = workdir / "data"
    cached = ROOT / ".cache" / "test-corpus-index" / "corpus"
    if cached.exists():
        shutil.copytree(cached, data_dir / "corpus")
        return data_dir, "corpus"
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_INDEX_NAME": "corpus"}
    subprocess.run([sys.executable, "-m", "assistant", "ingest", str(ROOT / "corpus")], env=env, check=True)
    return data_dir, "corpus"


async def client_loop(
    client: httpx.AsyncClient, number: int, deadline: float, latencies: list[float], errors: Counter[str]
) -> None:
    i = number
    while time.monotonic() < deadline:
        question = QUESTIONS[i % len(QUESTIONS)]
        i += 1
        started = time.perf_counter()
        try:
            response = await client.post("/api/v1/ask", json={"question": question})
        except httpx.HTTPError as exc:
            errors[f"{type(exc).__name__}: {exc}"[:120]] += 1
            continue
        if response.status_code == 200:
            latencies.append(time.perf_counter() - started)
        else:
            errors[f"HTTP {response.status_code}"] += 1


async def run_load(
    url: str, token: str, clients: int, seconds: float
) -> tuple[list[float], Counter[str], float]:
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=url, headers={"X-API-Key": token}, timeout=120, limits=limits
    ) as client:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(client_loop(client, n, deadline, latencies, errors) for n in range(clients)))
        return latencies, errors, time.monotonic() - started


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return (
        statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--index-name", default="default")
    parser.add_argument("--chroma-server", action="store_true", help="server mode: chroma run + workers")
    parser.add_argument("--workers", type=int, default=2, help="API worker processes in server mode")
    args = parser.parse_args()
    chroma: subprocess.Popen[bytes] | None = None

    with tempfile.TemporaryDirectory(prefix="api-load-") as tmp:
        workdir = Path(tmp)
        data_dir, index_name = prepare_index(args, workdir)
        env = {
            **os.environ,
            "ASSISTANT_DATA_DIR": str(data_dir),
            "ASSISTANT_INDEX_NAME": index_name,
            "ASSISTANT_API_KEYS_FILE": str(workdir / "keys.sqlite3"),
            "ASSISTANT_API_RATE_LIMIT_PER_MINUTE": "0",  # one key for all clients: measure the service
        }
        serve_args = []
        if args.chroma_server:
            chroma, env["ASSISTANT_CHROMA_URL"] = start_chroma(workdir)
            subprocess.run(
                [sys.executable, "-m", "assistant", "rebuild"], env=env, check=True, capture_output=True
            )
            serve_args = ["--workers", str(args.workers)]
        created = subprocess.run(
            [sys.executable, "-m", "assistant", "keys", "create", "--name", "last", "--role", "admin"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        token = created.stdout.strip().splitlines()[-1]
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "assistant",
                "serve",
                "--port",
                str(port),
                "--log-level",
                "warning",
                *serve_args,
            ],
            env=env,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    if httpx.get(f"{url}/api/v1/ready", timeout=30).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("server did not become ready")
                time.sleep(0.5)
            httpx.post(
                f"{url}/api/v1/ask", json={"question": QUESTIONS[0]}, headers={"X-API-Key": token}, timeout=60
            )
            rss_before = rss_mib(server.pid)
            latencies, errors, took = asyncio.run(run_load(url, token, args.clients, args.seconds))
            rss_after = rss_mib(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
            if chroma is not None:
                chroma.terminate()
                chroma.wait(timeout=30)

    total = len(latencies) + sum(errors.values())
    mode = f"Chroma server, {args.workers} API workers" if args.chroma_server else "embedded, 1 API process"
    print(f"mode: {mode}; clients: {args.clients}, duration: {took:.1f} s, requests: {total}")
    print(f"throughput: {len(latencies) / took:.2f} answers/s")
    print(
        "latency (s): p50 {:.3f}  p95 {:.3f}  p99 {:.3f}  max {:.3f}".format(
            percentile(latencies, 50),
            percentile(latencies, 95),
            percentile(latencies, 99),
            max(latencies, default=float("nan")),
        )
    )
    print(f"errors: {sum(errors.values())} {dict(errors) if errors else ''}")
    print(f"server RSS: {rss_before:.0f} MiB before, {rss_after:.0f} MiB after")


if __name__ == "__main__":
    main()
