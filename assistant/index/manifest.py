"""The manifest: SQLite record of documents, their chunks and cached embeddings.

It is the source of truth from which Chroma and the lexical index can be rebuilt, and it
decides visibility: a chunk is searchable only once its document's new version is
committed here (``ready = 1``), in one transaction, after all its vectors are written.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from assistant.embeddings.sparse import SparseVector
from assistant.types import Chunk, DocumentRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    path TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    chunk_count INTEGER NOT NULL,
    ingested_at TEXT NOT NULL,
    warnings TEXT NOT NULL DEFAULT '[]',
    doc_sets TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    ready INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
-- A plain index on the boolean "ready" made SQLite scan every visible row for lookups by
-- chunk id or document (about 130 ms per lookup at 50k chunks, see bench/RESULTS.md); a partial
-- index serves only the rare staged-row queries.
DROP INDEX IF EXISTS chunks_ready;
CREATE INDEX IF NOT EXISTS chunks_staged ON chunks(ready) WHERE ready = 0;
CREATE TABLE IF NOT EXISTS embeddings (
    model TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, text_hash)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def text_hash(text: str) -> str:
    """Stable hash of a text (embedding cache key, chunk id component)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class Manifest:
    """Thin typed wrapper over the SQLite manifest file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_guard = threading.Lock()

    def close(self) -> None:
        with self._readers_guard:
            for reader in self._readers:
                reader.close()
            self._readers.clear()
        self._db.close()

    @property
    def _read(self) -> sqlite3.Connection:
        """The connection reads go through: this thread's snapshot while one is open."""
        return getattr(self._local, "snapshot", None) or self._db

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads on this thread inside the block all see one committed state.

        A read transaction on a per-thread connection (WAL keeps it stable while writers
        commit), so a search that reads the manifest several times never mixes two versions
        of a document. Nested blocks share the outer snapshot.
        """
        if getattr(self._local, "snapshot", None) is not None:
            yield
            return
        reader = getattr(self._local, "reader", None)
        if reader is None:
            reader = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            self._local.reader = reader
            with self._readers_guard:
                self._readers.append(reader)
        reader.execute("BEGIN")
        reader.execute("SELECT value FROM meta LIMIT 1").fetchall()  # the snapshot starts at the first read
        self._local.snapshot = reader
        try:
            yield
        finally:
            self._local.snapshot = None
            reader.execute("COMMIT")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: everything inside commits together or not at all."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- meta -----------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self._read.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str, db: sqlite3.Connection | None = None) -> None:
        (db or self._db).execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    @property
    def generation(self) -> int:
        """Increases with every committed change to the visible chunks."""
        return int(self.get_meta("generation", "0") or 0)

    def _bump(self, db: sqlite3.Connection) -> None:
        row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        self.set_meta("generation", str(int(row[0] if row else 0) + 1), db)

    # --- documents ------------------------------------------------------------
    def document(self, doc_id: str) -> DocumentRecord | None:
        records = self._records("WHERE doc_id = ?", (doc_id,))
        return records[0] if records else None

    def documents(self) -> list[DocumentRecord]:
        return self._records("ORDER BY source")

    def _records(self, clause: str, params: tuple[str, ...] = ()) -> list[DocumentRecord]:
        cursor = self._read.execute(f"SELECT * FROM documents {clause}", params)
        names = [col[0] for col in cursor.description]
        records = []
        for row in cursor:
            data = dict(zip(names, row, strict=True))
            data["warnings"] = json.loads(data["warnings"])
            data["doc_sets"] = json.loads(data["doc_sets"])
            records.append(DocumentRecord(**data))
        return records

    def document_by_path(self, path: str) -> DocumentRecord | None:
        records = self._records("WHERE path = ?", (path,))
        return records[0] if records else None

    def ready_chunk_ids(self, doc_id: str) -> list[str]:
        rows = self._read.execute(
            "SELECT chunk_id FROM chunks WHERE doc_id = ? AND ready = 1 ORDER BY position", (doc_id,)
        ).fetchall()
        return [row[0] for row in rows]

    def stage_chunks(self, chunks: list[Chunk]) -> None:
        """Record a new version's chunks as not yet visible (kept if already visible)."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO chunks(chunk_id, doc_id, position, ready, data)"
                " VALUES (?, ?, ?, 0, ?)",
                [(c.chunk_id, c.doc_id, c.position, c.model_dump_json()) for c in chunks],
            )

    def commit_document(self, record: DocumentRecord, chunks: list[Chunk]) -> list[str]:
        """Make ``chunks`` the visible version of the document; returns the chunk ids it replaced."""
        new_ids = {c.chunk_id for c in chunks}
        with self.transaction() as db:
            old = [
                row[0]
                for row in db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (record.doc_id,))
                if row[0] not in new_ids
            ]
            db.executemany("DELETE FROM chunks WHERE chunk_id = ?", [(cid,) for cid in old])
            db.executemany(
                "INSERT OR REPLACE INTO chunks(chunk_id, doc_id, position, ready, data)"
                " VALUES (?, ?, ?, 1, ?)",
                [(c.chunk_id, c.doc_id, c.position, c.model_dump_json()) for c in chunks],
            )
            db.execute(
                "INSERT OR REPLACE INTO documents(doc_id, source, path, title, doc_type, content_hash,"
                " status,"
                " chunk_count, ingested_at, warnings, doc_sets) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            self._bump(db)
        return old

    def remove_document(self, doc_id: str) -> list[str]:
        """Forget a document; returns the chunk ids to delete from the stores."""
        with self.transaction() as db:
            ids = [row[0] for row in db.execute("SELECT chunk_id FROM chunks WHERE doc_id = ?", (doc_id,))]
            db.execute("DELETE FROM chunks WHERE doc_id = ?", (doc_id,))
            db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            self._bump(db)
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
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            marks = ",".join("?" * len(part))
            rows = self._read.execute(
                f"SELECT chunk_id, data FROM chunks WHERE ready = 1 AND chunk_id IN ({marks})", part
            )
            out.update({cid: Chunk.model_validate_json(data) for cid, data in rows})
        return out

    def all_chunks(self) -> Iterator[Chunk]:
        """Every visible chunk, in document and position order."""
        rows = self._read.execute("SELECT data FROM chunks WHERE ready = 1 ORDER BY doc_id, position")
        for (data,) in rows:
            yield Chunk.model_validate_json(data)

    def visible_ids(self) -> set[str]:
        return {row[0] for row in self._read.execute("SELECT chunk_id FROM chunks WHERE ready = 1")}

    def known_ids(self) -> set[str]:
        return {row[0] for row in self._read.execute("SELECT chunk_id FROM chunks")}

    def count_staged(self) -> int:
        """Chunks of versions not (yet) committed: a running or crashed ingest."""
        return int(self._read.execute("SELECT COUNT(*) FROM chunks WHERE ready = 0").fetchone()[0])

    def visible_counts_by_document(self) -> dict[str, int]:
        rows = self._read.execute("SELECT doc_id, COUNT(*) FROM chunks WHERE ready = 1 GROUP BY doc_id")
        return {doc_id: int(n) for doc_id, n in rows}

    def count_cached_embeddings(self, model: str, text_hashes: Iterable[str]) -> int:
        """How many of ``text_hashes`` have a cached vector of ``model``."""
        return len(self.cached_hashes(model, set(text_hashes)))

    def cached_hashes(self, model: str, text_hashes: Iterable[str]) -> set[str]:
        """Which of ``text_hashes`` have a cached vector of ``model`` (the vectors stay unread)."""
        return {h for (h,) in self._select("text_hash", model, list(set(text_hashes)))}

    # --- copies ---------------------------------------------------------------
    def backup_to(self, path: Path) -> None:
        """A consistent copy of the whole manifest (SQLite online backup; writers may continue)."""
        target = sqlite3.connect(path)
        try:
            self._db.backup(target)
        finally:
            target.close()

    def restore_from(self, path: Path) -> None:
        """Replace this manifest's content with the copy at ``path`` (open connections see it)."""
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(self._db)
        finally:
            source.close()

    def count_chunks(self) -> int:
        return int(self._read.execute("SELECT COUNT(*) FROM chunks WHERE ready = 1").fetchone()[0])

    # --- embedding cache: dense vectors and latent terms, each under its model key ----
    def cached_embeddings(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        return {h: np.frombuffer(blob, dtype=np.float32) for h, blob in self._cached(model, hashes)}

    def store_embeddings(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        self._store(model, {h: np.asarray(v, dtype=np.float32).tobytes() for h, v in vectors.items()})

    def cached_sparse(self, model: str, hashes: list[str]) -> dict[str, SparseVector]:
        return {h: SparseVector.from_bytes(blob) for h, blob in self._cached(model, hashes)}

    def store_sparse(self, model: str, vectors: dict[str, SparseVector]) -> None:
        self._store(model, {h: v.to_bytes() for h, v in vectors.items()})

    def _cached(self, model: str, hashes: list[str]) -> Iterator[tuple[str, bytes]]:
        return self._select("text_hash, vector", model, hashes)

    def _select(self, columns: str, model: str, hashes: list[str]) -> Iterator[tuple]:
        """Rows of the embedding cache for ``model`` and ``hashes``, in batches SQLite accepts."""
        for start in range(0, len(hashes), 500):
            part = hashes[start : start + 500]
            marks = ",".join("?" * len(part))
            yield from self._read.execute(
                f"SELECT {columns} FROM embeddings WHERE model = ? AND text_hash IN ({marks})",
                [model, *part],
            ).fetchall()

    def _store(self, model: str, blobs: dict[str, bytes]) -> None:
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO embeddings(model, text_hash, vector) VALUES (?, ?, ?)",
                [(model, h, blob) for h, blob in blobs.items()],
            )

    def now(self) -> str:
        return datetime.now(UTC).isoformat(timespec="seconds")
