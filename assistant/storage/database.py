"""One interface to the database that holds the shared state, with per-thread connections.

Every store (manifest, API keys, feedback, the Slack bot's claims) talks to a
:class:`Database`: ``execute`` for a read, ``transaction()`` for an atomic write and
``snapshot()`` for several reads that must see one committed state. SQL is written once, in
the subset SQLite and PostgreSQL share (``?`` placeholders, ``INSERT … ON CONFLICT``); a
schema may use ``{blob}``, ``{seq}`` (the expression for insertion order: SQLite's ``rowid``, a
``seq`` column on PostgreSQL) and ``{seq_column}`` (that column's definition, empty on SQLite),
which each dialect fills in.

Each thread gets its own connection (and a second one for snapshots, so a write inside a
snapshot block still works), which keeps transactions of concurrent request threads apart on
both dialects. A thread's connections are closed when the thread ends: the API's worker
threads come and go (anyio retires an idle one after 10 s), and connections kept for dead
threads used up PostgreSQL's ``max_connections`` after a few bursts of load.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass
class Result:
    """The rows of one statement (already fetched), their column names and the affected row count."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rowcount: int = -1

    def fetchone(self) -> tuple[Any, ...] | None:
        return self.rows[0] if self.rows else None

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self.rows

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)

    def dicts(self) -> list[dict[str, Any]]:
        """Rows as column → value mappings."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


class Transaction:
    """Statements inside one open transaction (or snapshot) of one connection."""

    def __init__(self, database: Database, connection: Any) -> None:
        self._database = database
        self._connection = connection

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        return self._database._run(self._connection, sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            self._database._run_many(self._connection, sql, rows)


class Database(ABC):
    """The shared-state database: SQLite (embedded default) or PostgreSQL (several hosts)."""

    dialect: ClassVar[str]
    description: str = ""
    """Where the data is, for messages (a file path, or the server without its password)."""

    def __init__(self) -> None:
        self._local = threading.local()
        self._connections: list[Any] = []
        self._guard = threading.Lock()
        self._closed = False

    # --- what a dialect provides ---------------------------------------------------
    @abstractmethod
    def _connect(self) -> Any:
        """A new DB-API connection in autocommit mode."""

    @abstractmethod
    def _begin(self, connection: Any, *, write: bool) -> None:
        """Start a transaction: a write (serialised against other writers) or a read snapshot."""

    @abstractmethod
    def _translate(self, sql: str) -> str:
        """The dialect's spelling of a statement written in the shared subset."""

    @abstractmethod
    def schema_types(self) -> dict[str, str]:
        """Values for ``{blob}``, ``{seq}`` and ``{seq_column}`` in SQL text."""

    @property
    @abstractmethod
    def integrity_errors(self) -> tuple[type[Exception], ...]:
        """What a violated UNIQUE or PRIMARY KEY constraint raises in this dialect."""

    def _usable(self, connection: Any) -> bool:
        """False for a connection the server closed (it is replaced on next use)."""
        return True

    # --- shared behaviour -------------------------------------------------------------
    def _connection(self, kind: str = "main") -> Any:
        if self._closed:
            raise RuntimeError(f"database {self.description} is closed")
        owned: _ThreadConnections | None = getattr(self._local, "owned", None)
        if owned is None:
            owned = self._local.owned = _ThreadConnections()
        connection = owned.by_kind.get(kind)
        if connection is not None and not self._usable(connection):
            _release(connection, self._connections, self._guard)
            connection = None
        if connection is None:
            connection = self._connect()
            owned.by_kind[kind] = connection
            with self._guard:
                self._connections.append(connection)
            # Only this thread's local storage refers to ``owned``: it goes when the thread ends.
            weakref.finalize(owned, _release, connection, self._connections, self._guard)
        return connection

    def _run(self, connection: Any, sql: str, params: Sequence[Any]) -> Result:
        cursor = connection.cursor()
        try:
            cursor.execute(self._translate(sql), tuple(params))
            if cursor.description is None:
                return Result(rowcount=cursor.rowcount)
            return Result(
                rows=[tuple(row) for row in cursor.fetchall()],
                columns=[col[0] for col in cursor.description],
                rowcount=cursor.rowcount,
            )
        finally:
            cursor.close()

    def _run_many(self, connection: Any, sql: str, rows: list[Sequence[Any]]) -> None:
        cursor = connection.cursor()
        try:
            cursor.executemany(self._translate(sql), [tuple(row) for row in rows])
        finally:
            cursor.close()

    def script(self, script: str) -> None:
        """Run a schema script (``;``-separated statements, ``{blob}``/``{seq}`` filled in) atomically."""
        text = script.format(**self.schema_types())
        statements = [s.strip() for s in _strip_comments(text).split(";") if s.strip()]
        with self.transaction() as tx:
            for statement in statements:
                tx.execute(statement)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        """A read (or a single-statement write): inside this thread's snapshot when one is open."""
        snapshot = getattr(self._local, "in_snapshot", None)
        return self._run(snapshot or self._connection(), sql, params)

    def snapshot_memo(self) -> dict[str, Any] | None:
        """A dict that lives as long as this thread's open snapshot (None outside one): values
        read inside a snapshot cannot change before it ends."""
        return getattr(self._local, "memo", None) if getattr(self._local, "in_snapshot", None) else None

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One atomic write: everything inside commits together or not at all."""
        connection = self._connection()
        self._begin(connection, write=True)
        try:
            yield Transaction(self, connection)
        except BaseException:
            _finish(connection, "ROLLBACK")
            raise
        _finish(connection, "COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads of this thread inside the block (through :meth:`execute`) all see one committed
        state; nested blocks share the outer snapshot."""
        if getattr(self._local, "in_snapshot", None) is not None:
            yield
            return
        connection = self._connection("snapshot")
        self._begin(connection, write=False)
        self._local.in_snapshot = connection
        self._local.memo = {}
        try:
            yield
        finally:
            self._local.in_snapshot = None
            self._local.memo = None
            _finish(connection, "COMMIT")

    def close(self) -> None:
        """Close every connection this object opened (in any thread)."""
        self._closed = True
        with self._guard:
            for connection in self._connections:
                with contextlib.suppress(Exception):  # best effort: the server may be gone
                    connection.close()
            self._connections.clear()


class _ThreadConnections:
    """The connections one thread opened, by kind ("main", "snapshot"); kept in its thread-local."""

    __slots__ = ("__weakref__", "by_kind")

    def __init__(self) -> None:
        self.by_kind: dict[str, Any] = {}


def _release(connection: Any, connections: list[Any], guard: threading.Lock) -> None:
    """Close ``connection`` (best effort: the server may be gone) and forget it."""
    with guard:
        if connection in connections:
            connections.remove(connection)
    with contextlib.suppress(Exception):
        connection.close()


def _finish(connection: Any, statement: str) -> None:
    """End the open transaction; on a connection that died meanwhile there is nothing to end."""
    try:
        connection.execute(statement)
    except Exception:
        if statement == "COMMIT":
            raise


def _strip_comments(script: str) -> str:
    return "\n".join(line for line in script.splitlines() if not line.strip().startswith("--"))
