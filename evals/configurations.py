"""Retrieval configurations compared in one evaluation run.

Every configuration answers ``search(question, k) -> list[RetrievedChunk]``, so our retrievers
and the LangChain tutorial baseline (:mod:`evals.baseline_langchain`) are judged by the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from assistant.embeddings import Embedder
from assistant.embeddings.sparse import SparseVector
from assistant.index import Index
from assistant.retrieval import Retriever
from assistant.retrieval.stack import RetrieverSpec, build_stack
from evals.relevance import RetrievedChunk

BASELINE = "baseline-langchain"
# name -> (retrieval mode, fusion method, reader windows, latent terms); hybrid uses the
# settings' fusion weights and, where marked, their latent-term weight. "hybrid-window" is what
# search and ask hand over: each hybrid hit widened by the settings' reader_window neighbouring
# chunks (assistant/retrieval/windows.py). "hybrid-lexdense" is hybrid without latent terms.
INDEX_CONFIGURATIONS: dict[str, tuple[str, str, bool, bool]] = {
    "dense": ("dense", "minmax", False, False),
    "lexical": ("lexical", "minmax", False, False),
    "hybrid-lexdense": ("hybrid", "minmax", False, False),
    "hybrid": ("hybrid", "minmax", False, True),
    "hybrid-rrf": ("hybrid", "rrf", False, True),
    "hybrid-window": ("hybrid", "minmax", True, True),
    "hybrid-window-reranked": ("hybrid", "minmax", True, True),
}
# Configurations whose windows the reader reorders (assistant/generation/rerank.py).
RERANKED = {"hybrid-window-reranked"}
ALL_CONFIGURATIONS: tuple[str, ...] = (*INDEX_CONFIGURATIONS, BASELINE)
DEFAULT_TEAM_CONFIGURATIONS = ALL_CONFIGURATIONS
DEFAULT_XQUAD_CONFIGURATIONS: tuple[str, ...] = (
    "dense",
    "lexical",
    "hybrid-lexdense",
    "hybrid",
    "hybrid-rrf",
)


class Configuration(Protocol):
    """One way of retrieving passages for a question."""

    name: str
    description: str

    def search(self, question: str, k: int) -> list[RetrievedChunk]: ...


@dataclass
class RetrieverConfiguration:
    """A configuration backed by one of the assistant's own retrievers."""

    name: str
    description: str
    retriever: Retriever

    def search(self, question: str, k: int) -> list[RetrievedChunk]:
        return [
            RetrievedChunk(chunk_id=p.chunk.chunk_id, doc_id=p.chunk.doc_id, text=p.chunk.text, score=p.score)
            for p in self.retriever.retrieve(question, k)
        ]


def parse_configuration_names(value: str | Sequence[str] | None, default: Sequence[str]) -> list[str]:
    """Configuration names from a comma list, checked against :data:`ALL_CONFIGURATIONS`."""
    if value is None or value == "" or value == []:
        return list(default)
    names = [n.strip() for n in value.split(",")] if isinstance(value, str) else [n.strip() for n in value]
    names = [n for n in names if n]
    unknown = [n for n in names if n not in ALL_CONFIGURATIONS]
    if unknown:
        raise ValueError(
            f"Unknown configuration(s) {', '.join(unknown)}. Choose from: {', '.join(ALL_CONFIGURATIONS)}."
        )
    return list(dict.fromkeys(names))


def index_configurations(
    index: Index,
    names: Sequence[str],
    weights: tuple[float, float] = (1.0, 1.0),
    window: int = 1,
    window_chars: int | None = None,
    sparse_weight: float = 0.0,
) -> list[Configuration]:
    """Our configurations over ``index`` for the names that are index configurations."""
    configurations: list[Configuration] = []
    for name in names:
        if name not in INDEX_CONFIGURATIONS:
            continue
        mode, method, windows, latent = INDEX_CONFIGURATIONS[name]
        latent_weight = sparse_weight if latent and index.sparse is not None else 0.0
        spec = RetrieverSpec(
            mode=mode,
            method=method,
            weights=weights,
            sparse_weight=latent_weight,
            window=window if windows else 0,
            window_chars=window_chars,
            reranked=name in RERANKED,
        )
        retriever = build_stack(index, spec)
        detail = f"{mode}" + (
            f", {method} fusion, weights (lexical, dense) = {weights}" if mode == "hybrid" else ""
        )
        if latent_weight:
            detail += f", latent terms of the candidates with weight {latent_weight}"
        if spec.window:
            detail += (
                f", hits widened by {window} neighbouring chunk(s) on each side, at most {window_chars} chars"
            )
        if spec.reranked:
            detail += ", top 20 reordered by the reader's best unit (share 0.5)"
        configurations.append(RetrieverConfiguration(name, f"Assistant retriever: {detail}", retriever))
    return configurations


class QueryCachingEmbedder:
    """Wraps an embedder so each query is embedded once per run, however many configurations ask.

    Keeps the wrapped embedder's ``name`` so the index accepts it as the same model.
    """

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self.max_tokens = inner.max_tokens
        self.sparse_name = getattr(inner, "sparse_name", "")
        self._queries: dict[str, np.ndarray] = {}
        self._sparse_queries: dict[str, SparseVector] = {}

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> np.ndarray:
        if text not in self._queries:
            self._queries[text] = self.inner.embed_query(text)
        return self._queries[text]

    def sparse_documents(self, texts: list[str]) -> list[SparseVector]:
        return self.inner.sparse_documents(texts)  # type: ignore[attr-defined]

    def sparse_query(self, text: str) -> SparseVector:
        if text not in self._sparse_queries:
            self._sparse_queries[text] = self.inner.sparse_query(text)  # type: ignore[attr-defined]
        return self._sparse_queries[text]
