"""A real Chroma server (``chroma run``) on 127.0.0.1 and a free port, for server-mode tests.

Not a fake: the same binary a deployment runs. It lives beside the fakes because it is a
local peer the tests start, stop, kill (SIGKILL) and freeze (SIGSTOP) at will.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

CHROMA = Path(sys.executable).with_name("chroma")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ChromaServer:
    """``chroma run --path DIR`` with start/stop/kill/pause; the port stays the same across restarts."""

    def __init__(self, path: Path, *, port: int | None = None, startup_timeout_s: float = 60.0) -> None:
        self.path = path
        self.port = port or free_port()
        self.startup_timeout_s = startup_timeout_s
        self.log_path = path.with_name(path.name + ".log")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ChromaServer:
        """Start the server and wait until its heartbeat answers."""
        if not CHROMA.exists():
            raise RuntimeError(f"chroma CLI not found at {CHROMA} (installed with chromadb)")
        self.path.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"},
        )
        log.close()
        deadline = time.monotonic() + self.startup_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chroma run exited with {self.process.returncode}; see {self.log_path}")
            if self.alive():
                return self
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(
            f"chroma run gave no heartbeat within {self.startup_timeout_s} s; see {self.log_path}"
        )

    def alive(self) -> bool:
        try:
            return httpx.get(self.url + "/api/v2/heartbeat", timeout=1.0).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        """Graceful shutdown (SIGTERM), SIGKILL if it does not go."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.resume()
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(15)
        self.process = None

    def kill(self) -> None:
        """SIGKILL: the server dies without flushing anything."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(15)
        self.process = None

    def pause(self) -> None:
        """SIGSTOP: the port stays open but nothing answers (a hung server)."""
        if self.process is not None:
            self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)

    def restart(self) -> ChromaServer:
        self.stop()
        return self.start()

    def __enter__(self) -> ChromaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
