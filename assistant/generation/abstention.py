"""Deciding whether the evidence answers the question at all.

A threshold on the top retrieval score alone separates answerable from unanswerable
German questions poorly, so the decision has two answer-time evidence checks:

1. The answer slot: a question that asks for a kind of value (a count, an amount, a date,
   a company, see :mod:`assistant.text.answer_types`) is answered only if some retrieved
   sentence holds such a value *and* covers the question's terms at least
   ``slot_threshold`` (IDF-weighted). "Wie viele Fahrgäste hatte der Rufbus?" over
   passages that describe the Rufbus but give no count is abstained here.
2. For every question, a logistic model over retrieval similarity and term coverage.

Both thresholds and the weights are fitted on the team's eval set by
``evals/calibrate_abstention.py`` and shipped in ``abstention_model.json`` beside this
module (see README: Abstention). Every feature is oriented so that more evidence means
"more answerable", and the fit keeps the weights non-negative: a model may ignore a
feature, never reward missing evidence.
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
    "answer_slot_coverage",
    "reader_best_similarity",
    "reader_top_coverage",
)


@dataclass(frozen=True)
class AbstentionModel:
    """Abstain when the answer slot is unfilled or p(answerable) < threshold.

    p(answerable) = sigmoid(bias + sum(weight * feature)); the slot is unfilled when
    ``answer_slot_coverage`` < ``slot_threshold`` (1.0 for questions without a type).
    """

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
    slot_threshold: float = 0.0
    calibrated_on: str = "uncalibrated defaults"

    def probability(self, features: dict[str, float]) -> float:
        z = self.bias + sum(w * features.get(name, 0.0) for name, w in self.weights.items())
        return 1.0 / (1.0 + math.exp(-z))

    def slot_unfilled(self, features: dict[str, float]) -> bool:
        return features.get("answer_slot_coverage", 1.0) < self.slot_threshold

    def should_abstain(self, features: dict[str, float]) -> bool:
        return self.slot_unfilled(features) or self.probability(features) < self.threshold

    def to_json(self) -> str:
        return json.dumps(
            {
                "weights": self.weights,
                "bias": self.bias,
                "threshold": self.threshold,
                "slot_threshold": self.slot_threshold,
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
        slot_threshold=float(data.get("slot_threshold", 0.0)),
        calibrated_on=str(data.get("calibrated_on", "")),
    )
