"""The HTTP API (FastAPI): ``create_app(settings)``; started with ``kommunal-assistant serve``.

FastAPI is imported only when an app is created, so the CLI's key commands stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from assistant.config import Settings

__all__ = ["create_app"]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API for ``settings`` (default: from the environment); see :mod:`kommunal.api.app`."""
    from kommunal.api.app import create_app as _create_app

    return _create_app(settings)
