"""PostgreSQL for the shared state of replicas on several hosts (``ASSISTANT_DATABASE_URL``).

psycopg 3 rather than SQLAlchemy Core: the stores need a handful of plain statements that
SQLite and PostgreSQL spell alike (``?`` becomes ``%s``, ``BLOB`` becomes ``BYTEA``), session
advisory locks and ``SET search_path``, all of which psycopg gives directly. SQLAlchemy would add
a second abstraction over the stdlib ``sqlite3`` the embedded default keeps using, and a
dependency of its own, without removing a single dialect difference we have.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from assistant.errors import IndexUnavailableError
from assistant.storage.database import Database

CONNECT_TIMEOUT_S = 10


class PostgresDatabase(Database):
    """One PostgreSQL database; ``schema`` (created on first use) keeps one index's tables apart."""

    dialect = "postgres"

    def __init__(self, url: str, *, schema: str = "public", application: str = "kommunal-assistant") -> None:
        super().__init__()
        try:
            import psycopg
        except ImportError as exc:  # pragma: no cover - a declared dependency
            raise RuntimeError("PostgreSQL needs psycopg: pip install 'psycopg[binary]'") from exc
        self._psycopg = psycopg
        self.url = url
        self.schema = schema
        self.application = application
        self.description = redact(url)
        if schema != "public":
            with self.transaction() as tx:
                tx.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_identifier(schema)}")

    def _connect(self) -> Any:
        try:
            connection = self._psycopg.connect(
                self.url,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT_S,
                application_name=self.application[:63],
            )
        except self._psycopg.OperationalError as exc:
            raise IndexUnavailableError(
                f"Die Datenbank {self.description} ist nicht erreichbar ({exc}). "
                "Prüfen Sie ASSISTANT_DATABASE_URL und ob der PostgreSQL-Server läuft."
            ) from exc
        if self.schema != "public":
            connection.execute(f"SET search_path TO {quote_identifier(self.schema)}, public")
        return connection

    @property
    def integrity_errors(self) -> tuple[type[Exception], ...]:
        return (self._psycopg.IntegrityError,)

    def _usable(self, connection: Any) -> bool:
        return not (connection.closed or connection.broken)

    def _begin(self, connection: Any, *, write: bool) -> None:
        if write:
            connection.execute("BEGIN")
        else:
            connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            connection.execute("SELECT 1").fetchall()  # the snapshot starts at the first statement

    def _translate(self, sql: str) -> str:
        return _to_format_style(sql)

    def schema_types(self) -> dict[str, str]:
        return {"blob": "BYTEA", "seq": "seq", "seq_column": ", seq BIGSERIAL"}


@lru_cache(maxsize=512)
def _to_format_style(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s`` (literal ``%`` doubled first)."""
    return sql.replace("%", "%%").replace("?", "%s")


def quote_identifier(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)
