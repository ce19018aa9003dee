"""Retrieval metrics through ranx: overall, per question type and per Handlungsfeld.

The qrels and runs are built from :func:`evals.relevance.judged_ranking`, so every expected item
is one relevant "document" and each counts once. ranx computes the per-question scores; groups
are plain means of those per-question scores, which is what ranx's own mean is too.
Unanswerable questions have no relevant items and are left out of retrieval metrics.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field

RETRIEVAL_METRICS: tuple[str, ...] = ("recall@1", "recall@5", "recall@10", "mrr@10", "ndcg@10")


@dataclass
class JudgedQuestion:
    """A question's judged ranking plus what it is grouped by."""

    question_id: str
    n_expected: int
    ranking: list[tuple[str, bool]]
    type: str = "factual"
    handlungsfeld: str = "none"


@dataclass
class MetricResult:
    """Means over all questions and over groups, plus the per-question scores."""

    overall: dict[str, float]
    count: int
    by_type: dict[str, dict[str, float]] = field(default_factory=dict)
    by_handlungsfeld: dict[str, dict[str, float]] = field(default_factory=dict)
    group_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    per_question: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def per_question_scores(
    qrels: Mapping[str, Mapping[str, int]],
    run: Mapping[str, Mapping[str, float]],
    metrics: Sequence[str] = RETRIEVAL_METRICS,
) -> dict[str, dict[str, float]]:
    """``{question_id: {metric: score}}`` computed by ranx.

    Questions in ``qrels`` missing from ``run`` (nothing retrieved) score 0.
    """
    from ranx import Qrels, Run, evaluate

    if not qrels:
        return {}
    # ranx rejects empty rankings; a question with nothing retrieved is simply absent from the run
    # and make_comparable gives it zero on every metric.
    run_dict = {qid: dict(docs) for qid, docs in run.items() if docs and qid in qrels}
    ranx_qrels = Qrels({qid: dict(docs) for qid, docs in qrels.items()})
    ranx_run = Run(run_dict) if run_dict else Run({next(iter(qrels)): {"__nothing__": 0.0}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numba's uint64 cast notice on every call
        evaluate(ranx_qrels, ranx_run, list(metrics), return_mean=False, make_comparable=True)
    return {qid: {m: float(ranx_run.scores[m][qid]) for m in metrics} for qid in qrels}


def qrels_and_run(
    judged: Sequence[JudgedQuestion],
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, float]]]:
    """ranx-ready qrels and run from judged rankings (scores strictly decreasing with rank)."""
    qrels: dict[str, dict[str, int]] = {}
    run: dict[str, dict[str, float]] = {}
    for q in judged:
        if q.n_expected <= 0:
            continue
        qrels[q.question_id] = {f"{q.question_id}->{i}": 1 for i in range(q.n_expected)}
        run[q.question_id] = {key: float(len(q.ranking) - pos) for pos, (key, _) in enumerate(q.ranking)}
    return qrels, run


def _mean(rows: Sequence[dict[str, float]], metrics: Sequence[str]) -> dict[str, float]:
    return {m: (sum(r[m] for r in rows) / len(rows) if rows else 0.0) for m in metrics}


def evaluate_judged(
    judged: Sequence[JudgedQuestion], metrics: Sequence[str] = RETRIEVAL_METRICS
) -> MetricResult:
    """Metrics overall and grouped by type and Handlungsfeld; questions without expected items skipped."""
    answerable = [q for q in judged if q.n_expected > 0]
    qrels, run = qrels_and_run(answerable)
    scores = per_question_scores(qrels, run, metrics)
    result = MetricResult(
        overall=_mean(list(scores.values()), metrics), count=len(scores), per_question=scores
    )
    for attribute, target in (("type", result.by_type), ("handlungsfeld", result.by_handlungsfeld)):
        groups: dict[str, list[dict[str, float]]] = {}
        for q in answerable:
            groups.setdefault(getattr(q, attribute), []).append(scores[q.question_id])
        for name in sorted(groups):
            target[name] = _mean(groups[name], metrics)
        result.group_counts[attribute] = {name: len(rows) for name, rows in sorted(groups.items())}
    return result


def evaluate_passages(
    qrels: Mapping[str, Mapping[str, int]],
    run: Mapping[str, Mapping[str, float]],
    metrics: Sequence[str] = RETRIEVAL_METRICS,
) -> MetricResult:
    """Metrics for benchmarks that label passages directly (XQuAD): qrels/run keyed by chunk id."""
    scores = per_question_scores(qrels, run, metrics)
    return MetricResult(overall=_mean(list(scores.values()), metrics), count=len(scores), per_question=scores)
