"""One logging setup for every entry point: the CLI, the HTTP API (``serve``) and the Slack bot.

Standard-library logging with two formats on stderr, both with a UTC timestamp:

- ``text``: ``2026-12-02T10:15:03.412Z INFO kommunal.api.requests: request method=POST …``;
- ``json``: one JSON object per line with ``time``, ``level``, ``logger``, ``message``, the
  record's key/value extras (``logger.info("request", extra={"status": 200})``) and
  ``exception`` when there is a traceback.

:func:`logging_config` returns a :func:`logging.config.dictConfig` dictionary; the same
dictionary goes to ``uvicorn.run(log_config=…)``, so uvicorn's own loggers (which it
configures in every worker process) write in the same format. structlog is not used: the
standard library with a small formatter covers key/value extras, and third-party loggers
(uvicorn, chromadb, httpx) reach the same handler without an adapter.
"""

from __future__ import annotations

import json
import logging
import logging.config
import sys
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["text", "json"]
LOG_FORMATS: tuple[LogFormat, ...] = ("text", "json")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")

# Attributes every LogRecord has; anything else on a record came in through ``extra=``
# (except uvicorn's ``color_message``, the message again with terminal colours).
_RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys()
    | {"message", "asctime", "taskName", "color_message"}
)
# Loggers of uvicorn: without handlers of their own they propagate to the root handler.
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")

_active: dict[str, Any] | None = None


def extras(record: logging.LogRecord) -> dict[str, Any]:
    """The key/value pairs passed to a log call through ``extra=``."""
    return {k: v for k, v in record.__dict__.items() if k not in _RECORD_ATTRIBUTES and not k.startswith("_")}


def timestamp(record: logging.LogRecord) -> str:
    """The record's time as ISO 8601 in UTC with milliseconds (``2026-12-02T10:15:03.412Z``)."""
    moment = datetime.fromtimestamp(record.created, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{int(record.msecs):03d}Z"


class TextFormatter(logging.Formatter):
    """``<time> <LEVEL> <logger>: <message> key=value …`` (extras appended in call order)."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{timestamp(record)} {record.levelname} {record.name}: {record.getMessage()}"
        pairs = " ".join(f"{key}={value}" for key, value in extras(record).items())
        if pairs:
            line += " " + pairs
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": timestamp(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in extras(record).items():
            data.setdefault(key, value)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        # default=str: an extra that JSON cannot represent (a Path, an exception) is still logged.
        return json.dumps(data, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record is emitted, not when it was configured:
    rich's progress display, click's test runner and pytest replace it for a while."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass  # always the current sys.stderr


def level_for(configured: str | None, *, verbose: bool = False, service: bool = False) -> str:
    """The root level: ``configured`` (``ASSISTANT_LOG_LEVEL``) if set, else INFO for services
    (``serve``, ``slack``) and WARNING for commands; ``-v`` lowers it to at least INFO."""
    level = (configured or ("INFO" if service else "WARNING")).upper()
    if verbose and logging.getLevelName(level) > logging.INFO:
        level = "INFO"
    return level


def logging_config(level: str = "WARNING", fmt: LogFormat = "text") -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` dictionary: one stderr handler on the root logger."""
    if fmt not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {', '.join(LOG_FORMATS)}, not {fmt!r}")
    formatter = JsonFormatter if fmt == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": {"()": f"{formatter.__module__}.{formatter.__qualname__}"}},
        "handlers": {
            # The level on the handler too: libraries that set their own logger to DEBUG (bm25s
            # does) would otherwise pass the root's level by.
            "default": {
                "class": f"{StderrHandler.__module__}.StderrHandler",
                "formatter": "default",
                "level": level.upper(),
            }
        },
        "root": {"handlers": ["default"], "level": level.upper()},
        # Reset uvicorn's loggers (its default config gives them handlers and propagate=False).
        "loggers": {name: {"handlers": [], "propagate": True} for name in _UVICORN_LOGGERS},
    }


def configure_logging(level: str = "WARNING", fmt: LogFormat = "text") -> dict[str, Any]:
    """Apply :func:`logging_config` and return it (for ``uvicorn.run(log_config=…)``)."""
    global _active
    config = logging_config(level, fmt)
    logging.config.dictConfig(config)
    _active = config
    return config


def active_config() -> dict[str, Any]:
    """The configuration last applied by :func:`configure_logging` (the default when none was)."""
    return _active if _active is not None else logging_config()
