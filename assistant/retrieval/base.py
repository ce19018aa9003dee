"""The one retrieval interface: every stage and combination implements it."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from assistant.types import Passage, SearchFilters


@runtime_checkable
class Retriever(Protocol):
    """Ranked passages for a query, best first, at most ``k``."""

    name: str

    def retrieve(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Passage]: ...


def check_k(k: int) -> None:
    if k <= 0:
        raise ValueError(f"k must be greater than 0. Currently, k is {k}.")
