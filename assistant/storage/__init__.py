"""Shared state behind one interface: SQLite files by default, PostgreSQL for several hosts.

``open_database(settings, sqlite_path, area=…)`` returns the store a component uses: with
``ASSISTANT_DATABASE_URL`` unset, the SQLite file at ``sqlite_path`` (today's layout in the data
directory); with ``postgresql://…``, that server, the manifest of each index in its own schema.
"""

from __future__ import annotations

from pathlib import Path

from assistant.config import Settings
from assistant.storage.database import Database, Result, Transaction
from assistant.storage.sqlite import SqliteDatabase

__all__ = [
    "Database",
    "Result",
    "SqliteDatabase",
    "Transaction",
    "as_database",
    "index_schema",
    "open_database",
]


def as_database(where: Path | Database) -> Database:
    """``where`` itself when it is a database, else the SQLite file at that path."""
    return SqliteDatabase(where) if isinstance(where, Path) else where


def index_schema(index_name: str) -> str:
    """The PostgreSQL schema of one index's manifest."""
    return f"manifest_{index_name}"


def open_database(
    settings: Settings, sqlite_path: Path, *, schema: str = "public", purpose: str = ""
) -> Database:
    """The database for one store: PostgreSQL when configured, else the SQLite file."""
    if settings.database_url:
        from assistant.storage.postgres import PostgresDatabase

        application = f"kommunal-assistant {purpose}".strip()
        return PostgresDatabase(
            settings.database_url.get_secret_value(), schema=schema, application=application
        )
    return SqliteDatabase(sqlite_path)
