"""The manifest: documents, their chunks, cached embeddings and the generation counter.

It is the source of truth from which Chroma and the lexical index can be rebuilt, and it
decides visibility: a chunk is searchable only once its document's new version is
committed here (``ready = 1``), in one transaction, after all its vectors are written.

It lives in a :class:`~assistant.storage.Database`: a SQLite file in the index directory
(embedded default) or, with ``ASSISTANT_DATABASE_URL``, a PostgreSQL schema per index shared by
replicas on several hosts. Tables: :mod:`assistant.index.manifest_schema`; the embedding cache:
:mod:`assistant.index.embedding_cache`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, closing
from datetime import UTC, datetime
from pathlib import Path

from assistant.config import Settings
from assistant.index.embedding_cache import BATCH, EmbeddingCache
from assistant.index.manifest_schema import (
    BUMP_GENERATION,
    COMMIT_CHUNK,
    MANIFEST_SCHEMA,
    MANIFEST_TABLES,
    SET_META,
    STAGE_CHUNK,
    UPSERT_DOCUMENT,
    text_hash,
)
from assistant.storage import Database, SqliteDatabase, Transaction, index_schema, open_database
from assistant.storage.copy import copy_tables
from assistant.types import Chunk, DocumentRecord

__all__ = ["Manifest", "text_hash"]


class Manifest(EmbeddingCache):
    """Typed access to the manifest tables of one index."""

    def __init__(self, where: Path | Database) -> None:
        """Open the manifest in ``where``: a SQLite file path or an open database (which it then owns)."""
        self.db = SqliteDatabase(where) if isinstance(where, Path) else where
        self.path = where if isinstance(where, Path) else None
        self.db.script(MANIFEST_SCHEMA)

    @classmethod
    def for_settings(cls, settings: Settings, *, purpose: str = "") -> Manifest:
        """The manifest of ``settings``' index: PostgreSQL when configured, else its SQLite file."""
        path = settings.index_dir / "manifest.sqlite"
        return cls(open_database(settings, path, schema=index_schema(settings.index_name), purpose=purpose))

    def close(self) -> None:
        self.db.close()

    def snapshot(self) -> AbstractContextManager[None]:
        """Reads on this thread inside the block all see one committed state.

        A read transaction on a per-thread connection (SQLite WAL, PostgreSQL REPEATABLE READ),
        so a search that reads the manifest several times never mixes two versions of a
        document. Nested blocks share the outer snapshot.
        """
        return self.db.snapshot()

    def transaction(self) -> AbstractContextManager[Transaction]:
        """One atomic write: everything inside commits together or not at all."""
        return self.db.transaction()

    # --- meta -----------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str, db: Transaction | None = None) -> None:
        (db or self.db).execute(SET_META, (key, value))

    @property
    def generation(self) -> int:
        """Increases with every committed change to the visible chunks (one indexed read, once
        per snapshot)."""
        memo = self.db.snapshot_memo()
        if memo is not None and "generation" in memo:
            return memo["generation"]
        value = int(self.get_meta("generation", "0") or 0)
        if memo is not None:
            memo["generation"] = value
        return value

    # --- documents ------------------------------------------------------------
    def document(self, doc_id: str) -> DocumentRecord | None:
        records = self._records("WHERE doc_id = ?", (doc_id,))
        return records[0] if records else None

    def documents(self) -> list[DocumentRecord]:
        return self._records("ORDER BY source")

    def document_by_path(self, path: str) -> DocumentRecord | None:
        records = self._records("WHERE path = ?", (path,))
        return records[0] if records else None

    def _records(self, clause: str, params: tuple[str, ...] = ()) -> list[DocumentRecord]:
        records = []
        for data in self.db.execute(f"SELECT * FROM documents {clause}", params).dicts():
            data["warnings"] = json.loads(data["warnings"])
            data["doc_sets"] = json.loads(data["doc_sets"])
            records.append(DocumentRecord(**data))
        return records

    def ready_chunk_ids(self, doc_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT chunk_id FROM chunks WHERE doc_id = ? AND ready = 1 ORDER BY position", (doc_id,)
        )
        return [row[0] for row in rows]

    def stage_chunks(self, chunks: list[Chunk]) -> None:
        """Record a new version's chunks as not yet visible (kept if already visible)."""
        with self.transaction() as db:
            db.executemany(STAGE_CHUNK, [_chunk_row(c) for c in chunks])

    def commit_document(self, record: DocumentRecord, chunks: list[Chunk]) -> list[str]:
        """Make ``chunks`` the visible version of the document; returns the chunk ids it replaced."""
        new_ids = {c.chunk_id for c in chunks}
        with self.transaction() as db:
            current = db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (record.doc_id,))
            old = [row[0] for row in current if row[0] not in new_ids]
            db.executemany("DELETE FROM chunks WHERE chunk_id = ?", [(cid,) for cid in old])
            db.executemany(COMMIT_CHUNK, [_chunk_row(c) for c in chunks])
            db.execute(
                UPSERT_DOCUMENT,
                (
                    record.doc_id,
                    record.source,
                    record.path,
                    record.title,
                    record.doc_type,
                    record.content_hash,
                    record.status,
                    record.chunk_count,
                    record.ingested_at,
                    json.dumps(record.warnings, ensure_ascii=False),
                    json.dumps(record.doc_sets, ensure_ascii=False),
                ),
            )
            db.execute(BUMP_GENERATION)
        return old

    def remove_document(self, doc_id: str) -> list[str]:
        """Forget a document; returns the chunk ids to delete from the stores."""
        with self.transaction() as db:
            ids = [row[0] for row in db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))]
            db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            db.execute(BUMP_GENERATION)
        return ids

    def discard_staged(self) -> list[str]:
        """Drop chunks of versions that were never committed (a crashed ingest); returns their ids."""
        with self.transaction() as db:
            ids = [row[0] for row in db.execute("SELECT chunk_id FROM chunks WHERE ready = 0")]
            db.execute("DELETE FROM chunks WHERE ready = 0")
        return ids

    # --- chunks ---------------------------------------------------------------
    def chunks(self, chunk_ids: Iterable[str]) -> dict[str, Chunk]:
        """Visible chunks by id (ids that are not visible are left out)."""
        ids = list(chunk_ids)
        out: dict[str, Chunk] = {}
        for start in range(0, len(ids), BATCH):
            part = ids[start : start + BATCH]
            marks = ",".join("?" * len(part))
            rows = self.db.execute(
                f"SELECT chunk_id, data FROM chunks WHERE ready = 1 AND chunk_id IN ({marks})", part
            )
            out.update({cid: Chunk.model_validate_json(data) for cid, data in rows})
        return out

    def all_chunks(self) -> Iterator[Chunk]:
        """Every visible chunk, in document and position order."""
        rows = self.db.execute("SELECT data FROM chunks WHERE ready = 1 ORDER BY doc_id, position")
        for (data,) in rows:
            yield Chunk.model_validate_json(data)

    def visible_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT chunk_id FROM chunks WHERE ready = 1")}

    def known_ids(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT chunk_id FROM chunks")}

    def count_staged(self) -> int:
        """Chunks of versions not (yet) committed: a running or crashed ingest."""
        return int(self.db.execute("SELECT COUNT(*) FROM chunks WHERE ready = 0").rows[0][0])

    def count_chunks(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM chunks WHERE ready = 1").rows[0][0])

    def visible_counts_by_document(self) -> dict[str, int]:
        rows = self.db.execute("SELECT doc_id, COUNT(*) FROM chunks WHERE ready = 1 GROUP BY doc_id")
        return {doc_id: int(n) for doc_id, n in rows}

    # --- copies ---------------------------------------------------------------
    def backup_to(self, path: Path) -> None:
        """A consistent copy of the whole manifest as a SQLite file (writers may continue)."""
        if isinstance(self.db, SqliteDatabase):
            return self.db.backup_to(path)
        with closing(Manifest(path)) as target, self.db.snapshot():
            copy_tables(self.db, target.db, MANIFEST_TABLES)

    def restore_from(self, path: Path) -> None:
        """Replace this manifest's content with the SQLite copy at ``path`` (open connections see it)."""
        if isinstance(self.db, SqliteDatabase):
            return self.db.restore_from(path)
        with closing(Manifest(path)) as source:
            copy_tables(source.db, self.db, MANIFEST_TABLES)

    def now(self) -> str:
        return datetime.now(UTC).isoformat(timespec="seconds")


def _chunk_row(chunk: Chunk) -> tuple[str, str, int, str]:
    return (chunk.chunk_id, chunk.doc_id, chunk.position, chunk.model_dump_json())
