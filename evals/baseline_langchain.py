"""The baseline a user would build from a LangChain RAG tutorial, on the same files and model.

What the tutorial does, and so what this does:

* read each file's raw text: ``.txt``/``.md`` as they are on disk (a ``TextLoader``), other
  formats as the plain text of our loaders (``load_document(...).text()``) standing in for a
  generic loader, *without* our cleaning, metadata handling or structure-aware chunking;
* split with ``RecursiveCharacterTextSplitter()`` and its defaults, unchanged;
* store in Chroma through ``langchain_chroma.Chroma`` with the same embedding model as ours;
* retrieve with ``similarity_search`` only (no lexical search, no fusion, no filters).

The files are exactly the documents our index holds (read from its manifest), and each split
carries its file's ``doc_id`` as metadata only so the judge can label it; retrieval never uses it.
The store is rebuilt only when the documents, the splitter or the model change.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from pathlib import Path
from typing import Any

from assistant.embeddings import Embedder
from assistant.index import Index
from evals.relevance import RetrievedChunk

log = logging.getLogger(__name__)

RAW_TEXT_SUFFIXES = {".txt", ".md", ".markdown"}
COLLECTION = "tutorial-baseline"


def langchain_embeddings(embedder: Embedder) -> Any:
    """Our embedder as a ``langchain_core.embeddings.Embeddings`` (same model, same prefixes)."""
    from langchain_core.embeddings import Embeddings

    class EmbedderAsLangChain(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_documents(list(texts)).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text).tolist()

    return EmbedderAsLangChain()


def raw_text(path: Path, *, max_bytes: int, max_unpacked_bytes: int) -> str:
    """The file's text as a tutorial's generic loader would give it (no cleaning)."""
    if path.suffix.lower() in RAW_TEXT_SUFFIXES:
        return path.read_text(encoding="utf-8", errors="replace")
    from ingestion.loaders import load_document

    return load_document(path, max_bytes=max_bytes, max_unpacked_bytes=max_unpacked_bytes).text()


class LangChainTutorialBaseline:
    """``RecursiveCharacterTextSplitter`` (defaults) + ``langchain_chroma.Chroma`` + ``similarity_search``."""

    name = "baseline-langchain"

    def __init__(self, index: Index, directory: Path) -> None:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        self.splitter = RecursiveCharacterTextSplitter()  # the tutorial's defaults, on purpose
        self.description = (
            "LangChain tutorial baseline: raw file text, RecursiveCharacterTextSplitter defaults "
            f"(chunk_size={self.splitter._chunk_size}, chunk_overlap={self.splitter._chunk_overlap}), "
            "langchain_chroma.Chroma, similarity_search, same embedding model"
        )
        self.directory = directory
        self.index = index
        self.chunks = 0
        self.store = self._build()

    def _fingerprint(self) -> str:
        records = sorted(
            (r.doc_id, r.content_hash) for r in self.index.manifest.documents() if r.status == "ready"
        )
        digest = hashlib.sha256(json.dumps(records).encode())
        digest.update(
            f"|{self.splitter._chunk_size}|{self.splitter._chunk_overlap}|{self.index.embedder.name}".encode()
        )
        return digest.hexdigest()

    def _build(self) -> Any:
        from langchain_chroma import Chroma
        from langchain_core.documents import Document

        fingerprint = self._fingerprint()
        marker = self.directory / "fingerprint.json"
        embeddings = langchain_embeddings(self.index.embedder)
        if marker.exists():
            saved = json.loads(marker.read_text())
            if saved.get("fingerprint") == fingerprint:
                self.chunks = int(saved.get("chunks", 0))
                return Chroma(COLLECTION, embeddings, persist_directory=str(self.directory / "chroma"))
        if self.directory.exists():
            shutil.rmtree(self.directory)
        self.directory.mkdir(parents=True)
        settings = self.index.settings
        documents: list[Document] = []
        for record in sorted(self.index.manifest.documents(), key=lambda r: r.doc_id):
            if record.status != "ready" or not record.path:
                continue
            text = raw_text(
                Path(record.path),
                max_bytes=int(settings.max_file_mb * 1024 * 1024),
                max_unpacked_bytes=int(settings.max_unpacked_mb * 1024 * 1024),
            )
            documents.append(
                Document(page_content=text, metadata={"source": record.source, "doc_id": record.doc_id})
            )
        splits = self.splitter.split_documents(documents)
        log.info("baseline: %d documents -> %d splits; embedding", len(documents), len(splits))
        store = Chroma.from_documents(
            splits,
            embeddings,
            collection_name=COLLECTION,
            persist_directory=str(self.directory / "chroma"),
            ids=[f"{d.metadata['doc_id']}#{i}" for i, d in enumerate(splits)],
        )
        self.chunks = len(splits)
        marker.write_text(json.dumps({"fingerprint": fingerprint, "chunks": len(splits)}))
        return store

    def search(self, question: str, k: int) -> list[RetrievedChunk]:
        documents = self.store.similarity_search(question, k=k)
        return [
            RetrievedChunk(
                chunk_id=str(d.id or f"{d.metadata['doc_id']}#{rank}"),
                doc_id=str(d.metadata["doc_id"]),
                text=d.page_content,
                score=float(-rank),
            )
            for rank, d in enumerate(documents, start=1)
        ]
