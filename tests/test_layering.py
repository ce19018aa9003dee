"""The core imports no edge: every module of ``assistant/`` loads without ingestion, bots, evals,
the delivery package or the web/chat/CLI frameworks (STYLE.md, issue 16)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
CORE = REPO_ROOT / "assistant"
FORBIDDEN = (
    *("ingestion", "bots", "evals", "kommunal"),  # the edges and the delivery package
    *("fastapi", "starlette", "slack_bolt", "typer", "uvicorn"),  # their frameworks
)
# The one allowed door from the core to the delivery: ``python -m assistant`` runs the CLI.
ENTRY_POINTS = {"assistant.__main__"}

_PROBE = """
import importlib, json, sys
modules = json.loads(sys.argv[1])
forbidden = tuple(json.loads(sys.argv[2]))
found = {}
for name in modules:
    before = set(sys.modules)
    importlib.import_module(name)
    for loaded in set(sys.modules) - before:
        if loaded.split(".")[0] in forbidden:
            found.setdefault(name, []).append(loaded)
print(json.dumps(found))
"""


def core_modules() -> list[str]:
    """Every importable module of the core package, by dotted name."""
    names = []
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(REPO_ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        name = ".".join(parts)
        if name not in ENTRY_POINTS:
            names.append(name)
    return names


def edge_imports(modules: list[str]) -> dict[str, list[str]]:
    """For each module whose import (in a fresh interpreter) loads a forbidden package, those modules."""
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(modules), json.dumps(FORBIDDEN)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_core_imports_no_edge() -> None:
    modules = core_modules()
    assert "assistant.service" in modules and len(modules) > 50
    offenders = edge_imports(modules)
    assert not offenders, "core modules that load edge packages:\n" + "\n".join(
        f"{name}: {', '.join(sorted(loaded)[:5])}" for name, loaded in offenders.items()
    )


def test_the_probe_sees_an_edge_import(tmp_path: Path) -> None:
    """The check can fail: a module that imports the delivery package is reported."""
    package = tmp_path / "probe_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("import kommunal.cli.output\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(["probe_pkg"]), json.dumps(FORBIDDEN)],
        cwd=REPO_ROOT,
        env={"PYTHONPATH": f"{tmp_path}:{REPO_ROOT}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert "kommunal.cli.output" in found["probe_pkg"] and "typer" in found["probe_pkg"]


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_the_entry_point_is_thin(entry: str) -> None:
    source = (REPO_ROOT / Path(*entry.split("."))).with_suffix(".py").read_text(encoding="utf-8")
    assert len(source.splitlines()) <= 10
