"""Release hygiene: one version everywhere, a complete .env.example, every run-time import declared."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement

import assistant
from assistant.config import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SHIPPED = ("assistant", "ingestion", "bots", "evals", "kommunal")  # pyproject's packages.find
DISTRIBUTION = "kommunal-assistant"


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


# Version


def test_pyproject_is_the_one_version_source() -> None:
    """The installed metadata (what __version__ reads) is pyproject's version: a stale install fails."""
    assert importlib.metadata.version(DISTRIBUTION) == PYPROJECT["project"]["version"]
    assert assistant.__version__ == PYPROJECT["project"]["version"]


def test_cli_version_equals_the_api_version(tmp_path: Path) -> None:
    from kommunal.api import create_app

    done = subprocess.run(
        [sys.executable, "-m", "assistant", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,  # no .env of the working tree
        check=True,
    )
    app = create_app(Settings(data_dir=tmp_path / "data"))
    try:
        assert done.stdout.strip() == app.openapi()["info"]["version"] == assistant.__version__
    finally:
        app.state.runtime.close()


# .env.example


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("env_example", REPO_ROOT / "tools" / "env_example.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ENV_EXAMPLE = REPO_ROOT / ".env.example"
ASSIGNMENT = re.compile(r"^# (ASSISTANT_[A-Z0-9_]+)=(.*)$", re.MULTILINE)


def _example_values() -> dict[str, str]:
    return dict(ASSIGNMENT.findall(ENV_EXAMPLE.read_text(encoding="utf-8")))


def _env_name(field: str) -> str:
    return f"{Settings.model_config.get('env_prefix', '')}{field.upper()}"


def test_env_example_names_every_setting() -> None:
    named = _example_values()
    missing = [_env_name(field) for field in Settings.model_fields if _env_name(field) not in named]
    assert not missing, f"missing from .env.example: {missing}; run python tools/env_example.py"
    unknown = sorted(set(named) - {_env_name(field) for field in Settings.model_fields})
    assert not unknown, f"in .env.example but no setting: {unknown}; run python tools/env_example.py"


def test_env_example_is_up_to_date() -> None:
    assert ENV_EXAMPLE.read_text(encoding="utf-8") == _load_tool().render(), (
        ".env.example is stale: run python tools/env_example.py"
    )


def test_every_setting_is_documented() -> None:
    undocumented = [name for name, field in Settings.model_fields.items() if not field.description]
    assert not undocumented, f"settings without a description (Field(description=...)): {undocumented}"


def test_env_example_leaves_secrets_blank() -> None:
    values = _example_values()
    tool = _load_tool()
    secrets = [name for name, field in Settings.model_fields.items() if tool._is_secret(field)]
    assert secrets  # the check would be empty otherwise
    assert all(values[_env_name(name)] == "" for name in secrets)


def test_env_example_defaults_read_back_as_the_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Uncommenting every line that has a value changes nothing: the defaults are written in the
    syntax the settings parser reads (JSON lists, true/false)."""
    for name in [n for n in os.environ if n.startswith("ASSISTANT_")]:
        monkeypatch.delenv(name)
    env_file = tmp_path / ".env"
    env_file.write_text(
        "".join(f"{name}={value}\n" for name, value in _example_values().items() if value),
        encoding="utf-8",
    )
    assert Settings(_env_file=env_file).model_dump() == Settings(_env_file=None).model_dump()


# Dependencies


@dataclass(frozen=True)
class Import:
    module: str  # top-level name
    where: str  # path:line
    optional: bool  # inside try/except ImportError: an optional extra with an install hint


def _catches_import_error(node: ast.Try) -> bool:
    names = {"ImportError", "ModuleNotFoundError"}
    for handler in node.handlers:
        caught = handler.type
        kinds = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        if any(isinstance(kind, ast.Name) and kind.id in names for kind in kinds):
            return True
    return False


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(nodes: Iterable[ast.AST], where: str, optional: bool = False) -> Iterator[Import]:
    """Absolute imports at any depth (module, class, function), except under ``if TYPE_CHECKING``."""
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name.split(".")[0], f"{where}:{node.lineno}", optional)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                yield Import(node.module.split(".")[0], f"{where}:{node.lineno}", optional)
        elif isinstance(node, ast.If) and _is_type_checking(node):
            yield from _imports(node.orelse, where, optional)
        elif isinstance(node, ast.Try) and _catches_import_error(node):
            yield from _imports(node.body, where, True)
            yield from _imports([*node.handlers, *node.orelse, *node.finalbody], where, optional)
        else:
            yield from _imports(ast.iter_child_nodes(node), where, optional)


def _third_party_imports(roots: list[Path]) -> list[Import]:
    found = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            where = str(path.relative_to(root.parent))
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=where)
            found += [
                i
                for i in _imports([tree], where)
                if i.module not in sys.stdlib_module_names and i.module not in SHIPPED
            ]
    return found


def _declared(extras: bool) -> set[str]:
    project = PYPROJECT["project"]
    requirements = list(project["dependencies"])
    if extras:  # optional features; dev tools never count
        requirements += [
            r for extra, rs in project.get("optional-dependencies", {}).items() if extra != "dev" for r in rs
        ]
    return {_normalise(Requirement(r).name) for r in requirements}


def undeclared_imports(roots: list[Path]) -> list[str]:
    """Run-time imports of ``roots`` whose distribution pyproject does not declare."""
    distributions = importlib.metadata.packages_distributions()
    required, optional = _declared(extras=False), _declared(extras=True)
    problems = []
    for found in _third_party_imports(roots):
        names = {_normalise(d) for d in distributions.get(found.module, [])}
        if not names:
            if not found.optional:
                problems.append(f"{found.where}: {found.module} is not installed and not declared")
        elif not names & (optional if found.optional else required):
            problems.append(f"{found.where}: {found.module} comes from {sorted(names)}, not in dependencies")
    return problems


def test_every_runtime_import_is_a_declared_dependency() -> None:
    problems = undeclared_imports([REPO_ROOT / package for package in SHIPPED])
    assert not problems, "\n".join(problems)


def test_an_undeclared_import_fails_the_check(tmp_path: Path) -> None:
    """The check bites: a dev-only tool imported at run time, even inside a function, is reported;
    a guarded optional import of something not installed is not."""
    package = tmp_path / "assistant"
    package.mkdir()
    (package / "mod.py").write_text(
        "import json\n"
        "import numpy\n"
        "from . import sibling\n"
        "def f():\n"
        "    import schemathesis\n"
        "    try:\n"
        "        import not_installed_ocr_engine\n"
        "    except ImportError:\n"
        "        pass\n",
        encoding="utf-8",
    )
    problems = undeclared_imports([package])
    assert len(problems) == 1 and "schemathesis" in problems[0] and "mod.py:5" in problems[0], problems


def test_installed_versions_meet_the_declared_bounds() -> None:
    """The bounds in pyproject hold for the environment the tests run in."""
    failing = []
    for text in PYPROJECT["project"]["dependencies"]:
        requirement = Requirement(text)
        installed = importlib.metadata.version(requirement.name)
        if not requirement.specifier.contains(installed, prereleases=True):
            failing.append(f"{text} (installed {installed})")
    assert not failing, failing
