"""Retrieval: dense, lexical and fused rankings behind one interface."""

from __future__ import annotations

from assistant.index import Index
from assistant.retrieval.base import Retriever
from assistant.retrieval.fusion import FusionRetriever
from assistant.retrieval.stores import DenseRetriever, LexicalRetriever

MODES = ("hybrid", "dense", "lexical")


def build_retriever(
    index: Index, mode: str = "hybrid", *, method: str = "minmax", weights: tuple[float, float] = (1.0, 1.0)
) -> Retriever:
    """The retriever for a mode name, as the CLI, API and evals use it."""
    if mode == "dense":
        return DenseRetriever(index)
    if mode == "lexical":
        return LexicalRetriever(index)
    if mode == "hybrid":
        return FusionRetriever(
            [LexicalRetriever(index), DenseRetriever(index)], method=method, weights=weights
        )  # type: ignore[arg-type]
    raise ValueError(f"Unbekannter Suchmodus {mode!r}. Erlaubt: {', '.join(MODES)}.")


__all__ = ["MODES", "DenseRetriever", "FusionRetriever", "LexicalRetriever", "Retriever", "build_retriever"]
