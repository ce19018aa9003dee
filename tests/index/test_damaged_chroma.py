"""A damaged chroma.sqlite3: every open, the CLI and /ready say in German what is wrong and the repair."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from assistant.errors import IndexUnavailableError
from assistant.index.chroma_store import ChromaStore
from kommunal.api import create_app

REPAIR = "python -m assistant rebuild"


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(64 * 1024))


def _truncated(path: Path) -> None:
    with path.open("r+b") as handle:  # the SQLite header survives, the pages do not
        handle.truncate(4096)


DAMAGES: dict[str, Callable[[Path], None]] = {"garbage": _garbage, "truncated": _truncated}


@pytest.fixture(params=sorted(DAMAGES))
def damaged(request: pytest.FixtureRequest, corpus_settings: Settings) -> Settings:
    DAMAGES[request.param](corpus_settings.index_dir / "chroma" / "chroma.sqlite3")
    return corpus_settings


def _says_damaged_and_how_to_repair(text: str) -> None:
    assert "chroma.sqlite3" in text and "beschädigt" in text, text
    assert REPAIR in text, text
    assert "bindings" not in text and "RustBindingsAPI" not in text, text


def test_every_open_in_one_process_names_the_damage(damaged: Settings) -> None:
    """The second open used to fail with "'RustBindingsAPI' object has no attribute 'bindings'"."""
    for _ in range(3):
        with pytest.raises(IndexUnavailableError) as caught:
            ChromaStore(damaged.index_dir / "chroma", "probe")
        _says_damaged_and_how_to_repair(caught.value.message)
        assert str(damaged.data_dir) not in caught.value.message  # /ready shows it without a key


@pytest.mark.parametrize("command", [["status"], ["search", "Glasfaserausbau"]], ids=" ".join)
def test_cli_names_the_damage_and_the_repair(damaged: Settings, command: list[str]) -> None:
    env = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(damaged.data_dir),
        "ASSISTANT_INDEX_NAME": damaged.index_name,
        "COLUMNS": "500",  # rich would wrap the message
    }
    done = subprocess.run(
        [sys.executable, "-m", "assistant", *command], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 3, done.stdout + done.stderr
    _says_damaged_and_how_to_repair(done.stdout + done.stderr)


def test_ready_names_the_damage_every_time(damaged: Settings) -> None:
    """Startup already failed to open the index; each /ready opens it again and must say why."""
    with TestClient(create_app(damaged.model_copy(update={"api_rate_limit_per_minute": 0}))) as client:
        for _ in range(2):
            ready = client.get("/api/v1/ready")
            assert ready.status_code == 503
            assert ready.json()["code"] == "not_ready"
            _says_damaged_and_how_to_repair(ready.json()["detail"])
        assert client.get("/api/v1/health").status_code == 200
