"""Fusing several retrievers' rankings into one."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future
from typing import Any, Literal, Protocol

from assistant.retrieval.base import Retriever, check_k
from assistant.types import Passage, SearchFilters

FusionMethod = Literal["rrf", "minmax"]


class CandidateScorer(Protocol):
    """A second opinion on the retrievers' candidates (e.g. latent terms): started with the
    query before the retrievers search, asked to rank their candidates afterwards."""

    name: str

    def start(self, query: str) -> Future[Any]: ...

    def rank(self, query: Future[Any], candidates: list[Passage]) -> list[Passage]: ...


def reciprocal_rank_fusion(
    rankings: Sequence[list[Passage]], weights: Sequence[float], c: int = 60
) -> list[Passage]:
    """Classic RRF: sum of weight / (c + rank)."""
    return _combine(
        rankings,
        [[w / (c + rank) for rank in range(1, len(r) + 1)] for r, w in zip(rankings, weights, strict=True)],
    )


def minmax_fusion(rankings: Sequence[list[Passage]], weights: Sequence[float]) -> list[Passage]:
    """Weighted sum of scores min-max normalised per ranking (missing = 0)."""
    contributions: list[list[float]] = []
    for ranking, weight in zip(rankings, weights, strict=True):
        scores = [p.score for p in ranking]
        if not scores:
            contributions.append([])
            continue
        low, high = min(scores), max(scores)
        span = high - low
        contributions.append([weight * ((s - low) / span if span > 0 else 1.0) for s in scores])
    return _combine(rankings, contributions)


def _combine(rankings: Sequence[list[Passage]], contributions: Sequence[list[float]]) -> list[Passage]:
    fused: dict[str, Passage] = {}
    for ranking, parts in zip(rankings, contributions, strict=True):
        for passage, part in zip(ranking, parts, strict=True):
            cid = passage.chunk.chunk_id
            if cid not in fused:
                fused[cid] = Passage(chunk=passage.chunk, score=0.0, scores={})
            fused[cid].score += part
            fused[cid].scores.update(passage.scores)
    for passage in fused.values():
        passage.scores["fused"] = passage.score
    return sorted(fused.values(), key=lambda p: (-p.score, p.chunk.chunk_id))


class FusionRetriever:
    """Runs each retriever for ``depth`` candidates, lets each scorer rank those candidates,
    and fuses all rankings; ``weights`` has one value per retriever, then one per scorer."""

    def __init__(
        self,
        retrievers: Sequence[Retriever],
        *,
        method: FusionMethod = "minmax",
        weights: Sequence[float] | None = None,
        depth: int = 50,
        name: str = "hybrid",
        scorers: Sequence[CandidateScorer] = (),
    ) -> None:
        if not retrievers:
            raise ValueError("FusionRetriever needs at least one retriever.")
        self.retrievers = list(retrievers)
        self.scorers = list(scorers)
        stages = len(self.retrievers) + len(self.scorers)
        self.weights = list(weights) if weights is not None else [1.0] * stages
        if len(self.weights) != stages:
            raise ValueError(
                f"weights must have one value per retriever and scorer ({stages}). "
                f"Currently {len(self.weights)}."
            )
        if method not in ("rrf", "minmax"):
            raise ValueError(f"method must be 'rrf' or 'minmax'. Currently, the method is {method!r}.")
        self.method = method
        self.depth = depth
        self.name = name

    def retrieve(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Passage]:
        check_k(k)
        depth = max(self.depth, k)
        started = [scorer.start(query) for scorer in self.scorers]  # runs while the retrievers search
        rankings = [r.retrieve(query, depth, filters) for r in self.retrievers]
        if self.scorers:
            candidates = list({p.chunk.chunk_id: p for ranking in rankings for p in ranking}.values())
            rankings += [s.rank(q, candidates) for s, q in zip(self.scorers, started, strict=True)]
        if self.method == "rrf":
            fused = reciprocal_rank_fusion(rankings, self.weights)
        else:
            fused = minmax_fusion(rankings, self.weights)
        return fused[:k]
