"""Running a command's work against the opened assistant, failing with the German message and exit code."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from assistant.config import get_settings
from assistant.errors import AssistantError
from assistant.service import Assistant
from kommunal.cli.output import fail

R = TypeVar("R")


def with_assistant(purpose: str, as_json: bool, work: Callable[[Assistant], R], *, write: bool = False) -> R:
    """``work(assistant)`` on the settings' index (the writer lock with ``write``); an
    :class:`AssistantError` ends the command with its message (or JSON error) and exit code."""
    try:
        with Assistant.open(get_settings(), write=write, purpose=purpose) as assistant:
            return work(assistant)
    except AssistantError as exc:
        raise fail(exc, as_json) from exc
