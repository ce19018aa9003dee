"""The API as a real uvicorn process on 127.0.0.1: for tests where a crash must not take pytest along."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Self

import httpx

from tests.fakes.chroma_server import free_port


class ApiProcess:
    """``uvicorn --factory kommunal.api:create_app`` with the given ``ASSISTANT_*`` environment."""

    def __init__(self, env: dict[str, str], log: Path, *, startup_timeout_s: float = 180.0) -> None:
        self.env = {**os.environ, **env}
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.startup_timeout_s = startup_timeout_s
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Self:
        command = [sys.executable, "-m", "uvicorn", "--factory", "kommunal.api:create_app"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(command, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            assert self.alive(), self.output()
            try:
                # /ready may take up to its own 30 s probe on a loaded machine; a shorter client timeout
                # would give up and start probe after probe.
                if httpx.get(self.url + "/api/v1/ready", timeout=60).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"API at {self.url} did not become ready: {self.output()}")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def stop(self) -> None:
        if self.alive():
            assert self.process is not None
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
