"""Retrieval: dense, lexical and fused rankings behind one interface."""

from __future__ import annotations

from assistant.index import Index
from assistant.retrieval.base import Retriever
from assistant.retrieval.fusion import FusionRetriever
from assistant.retrieval.latent_terms import LatentTermScorer
from assistant.retrieval.stores import IndexRetriever

MODES = ("hybrid", "dense", "lexical")


def build_retriever(
    index: Index,
    mode: str = "hybrid",
    *,
    method: str = "minmax",
    weights: tuple[float, float] = (1.0, 1.0),
    sparse_weight: float = 0.0,
) -> Retriever:
    """The retriever for a mode name, as the CLI, API and evals use it.

    Hybrid fuses lexical and dense rankings (``weights``), plus the latent-term scores of
    their candidates with ``sparse_weight`` when that is positive and the index has them.
    """
    if mode in ("dense", "lexical"):
        return IndexRetriever(index, mode)  # type: ignore[arg-type]
    if mode == "hybrid":
        scorers = [LatentTermScorer(index)] if sparse_weight > 0 and index.sparse is not None else []
        return FusionRetriever(
            [IndexRetriever(index, "lexical"), IndexRetriever(index, "dense")],
            method=method,  # type: ignore[arg-type]
            weights=[*weights, *([sparse_weight] if scorers else [])],
            scorers=scorers,
        )
    raise ValueError(f"Unbekannter Suchmodus {mode!r}. Erlaubt: {', '.join(MODES)}.")


__all__ = ["MODES", "FusionRetriever", "IndexRetriever", "Retriever", "build_retriever"]
