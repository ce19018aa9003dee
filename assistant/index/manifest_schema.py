"""Tables of the manifest, in the SQL subset both storage dialects understand."""

from __future__ import annotations

import hashlib

MANIFEST_TABLES = ("documents", "chunks", "embeddings", "meta")
"""Every table of the manifest, in the order a copy writes them."""

MANIFEST_SCHEMA = """
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
    vector {blob} NOT NULL,
    PRIMARY KEY (model, text_hash)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

DOCUMENT_COLUMNS = (
    "doc_id",
    "source",
    "path",
    "title",
    "doc_type",
    "content_hash",
    "status",
    "chunk_count",
    "ingested_at",
    "warnings",
    "doc_sets",
)

UPSERT_DOCUMENT = (
    f"INSERT INTO documents({', '.join(DOCUMENT_COLUMNS)}) VALUES ({', '.join('?' * len(DOCUMENT_COLUMNS))})"
    " ON CONFLICT (doc_id) DO UPDATE SET "
    + ", ".join(f"{col} = excluded.{col}" for col in DOCUMENT_COLUMNS[1:])
)

STAGE_CHUNK = (
    "INSERT INTO chunks(chunk_id, doc_id, position, ready, data) VALUES (?, ?, ?, 0, ?)"
    " ON CONFLICT (chunk_id) DO NOTHING"
)

COMMIT_CHUNK = (
    "INSERT INTO chunks(chunk_id, doc_id, position, ready, data) VALUES (?, ?, ?, 1, ?)"
    " ON CONFLICT (chunk_id) DO UPDATE SET doc_id = excluded.doc_id, position = excluded.position,"
    " ready = 1, data = excluded.data"
)

SET_META = "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"

# One statement, so two writers can never both read generation N and both write N + 1.
BUMP_GENERATION = (
    "INSERT INTO meta(key, value) VALUES ('generation', '1') ON CONFLICT (key) DO UPDATE"
    " SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)"
)

STORE_VECTOR = (
    "INSERT INTO embeddings(model, text_hash, vector) VALUES (?, ?, ?)"
    " ON CONFLICT (model, text_hash) DO UPDATE SET vector = excluded.vector"
)


def text_hash(text: str) -> str:
    """Stable hash of a text (embedding cache key, chunk id component)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
