"""The retriever stack: one builder for what search, ask, drafts and the evals retrieve with.

A base ranking (:func:`assistant.retrieval.build_retriever`) wrapped by the decorators in a
fixed order: preferred documents (a follow-up's earlier sources), diversity (at most two
non-adjacent passages per document), reader windows (each hit with its neighbours), and the
reader's reordering (evals only, until it wins there). Production takes the spec from the
settings (:meth:`RetrieverSpec.from_settings`); the evals vary it per configuration.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from assistant.config import Settings
from assistant.index import Index
from assistant.retrieval import build_retriever
from assistant.retrieval.base import Retriever
from assistant.retrieval.diversity import DiverseRetriever
from assistant.retrieval.preference import PreferredDocuments
from assistant.retrieval.windows import WindowRetriever


@dataclass(frozen=True)
class RetrieverSpec:
    """What to build: the base ranking and which decorators wrap it."""

    mode: str = "hybrid"
    method: str = "minmax"
    weights: tuple[float, float] = (1.0, 1.0)
    sparse_weight: float = 0.0
    window: int = 0
    window_chars: int | None = None
    diverse: bool = False
    prefer: Collection[str] = ()
    reranked: bool = False

    @classmethod
    def from_settings(cls, settings: Settings, mode: str = "hybrid") -> RetrieverSpec:
        """The spec production uses for ``mode`` (no windows, no diversity; add them with ``with_``)."""
        return cls(
            mode=mode,
            method=settings.fusion_method,
            weights=settings.fusion_weights,
            sparse_weight=settings.sparse_weight,
            window_chars=settings.reader_window_max_chars,
        )

    def with_(self, **changes: object) -> RetrieverSpec:
        """A copy with ``changes``."""
        return replace(self, **changes)  # type: ignore[arg-type]


def build_stack(index: Index, spec: RetrieverSpec) -> Retriever:
    """The retriever ``spec`` describes, over ``index``."""
    retriever = build_retriever(
        index, spec.mode, method=spec.method, weights=spec.weights, sparse_weight=spec.sparse_weight
    )
    if spec.prefer:
        retriever = PreferredDocuments(retriever, spec.prefer)
    if spec.diverse:
        retriever = DiverseRetriever(retriever)
    if spec.window:
        retriever = WindowRetriever(
            retriever, index, before=spec.window, after=spec.window, max_chars=spec.window_chars
        )
    if spec.reranked:
        from assistant.generation.reader import UnitReader
        from assistant.generation.rerank import ReaderReranker

        retriever = ReaderReranker(retriever, UnitReader.for_index(index))
    return retriever
