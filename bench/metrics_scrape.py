"""What logs and metrics cost per request, and how long a /metrics scrape takes.

    python bench/metrics_scrape.py [--requests 500] [--scrapes 50]

Runs the real app in-process (``fastapi.testclient``) over a private copy of the sample-corpus
index (the test cache in .cache/test-corpus-index; run the API tests once to create it), with
the access line going to a JSON handler on /dev/null as under ``serve --log-format json``.
Prints p50/p95 of ``GET /api/v1/health`` (the cheapest route: the middleware, one metrics
observation and one log line are most of its time) and of ``GET /metrics`` with an admin key,
and the size of the exposition after the requests.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = REPO_ROOT / ".cache" / "test-corpus-index" / "corpus"


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def timed(call, n: int) -> list[float]:  # noqa: ANN001 - a zero-argument callable
    out = []
    for _ in range(n):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--scrapes", type=int, default=50)
    args = parser.parse_args()
    if not TEMPLATE.is_dir():
        raise SystemExit(f"{TEMPLATE} fehlt: einmal die API-Tests laufen lassen.")

    from fastapi.testclient import TestClient

    from assistant.config import Settings
    from assistant.logging_setup import configure_logging
    from kommunal.api import create_app
    from kommunal.api.keys import KeyStore

    with tempfile.TemporaryDirectory() as tmp, open(os.devnull, "w") as devnull:
        shutil.copytree(TEMPLATE, Path(tmp) / "corpus")
        settings = Settings(data_dir=Path(tmp), index_name="corpus", api_rate_limit_per_minute=0)
        admin = KeyStore(settings.api_keys_path).create("bench", "admin")[1]
        configure_logging("INFO", "json")
        real_stderr, sys.stderr = sys.stderr, devnull  # the handler writes to the current stderr
        try:
            with TestClient(create_app(settings)) as client:
                health = timed(lambda: client.get("/api/v1/health"), args.requests)
                headers = {"X-API-Key": admin}
                scrapes = timed(lambda: client.get("/metrics", headers=headers), args.scrapes)
                size = len(client.get("/metrics", headers=headers).content)
        finally:
            sys.stderr = real_stderr
    print(f"GET /api/v1/health x{args.requests}: {percentiles(health)}")
    print(f"GET /metrics x{args.scrapes}: {percentiles(scrapes)}; exposition {size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
