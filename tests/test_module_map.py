"""docs/modules.md lists every package module with its purpose; no module grows past 300 lines."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

REPO_ROOT = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 300


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("module_map", REPO_ROOT / "tools" / "module_map.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_module_says_what_it_is_for() -> None:
    assert _load_tool().undocumented() == []


def test_module_map_is_up_to_date() -> None:
    tool = _load_tool()
    assert tool.TARGET.read_text(encoding="utf-8") == tool.render(), (
        "docs/modules.md is stale: run python tools/module_map.py"
    )


def test_no_package_module_is_longer_than_the_limit() -> None:
    tool = _load_tool()
    long = [
        f"{path} ({lines} lines)"
        for package in tool.PACKAGES
        for path, lines, _ in tool.modules(package)
        if lines > MAX_MODULE_LINES
    ]
    assert long == [], f"split these along their seams: {long}"
