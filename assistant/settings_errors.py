"""German messages for invalid settings: which variable, what was given, what is allowed.

:class:`assistant.config.Settings` hands its pydantic ``ValidationError`` to
:func:`settings_error`; the allowed values are read from each field's type and constraints
(``ge``/``gt``/``le``/``lt``, ``Literal`` choices, list and tuple shapes), so a new setting
needs no message of its own.
"""

from __future__ import annotations

import json
import types
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, SecretStr, ValidationError
from pydantic.fields import FieldInfo

from assistant.errors import ConfigError

_BOUND_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}
_OWN_MESSAGE_ERRORS = {"value_error", "assertion_error"}  # a validator of ours said what is wrong
_BOUND_WORDS = (("ge", "mindestens"), ("gt", "größer als"), ("le", "höchstens"), ("lt", "kleiner als"))
_COMPLEX_ORIGINS = (list, tuple, set, frozenset, dict)


def settings_error(
    exc: ValidationError, model: type[BaseModel], *, env_prefix: str, given: Collection[str] = ()
) -> ConfigError:
    """One ConfigError naming every invalid setting: its ``ASSISTANT_…`` variable (or its field
    name if it was passed as ``given`` keyword), the value and what is allowed."""
    problems: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        name = str(error["loc"][0]) if error["loc"] else ""
        field = model.model_fields.get(name)
        if field is None or name in problems:  # one line per setting, the first error explains it
            continue
        label = name if name in given else env_name(name, field, env_prefix)
        value = "" if _is_secret(field.annotation) or len(error["loc"]) > 1 else _shown(error["input"])
        problems[name] = f"{label}{value}: {_what_is_wrong(error, field)}."
    if not problems:
        return ConfigError(f"Ungültige Einstellungen: {exc}")
    if len(problems) == 1:
        return ConfigError(f"Ungültige Einstellung {next(iter(problems.values()))}")
    return ConfigError("Ungültige Einstellungen:\n" + "\n".join(f"  {p}" for p in problems.values()))


def env_name(name: str, field: FieldInfo, env_prefix: str) -> str:
    """The environment variable of a field (``ASSISTANT_DATA_DIR`` for ``data_dir``)."""
    alias = field.validation_alias if isinstance(field.validation_alias, str) else field.alias
    return (alias or f"{env_prefix}{name}").upper()


def is_complex(field: FieldInfo) -> bool:
    """Whether an environment value of this field is written as JSON (lists, tuples, mappings)."""
    return any(get_origin(t) in _COMPLEX_ORIGINS or t in _COMPLEX_ORIGINS for t in _members(field.annotation))


def _what_is_wrong(error: Any, field: FieldInfo) -> str:
    kind = error["type"]
    if kind in _OWN_MESSAGE_ERRORS and "error" in error.get("ctx", {}):
        return str(error["ctx"]["error"])
    if kind in _BOUND_ERRORS:
        return f"der Wert muss {_bounds(field) or _bounds_from(error.get('ctx', {}))} sein"
    expected = _expected(field)
    if expected is None:
        return f"der Wert ist ungültig ({error['msg']})"
    noun, detail = expected
    return f"der Wert muss {noun} sein" + (f", {detail}" if detail else "")


def _expected(field: FieldInfo) -> tuple[str, str] | None:
    """What the field accepts, in German: a noun phrase and details (bounds, an example)."""
    members = _members(field.annotation)
    if len(members) != 1:
        return None
    annotation = members[0]
    origin = get_origin(annotation)
    bounds = _bounds(field)
    if origin is Literal:
        return _either([repr(choice) for choice in get_args(annotation)]), ""
    if annotation is bool:
        return "true oder false", ""
    if annotation is int:
        return "eine ganze Zahl", bounds
    if annotation is float:
        return "eine Zahl", ", ".join(filter(None, (bounds, "mit Dezimalpunkt (z. B. 0.5)")))
    if annotation in (str, SecretStr):
        return "eine Zeichenkette", ""
    if annotation is Path:
        return "ein Dateipfad", ""
    if origin in (list, tuple, set, frozenset):
        return _json_list(annotation, field.get_default(call_default_factory=True))
    return None


def _json_list(annotation: Any, default: Any) -> tuple[str, str]:
    items = get_args(annotation)
    fixed = get_origin(annotation) is tuple and bool(items) and Ellipsis not in items
    noun = {str: "Zeichenketten", float: "Zahlen", int: "ganzen Zahlen"}.get(items[0]) if items else None
    shape = f" aus {len(items)} {noun or 'Werten'}" if fixed else (f" von {noun}" if noun else "")
    example = list(default) if isinstance(default, Sequence) and default else ["a", "b"]
    return f"eine JSON-Liste{shape}", f"z. B. {json.dumps(example, ensure_ascii=False)}"


def _bounds(field: FieldInfo) -> str:
    limits: dict[str, Any] = {}
    for constraint in field.metadata:
        for key, _ in _BOUND_WORDS:
            if getattr(constraint, key, None) is not None:
                limits[key] = getattr(constraint, key)
    return _bounds_from(limits)


def _bounds_from(limits: dict[str, Any]) -> str:
    return " und ".join(f"{word} {_number(limits[key])}" for key, word in _BOUND_WORDS if key in limits)


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _either(choices: list[str]) -> str:
    return choices[0] if len(choices) == 1 else f"{', '.join(choices[:-1])} oder {choices[-1]}"


def _members(annotation: Any) -> list[Any]:
    """The types of an annotation without ``None`` (``Path | None`` -> ``[Path]``)."""
    if get_origin(annotation) in (Union, types.UnionType):
        return [t for t in get_args(annotation) if t is not type(None)]
    return [annotation]


def _is_secret(annotation: Any) -> bool:
    return SecretStr in _members(annotation)


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"={value!r}"
    try:
        return f"={json.dumps(value, ensure_ascii=False, default=str)}"
    except ValueError:
        return ""
