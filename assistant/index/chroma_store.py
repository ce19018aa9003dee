"""Vectors in Chroma: embedded (PersistentClient) by default, a Chroma server when configured."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from assistant.errors import ConfigError, IndexUnavailableError
from assistant.types import Chunk, SearchFilters

log = logging.getLogger(__name__)

NO_SET_FLAG = "set__none"


def set_flag(name: str) -> str:
    """Metadata key marking membership in a document set (Chroma has no list filters)."""
    return "set_" + re.sub(r"[^a-z0-9_]", "_", name.lower())


def chunk_metadata(chunk: Chunk) -> dict[str, str | int | float | bool]:
    """Flat metadata Chroma can filter on. Lists become boolean flags; None is left out."""
    meta: dict[str, str | int | float | bool] = {
        "doc_id": chunk.doc_id,
        "doc_type": chunk.doc_type,
        "position": chunk.position,
    }
    if chunk.municipality:
        meta["municipality"] = chunk.municipality.lower()
    if chunk.page is not None:
        meta["page"] = chunk.page
    for slug in chunk.handlungsfelder:
        meta[f"hf_{slug}"] = True
    for name in chunk.doc_sets:
        meta[set_flag(name)] = True
    if not chunk.doc_sets:
        meta[NO_SET_FLAG] = True
    return meta


def where_clause(filters: SearchFilters | None) -> dict[str, Any] | None:
    """Translate filters into a Chroma ``where``; applied inside the vector query."""
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.doc_type:
        clauses.append({"doc_type": filters.doc_type})
    if filters.handlungsfeld:
        clauses.append({f"hf_{filters.handlungsfeld}": True})
    if filters.municipality:
        clauses.append({"municipality": filters.municipality.lower()})
    if filters.doc_ids is not None:
        clauses.append({"doc_id": {"$in": list(filters.doc_ids) or ["\x00"]}})
    if filters.doc_sets is not None:
        flags = [{set_flag(name): True} for name in filters.doc_sets]
        if not flags:
            flags = [{"doc_id": "\x00"}]  # no set allowed: match nothing
        clauses.append(flags[0] if len(flags) == 1 else {"$or": flags})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def collection_name(embedder_name: str) -> str:
    """A valid Chroma collection name derived from the embedding model's name."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", embedder_name).strip("-._")
    return f"chunks-{slug}"[:200]


class ChromaStore:
    """One Chroma collection of chunk vectors for one embedding model."""

    def __init__(self, directory: Path, embedder_name: str, *, url: str | None = None) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if url:
                parsed = urlparse(url)
                if not parsed.hostname:
                    raise ConfigError(f"ASSISTANT_CHROMA_URL ist keine gültige URL: {url!r}")
                self.client = chromadb.HttpClient(
                    host=parsed.hostname,
                    port=parsed.port or 8000,
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
            else:
                directory.mkdir(parents=True, exist_ok=True)
                self.client = chromadb.PersistentClient(path=str(directory), settings=chroma_settings)
            self.collection = self.client.get_or_create_collection(
                collection_name(embedder_name),
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"embedding_model": embedder_name},
            )
        except ConfigError:
            raise
        except Exception as exc:
            where = url or str(directory)
            raise IndexUnavailableError(
                f"Chroma ist nicht erreichbar oder beschädigt ({where}): {exc}"
            ) from exc
        self.max_batch = int(self.client.get_max_batch_size())

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Write vectors in batches no larger than the server allows."""
        for start in range(0, len(chunks), self.max_batch):
            part = chunks[start : start + self.max_batch]
            self.collection.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=vectors[start : start + self.max_batch].tolist(),
                metadatas=[chunk_metadata(c) for c in part],
            )

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), self.max_batch):
            self.collection.delete(ids=ids[start : start + self.max_batch])

    def ids(self) -> set[str]:
        """All ids in the collection (for reconciling with the manifest)."""
        out: set[str] = set()
        offset, page = 0, 5000
        while True:
            got = self.collection.get(include=[], limit=page, offset=offset)["ids"]
            out.update(got)
            if len(got) < page:
                return out
            offset += page

    def count(self) -> int:
        return int(self.collection.count())

    def query(self, vector: np.ndarray, k: int, filters: SearchFilters | None) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity (1 - distance), best first."""
        if k <= 0:
            return []
        result = self.collection.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=k,
            where=where_clause(filters),
            include=["distances"],
        )
        ids = result["ids"][0]
        distances = result["distances"][0] if result.get("distances") else [0.0] * len(ids)
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=True)]
