"""The servers behind ``bench/api_load.py``: Chroma, PostgreSQL, the shared state, N API processes.

A deployment is one of three shapes:

- embedded: one API process over a private copy of the sample-corpus index (SQLite + embedded
  Chroma in its data directory), the single-machine default;
- SQLite + ``chroma run``: every API process shares one data directory (the manifest and keys
  in SQLite there, a file lock for writers) and the Chroma server — scale-out on one host;
- PostgreSQL + ``chroma run``: every API process has its own empty data directory and nothing
  is shared but the two servers — the several-hosts deployment of docs/deployment.md.

The state is moved the way the two-replica test moves it: the cached test index's manifest
through a backup file into PostgreSQL, its vectors into Chroma from the embedding cache
(nothing is re-embedded). PostgreSQL is the throwaway cluster of ``tests/fakes/postgres.py``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as ``python bench/api_load.py``: make tests.fakes importable
    sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.embeddings import create_embedder  # noqa: E402
from assistant.index import Index  # noqa: E402
from assistant.index.maintenance import rebuild_index  # noqa: E402
from assistant.index.manifest import Manifest  # noqa: E402
from kommunal.api.keys import KeyStore  # noqa: E402
from tests.fakes.chroma_server import ChromaServer, free_port  # noqa: E402
from tests.fakes.postgres import PostgresCluster  # noqa: E402

INDEX_NAME = "corpus"


def corpus_index(workdir: Path) -> Path:
    """A private data directory holding the sample corpus index (the test cache, or corpus/ ingested)."""
    data_dir = workdir / "source"
    cached = ROOT / ".cache" / "test-corpus-index" / INDEX_NAME
    if cached.exists():
        shutil.copytree(cached, data_dir / INDEX_NAME)
        return data_dir
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_INDEX_NAME": INDEX_NAME}
    subprocess.run([sys.executable, "-m", "kommunal", "ingest", str(ROOT / "corpus")], env=env, check=True)
    return data_dir


@dataclass
class Deployment:
    """The servers and the shared state every API replica of one run uses."""

    workdir: Path
    database: str
    chroma_server: bool
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    chroma_url: str | None = None
    database_url: str | None = None
    data_dir: Path | None = None
    token: str = ""

    def start(self) -> Deployment:
        """Start the servers, move the corpus index into them and create one admin key."""
        source = corpus_index(self.workdir)
        self.data_dir = source  # embedded and SQLite: the replicas share this directory
        if self.chroma_server:
            chroma = ChromaServer(self.workdir / "chroma-server").start()
            self.stack.callback(chroma.stop)
            self.chroma_url = chroma.url
        if self.database == "postgres":
            cluster = PostgresCluster().start()
            self.stack.callback(cluster.stop)
            self.database_url = cluster.create_database()
            self.data_dir = None
        settings = self.settings(self.workdir / "mover" if self.data_dir is None else self.data_dir)
        if self.database_url:
            copy = self.workdir / "manifest-copy.sqlite"
            manifest = Manifest(source / INDEX_NAME / "manifest.sqlite")
            manifest.backup_to(copy)
            manifest.close()
            target = Manifest.for_settings(settings)
            target.restore_from(copy)
            target.close()
        if self.chroma_url:
            with Index(settings, create_embedder(settings), write=True, discard_vectors=True) as index:
                rebuild_index(index)
        _, self.token = KeyStore.for_settings(settings).create("last", "admin")
        return self

    def settings(self, data_dir: Path) -> Settings:
        return Settings(
            data_dir=data_dir,
            index_name=INDEX_NAME,
            chroma_url=self.chroma_url,
            database_url=self.database_url,
        )

    def replica_env(self, number: int) -> dict[str, str]:
        """The environment of API replica ``number``: its own data directory only with PostgreSQL."""
        data_dir = self.data_dir or self.workdir / f"replica-{number}"
        env = {
            **os.environ,
            "ASSISTANT_DATA_DIR": str(data_dir),
            "ASSISTANT_INDEX_NAME": INDEX_NAME,
            "ASSISTANT_API_RATE_LIMIT_PER_MINUTE": "0",  # one key for all clients: measure the service
        }
        if self.chroma_url:
            env["ASSISTANT_CHROMA_URL"] = self.chroma_url
        if self.database_url:
            env["ASSISTANT_DATABASE_URL"] = self.database_url
        return env

    def connections(self) -> int | None:
        """Open PostgreSQL connections of the API processes (None without PostgreSQL)."""
        if not self.database_url:
            return None
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as db:
            row = db.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend' "
                "AND pid <> pg_backend_pid()"
            ).fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.stack.close()


class ApiReplicas:
    """N ``kommunal serve`` processes, each on its own 127.0.0.1 port; a context manager."""

    def __init__(self, deployment: Deployment, count: int, workers: int = 1) -> None:
        self.deployment, self.count, self.workers = deployment, count, workers
        self.processes: list[subprocess.Popen[bytes]] = []
        self.urls: list[str] = []

    def __enter__(self) -> ApiReplicas:
        for number in range(self.count):
            port = free_port()
            command = [sys.executable, "-m", "kommunal", "serve", "--port", str(port)]
            command += ["--log-level", "warning", "--workers", str(self.workers)]
            log = (self.deployment.workdir / f"replica-{number}.log").open("ab")
            env = self.deployment.replica_env(number)
            self.processes.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT))
            log.close()
            self.urls.append(f"http://127.0.0.1:{port}")
        for process, url in zip(self.processes, self.urls, strict=True):
            wait_ready(process, url)
        return self

    def __exit__(self, *exc_info: object) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def wait_ready(process: subprocess.Popen[bytes], url: str, timeout_s: float = 180.0) -> None:
    """Poll ``/api/v1/ready`` (its probe may take 30 s on a loaded machine) until it answers 200."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if httpx.get(f"{url}/api/v1/ready", timeout=60).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"API replica at {url} did not become ready (log in the work directory)")
        time.sleep(0.5)


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
