"""What an evaluation run produced: the scores per configuration and the run around them.

Built by :mod:`evals.runner` (team datasets) and :mod:`evals.xquad`, read by :mod:`evals.report`
and :mod:`evals.thresholds`; ``to_dict`` is the shape of ``results.json``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from assistant.index import Index
from evals.answer_eval import AnswerEvalResult
from evals.metrics import RETRIEVAL_METRICS, MetricResult

QUERY_CACHE_NOTE = (
    "Frage-Embeddings werden einmal berechnet und geteilt: die Sekunden der ersten dichten Konfiguration "
    "enthalten sie, die der folgenden nicht."
)


@dataclass
class ConfigurationResult:
    """Scores of one configuration on one dataset."""

    name: str
    description: str
    metrics: MetricResult
    seconds: float
    queries: int
    details: list[dict[str, Any]] = field(default_factory=list)
    context_chars: dict[str, float] = field(default_factory=dict)

    def to_dict(self, with_details: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "description": self.description,
            "seconds": round(self.seconds, 3),
            "queries": self.queries,
            "metrics": self.metrics.to_dict(),
            "context_chars": self.context_chars,
        }
        if with_details:
            data["details"] = self.details
        return data


@dataclass
class EvalRun:
    """Everything one evaluation run produced, ready for :mod:`evals.report`."""

    benchmark: str
    embedder: str
    embedding_model: str
    dataset: str
    k: int
    configurations: list[ConfigurationResult]
    corpus: dict[str, Any] = field(default_factory=dict)
    reference: dict[str, dict[str, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))
    seconds: float = 0.0
    answers: AnswerEvalResult | None = None

    @property
    def metric_names(self) -> tuple[str, ...]:
        return RETRIEVAL_METRICS

    @classmethod
    def finished(
        cls,
        benchmark: str,
        embedder: str,
        index: Index,
        started: float,
        dataset: str,
        k: int,
        configurations: list[ConfigurationResult],
        *,
        corpus: dict[str, Any],
        notes: Sequence[str],
        reference: dict[str, dict[str, float]] | None = None,
        answers: AnswerEvalResult | None = None,
    ) -> EvalRun:
        """The run of ``configurations`` over ``index`` that began at ``started``
        (``time.perf_counter()``), with the query-cache note every run's timings need."""
        return cls(
            benchmark,
            embedder,
            index.embedder.name,
            dataset,
            k,
            configurations,
            corpus,
            reference=reference or {},
            notes=[*notes, QUERY_CACHE_NOTE],
            seconds=time.perf_counter() - started,
            answers=answers,
        )

    def get(self, name: str) -> ConfigurationResult | None:
        return next((c for c in self.configurations if c.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "embedder": self.embedder,
            "embedding_model": self.embedding_model,
            "dataset": self.dataset,
            "k": self.k,
            "started_at": self.started_at,
            "seconds": round(self.seconds, 1),
            "corpus": self.corpus,
            "reference": self.reference,
            "notes": self.notes,
            "configurations": [c.to_dict() for c in self.configurations],
            "answers": self.answers.to_dict() if self.answers else None,
        }
