"""The index facade: manifest (truth and visibility) + Chroma (vectors) + lexical (BM25).

Write protocol for one document, safe against SIGKILL at any point:
1. stage the new version's chunks in the manifest (invisible),
2. embed (cache first) and upsert their vectors into Chroma,
3. commit in one manifest transaction: new chunks visible, old ones forgotten,
4. delete the old vectors.
On the next open for writing, :meth:`Index.reconcile` removes whatever a crash left
behind (staged rows, vectors the manifest does not know) and re-adds vectors the manifest
knows but Chroma lost, so a rerun converges to exactly the expected chunks.
"""

from __future__ import annotations

import logging
import shutil
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.embeddings import Embedder
from assistant.embeddings.sparse import SparseEncoder, SparseVector, sparse_encoder
from assistant.index.chroma_store import ChromaStore
from assistant.index.lexical import LexicalIndex
from assistant.index.lexical_model import LexicalReadModel
from assistant.index.lock import DatabaseLock, IndexLock, open_index_lock
from assistant.index.manifest import Manifest, text_hash
from assistant.index.unit_vectors import UnitVectors
from assistant.types import Chunk, DocumentRecord, Passage, SearchFilters

log = logging.getLogger(__name__)


@dataclass
class ReconcileReport:
    staged_discarded: int = 0
    orphans_deleted: int = 0
    vectors_restored: int = 0


class Index:
    """Everything stored about a corpus, behind one object."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        *,
        write: bool = False,
        purpose: str = "",
        discard_vectors: bool = False,
    ) -> None:
        """Open the index; ``discard_vectors`` (writers only) starts Chroma empty for a rebuild."""
        self.settings = settings
        self.embedder = embedder
        directory = settings.index_dir
        directory.mkdir(parents=True, exist_ok=True)
        # Embedded Chroma belongs to one process; against a server only writers serialise.
        self._lock: IndexLock | DatabaseLock | None = open_index_lock(settings, write=write, purpose=purpose)
        try:
            self.manifest = Manifest.for_settings(settings, purpose=purpose)
            if discard_vectors and not write:
                raise ValueError("discard_vectors needs write=True")
            if discard_vectors and not settings.chroma_url:
                # Removed before Chroma opens: a corrupt embedded index may not even load.
                shutil.rmtree(directory / "chroma", ignore_errors=True)
            self.chroma = ChromaStore(
                directory / "chroma",
                embedder.name,
                url=settings.chroma_url,
                timeout_s=settings.chroma_timeout_s,
                index_name=settings.index_name,
            )
            if discard_vectors and settings.chroma_url:
                self.chroma.drop()
        except BaseException:
            self.close()
            raise
        self._lexical = LexicalReadModel(self.manifest, self.lexical_dir, persist=self._lock is not None)
        self.embeddings_computed = 0
        self.sparse_computed = 0
        # Latent terms (assistant/embeddings/sparse.py): computed at ingest when the backend
        # has them and the settings use them; every visible chunk then has a vector.
        self.sparse: SparseEncoder | None = sparse_encoder(embedder) if settings.sparse_weight > 0 else None
        # Answer-unit vectors for the reader (assistant/index/unit_vectors.py), likewise.
        self.units: UnitVectors | None = (
            UnitVectors(self.manifest, embedder) if settings.reader_dense_weight > 0 else None
        )

    def close(self) -> None:
        if getattr(self, "chroma", None) is not None:
            self.chroma.close()
            self.chroma = None  # type: ignore[assignment]
        if getattr(self, "manifest", None) is not None:
            self.manifest.close()
            self.manifest = None  # type: ignore[assignment]
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Index:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ----------------------------------------------------------------
    def embed_chunks(self, chunks: list[Chunk]) -> np.ndarray:
        """Vectors for chunks, computing only those not in the embedding cache."""
        if not chunks:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        texts = [c.embedding_text() for c in chunks]
        hashes = [text_hash(t) for t in texts]
        cached = self.manifest.cached_embeddings(self.embedder.name, list(set(hashes)))
        todo = sorted({h: t for h, t in zip(hashes, texts, strict=True) if h not in cached}.items())
        if todo:
            vectors = self.embedder.embed_documents([t for _, t in todo])
            fresh = {h: v for (h, _), v in zip(todo, vectors, strict=True)}
            self.manifest.store_embeddings(self.embedder.name, fresh)
            cached.update(fresh)
            self.embeddings_computed += len(todo)
        return np.stack([cached[h] for h in hashes])

    def sparse_chunks(self, chunks: list[Chunk]) -> int:
        """Compute and cache the latent-term vectors the chunks lack; returns how many."""
        if self.sparse is None or not chunks:
            return 0
        texts = {text_hash(t): t for t in (c.embedding_text() for c in chunks)}
        cached = self.manifest.cached_hashes(self.sparse.sparse_name, texts)
        todo = sorted((h, t) for h, t in texts.items() if h not in cached)
        if todo:
            vectors = self.sparse.sparse_documents([t for _, t in todo])
            self.manifest.store_sparse(
                self.sparse.sparse_name, {h: v for (h, _), v in zip(todo, vectors, strict=True)}
            )
            self.sparse_computed += len(todo)
        return len(todo)

    def backfill_latent_terms(self) -> int:
        """Latent terms for every visible chunk that lacks them (an index built before them, or
        with them switched off); returns how many were computed."""
        return self.sparse_chunks(list(self.manifest.all_chunks())) if self.sparse is not None else 0

    def latent_vectors(self, chunks: list[Chunk]) -> dict[str, SparseVector] | None:
        """Latent-term vectors by chunk id, or None when the index lacks one of them (built
        before latent terms, or with them switched off): a partial score would be unfair."""
        if self.sparse is None:
            return None
        hashes = {c.chunk_id: text_hash(c.embedding_text()) for c in chunks}
        distinct = list(set(hashes.values()))
        cached = self.manifest.cached_sparse(self.sparse.sparse_name, distinct)
        if len(cached) < len(distinct):
            return None
        return {cid: cached[h] for cid, h in hashes.items()}

    def backfill_unit_vectors(self) -> int:
        """Answer-unit vectors for every visible chunk that lacks them (an index built before
        them, or with them switched off); returns how many were computed."""
        return self.units.compute(self.manifest.all_chunks()) if self.units is not None else 0

    def write_document(self, record: DocumentRecord, chunks: list[Chunk]) -> None:
        """Replace a document's chunks atomically as far as searches can tell."""
        self.manifest.stage_chunks(chunks)
        vectors = self.embed_chunks(chunks)
        self.sparse_chunks(chunks)
        if self.units is not None:
            self.units.compute(chunks)
        self.chroma.upsert(chunks, vectors)
        old = self.manifest.commit_document(record, chunks)
        if old:
            self.chroma.delete(old)

    def remove_document(self, doc_id: str) -> int:
        """Remove a document and its chunks; returns how many chunks went."""
        ids = self.manifest.remove_document(doc_id)
        if ids:
            self.chroma.delete(ids)
        return len(ids)

    def reconcile(self) -> ReconcileReport:
        """Make Chroma agree with the manifest after a crash or a model switch."""
        report = ReconcileReport()
        staged = self.manifest.discard_staged()
        report.staged_discarded = len(staged)
        in_chroma = self.chroma.ids()
        visible = self.manifest.visible_ids()
        orphans = sorted(in_chroma - visible)
        if orphans:
            self.chroma.delete(orphans)
        report.orphans_deleted = len(orphans)
        missing = sorted(visible - in_chroma)
        for start in range(0, len(missing), 256):
            chunks = list(self.manifest.chunks(missing[start : start + 256]).values())
            self.chroma.upsert(chunks, self.embed_chunks(chunks))
        report.vectors_restored = len(missing)
        if report.staged_discarded or report.orphans_deleted or report.vectors_restored:
            log.info("reconciled index: %s", report)
        return report

    # --- lexical ----------------------------------------------------------------
    @property
    def lexical_dir(self) -> Path:
        return self.settings.index_dir / "lexical"

    def lexical(self) -> LexicalIndex:
        """The lexical index for the current manifest generation (loaded or rebuilt)."""
        return self._lexical.current()

    def rebuild_lexical(self) -> LexicalIndex:
        """Build the lexical index from the manifest now and persist it (when writing)."""
        return self._lexical.rebuild()

    def analyze(self, text: str) -> list[str]:
        """Lexical tokens of ``text`` as the current index makes them (for evidence checks)."""
        return self.lexical().analyze(text)

    def idf(self, token: str) -> float:
        return self.lexical().idf(token)

    def df(self, token: str) -> int:
        return self.lexical().df(token)

    # --- reading ----------------------------------------------------------------
    def snapshot(self) -> AbstractContextManager[None]:
        """One consistent view for the searches inside the block (this thread).

        Dense and lexical search each check visibility in the manifest; inside one snapshot
        both see the same committed version of every document, never half of a re-ingest.
        """
        return self.manifest.snapshot()

    def dense_search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Passage]:
        """Nearest chunks by embedding similarity (only visible chunks)."""
        vector = self.units.query(query) if self.units is not None else self.embedder.embed_query(query)
        hits = self.chroma.query(vector, k + 8, filters)
        return self._passages(hits, "dense")[:k]

    def lexical_search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Passage]:
        """Best BM25 matches (only visible chunks)."""
        hits = self.lexical().search(query, k, filters)
        return self._passages(hits, "lexical")[:k]

    def _passages(self, hits: list[tuple[str, float]], stage: str) -> list[Passage]:
        chunks = self.manifest.chunks(cid for cid, _ in hits)
        return [
            Passage(chunk=chunks[cid], score=score, scores={stage: score})
            for cid, score in hits
            if cid in chunks
        ]

    def neighbours(self, chunk: Chunk, before: int = 1, after: int = 1) -> list[Chunk]:
        """Visible chunks of the same document around ``chunk`` (for reading a passage whole)."""
        ids = self.manifest.ready_chunk_ids(chunk.doc_id)
        if chunk.chunk_id not in ids:
            return [chunk]
        i = ids.index(chunk.chunk_id)
        window = ids[max(0, i - before) : i + after + 1]
        found = self.manifest.chunks(window)
        return [found[cid] for cid in window if cid in found]

    def status(self) -> dict[str, object]:
        """Counts and settings for ``status``."""
        docs = self.manifest.documents()
        return {
            "index_dir": str(self.settings.index_dir),
            "chroma": self.settings.chroma_url or "embedded",
            "embedding_model": self.embedder.name,
            "documents": len(docs),
            "chunks": self.manifest.count_chunks(),
            "vectors": self.chroma.count(),
            "generation": self.manifest.generation,
            "documents_with_warnings": sum(1 for d in docs if d.warnings),
        }

    def documents(self) -> list[DocumentRecord]:
        """Every recorded document (ready or not), as the manifest has it."""
        return self.manifest.documents()

    def document(self, doc_id: str) -> DocumentRecord | None:
        """The recorded document ``doc_id``, or None."""
        return self.manifest.document(doc_id)
