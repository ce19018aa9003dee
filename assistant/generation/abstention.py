"""Deciding whether the evidence answers the question at all.

A threshold on the top retrieval score alone separates answerable from unanswerable
German questions poorly, so the decision combines retrieval similarity with an
answer-time evidence check: do the best passages and sentences contain the question's
specific (high-IDF) terms? The combination is a logistic model whose weights and
threshold are fitted on the team's eval set by ``evals/calibrate_abstention.py`` and
shipped in ``abstention_model.json`` beside this module (see README: Abstention). Every
feature is oriented so that more evidence means "more answerable", and the fit keeps the
weights non-negative: a model may ignore a feature, never reward missing evidence.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("abstention_model.json")

FEATURES = (
    "best_sentence_coverage",
    "top3_coverage",
    "rare_term_coverage",
    "dense_top",
    "known_term_share",
    "answer_type_match",
)


@dataclass(frozen=True)
class AbstentionModel:
    """p(answerable) = sigmoid(bias + sum(weight * feature)); answer when p >= threshold."""

    weights: dict[str, float] = field(
        default_factory=lambda: {
            "best_sentence_coverage": 4.0,
            "top3_coverage": 2.0,
            "rare_term_coverage": 2.0,
            "dense_top": 4.0,
        }
    )
    bias: float = -6.0
    threshold: float = 0.5
    calibrated_on: str = "uncalibrated defaults"

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(w * features.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))

    def should_abstain(self, features: dict[str, float]) -> bool:
        return self.probability(features) < self.threshold

    def to_json(self) -> str:
        return json.dumps(
            {
                "weights": self.weights,
                "bias": self.bias,
                "threshold": self.threshold,
                "calibrated_on": self.calibrated_on,
            },
            indent=2,
            ensure_ascii=False,
        )


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_FILE) -> AbstentionModel:
    """The shipped calibrated model, or defaults if the file is missing."""
    if not path.exists():
        return AbstentionModel()
    data = json.loads(path.read_text(encoding="utf-8"))
    return AbstentionModel(
        weights={k: float(v) for k, v in data["weights"].items()},
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        calibrated_on=str(data.get("calibrated_on", "")),
    )
