"""The app behind a real uvicorn on 127.0.0.1, in a thread of the test process."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from assistant.config import Settings
from kommunal.api import create_app
from tests.fakes.openai_server import unused_port


@contextmanager
def served_app(settings: Settings, *, startup_timeout_s: float = 60.0) -> Iterator[str]:
    """Serve ``create_app(settings)`` until the block ends; yields its base URL."""
    port = unused_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + startup_timeout_s
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
