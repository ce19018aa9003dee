"""Copy tables between two databases of either dialect (a PostgreSQL manifest to a SQLite backup)."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.storage.database import Database

PAGE = 2000


def copy_tables(source: Database, target: Database, tables: Sequence[str]) -> None:
    """Replace the rows of ``tables`` in ``target`` with those of ``source``, in one target
    transaction; both must have the tables already. Open a snapshot on ``source`` around the
    call for a consistent copy of a database that is being written."""
    with target.transaction() as tx:
        for table in tables:
            tx.execute(f"DELETE FROM {table}")
            result = source.execute(f"SELECT * FROM {table}")
            if not result.rows:
                continue
            columns = ", ".join(result.columns)
            marks = ", ".join("?" * len(result.columns))
            insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
            for start in range(0, len(result.rows), PAGE):
                tx.executemany(insert, result.rows[start : start + PAGE])
