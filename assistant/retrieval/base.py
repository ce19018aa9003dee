"""The one retrieval interface: every stage and combination implements it."""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from assistant.checks import check_bounds
from assistant.types import Passage, SearchFilters


@runtime_checkable
class Retriever(Protocol):
    """Ranked passages for a query, best first, at most ``k``."""

    name: str

    def retrieve(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Passage]: ...


def check_k(k: int) -> None:
    check_bounds("k", k, gt=0)


class WrappingRetriever:
    """A retriever decorator: asks ``inner`` for :meth:`fetch` hits (at least ``candidates``)
    and returns :meth:`reshape` of them, named ``"<inner>+<suffix>"`` (the inner name alone
    without a suffix).

    Subclasses set ``suffix`` and override :meth:`reshape` (the choice), and :meth:`fetch` where
    the number of hits they choose ``k`` from is not ``max(k, candidates)``."""

    suffix: ClassVar[str] = ""

    def __init__(self, inner: Retriever, candidates: int = 0) -> None:
        self.inner = inner
        self.candidates = candidates
        self.name = f"{inner.name}+{self.suffix}" if self.suffix else inner.name

    def retrieve(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Passage]:
        check_k(k)
        return self.reshape(query, self.inner.retrieve(query, self.fetch(k), filters), k)

    def fetch(self, k: int) -> int:
        return max(k, self.candidates)

    def reshape(self, query: str, found: list[Passage], k: int) -> list[Passage]:
        return found[:k]
