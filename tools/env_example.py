"""Write .env.example from the Settings class: every setting, its default and what it does.

    python tools/env_example.py           # rewrite .env.example
    python tools/env_example.py --check   # exit 1 when .env.example is not what Settings says

Every assignment is commented out, so a copy saved as ``.env`` changes nothing until a line is
uncommented: a blank line such as ``ASSISTANT_CHROMA_URL=`` would set an empty string, not
"unset". Secrets are always left blank.
"""

from __future__ import annotations

import json
import sys
import textwrap
import typing
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from pydantic.fields import FieldInfo

REPO_ROOT = Path(__file__).resolve().parents[1]
TARGET = REPO_ROOT / ".env.example"
WIDTH = 100

HEADER = """\
# Settings of the Kommunal-Assistent, generated from assistant/config.py by
# tools/env_example.py (do not edit by hand; rerun the script after changing Settings).
# Copy to .env (or set the variables in the environment) and uncomment what you change;
# each commented assignment shows the default. Lists and pairs are JSON.
"""

_BOUNDS = {"ge": ">=", "gt": ">", "le": "<=", "lt": "<"}  # annotated_types' names for Field(ge=…)


def _is_secret(field: FieldInfo) -> bool:
    annotation = field.annotation
    return annotation is SecretStr or SecretStr in typing.get_args(annotation)


def _env_value(value: Any) -> str:
    """A default written the way the settings parser reads it back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)
    return str(value)


def _constraints(field: FieldInfo) -> list[str]:
    notes = []
    allowed = [arg for arg in typing.get_args(field.annotation) if isinstance(arg, str)]
    if typing.get_origin(field.annotation) is typing.Literal and allowed:
        notes.append(" | ".join(allowed))
    for item in field.metadata:
        for attribute, symbol in _BOUNDS.items():
            if (bound := getattr(item, attribute, None)) is not None:
                notes.append(f"{symbol} {bound}")
    return notes


def render() -> str:
    """The text of .env.example for the current Settings class."""
    from assistant.config import Settings

    prefix = Settings.model_config.get("env_prefix", "")
    blocks = [HEADER]
    for name, field in Settings.model_fields.items():
        lines = textwrap.wrap(field.description or "(undocumented)", WIDTH - 2)
        notes = _constraints(field)
        if notes:
            lines.append("Allowed: " + ", ".join(notes))
        default = field.get_default(call_default_factory=True)
        if _is_secret(field):
            lines.append("Secret: keep it out of version control.")
            value = ""
        else:
            value = _env_value(default)
            if default is None:
                lines.append("Default: unset")
        blocks.append("\n".join(f"# {line}" for line in lines) + f"\n# {prefix}{name.upper()}={value}\n")
    return "\n".join(blocks)


def main(argv: list[str]) -> int:
    """Write .env.example, or with ``--check`` report whether it is up to date."""
    text = render()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            sys.stderr.write(".env.example is out of date: run python tools/env_example.py\n")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO_ROOT))
    raise SystemExit(main(sys.argv[1:]))
