"""Judging a configuration, writing reports, comparing runs and guarding thresholds, without models."""

import json

import pytest

from evals.dataset import Question
from evals.relevance import RetrievedChunk
from evals.report import baseline_deltas, compare_runs, write_report
from evals.run_record import EvalRun
from evals.runner import judge_configuration
from evals.thresholds import check_thresholds, load_thresholds

QUESTIONS = [
    Question(
        id="q1",
        question="Glasfaser?",
        type="factual",
        handlungsfeld="verwaltung",
        expected=[{"doc_id": "a", "evidence": "Glasfaser für alle Ortsteile bis 2027"}],
    ),
    Question(
        id="q2",
        question="Parken?",
        type="paraphrase",
        expected=[{"doc_id": "b", "evidence": "Sensoren melden freie Parkplätze"}],
    ),
    Question(id="q3", question="Mond?", type="unanswerable", unanswerable=True),
]
CHUNKS = {
    "a": RetrievedChunk("a::0", "a", "Der Kreis baut Glasfaser für alle Ortsteile bis 2027."),
    "b": RetrievedChunk("b::0", "b", "In Brunnhagen melden Sensoren freie Parkplätze."),
    "c": RetrievedChunk("c::0", "c", "Etwas ganz anderes."),
}


class FixedConfiguration:
    """Returns the same ranking for every question: a fake at the configuration seam."""

    def __init__(self, name, order):
        self.name, self.description, self.order = name, f"fixed {order}", order

    def search(self, question, k):
        return [CHUNKS[key] for key in self.order][:k]


def make_run(tmp_path=None):
    good = judge_configuration(FixedConfiguration("hybrid", ["a", "b", "c"]), QUESTIONS)
    bad = judge_configuration(FixedConfiguration("baseline-langchain", ["c", "b", "a"]), QUESTIONS)
    return EvalRun(
        benchmark="team",
        embedder="fake",
        embedding_model="fake/hashing",
        dataset="mem",
        k=10,
        configurations=[good, bad],
    )


def test_judge_configuration_scores_ranks_and_keeps_details():
    run = make_run()
    hybrid = run.get("hybrid").metrics
    # q1 found at rank 1, q2 at rank 2; q3 is unanswerable and excluded
    assert hybrid.count == 2
    assert hybrid.overall["mrr@10"] == pytest.approx((1 + 1 / 2) / 2)
    assert hybrid.by_handlungsfeld["verwaltung"]["recall@1"] == 1.0
    assert run.get("hybrid").details[1]["item_ranks"] == [2]
    baseline = run.get("baseline-langchain").metrics
    assert baseline.overall["mrr@10"] == pytest.approx((1 / 3 + 1 / 2) / 2)
    assert baseline_deltas(run)["hybrid"]["mrr@10"] == pytest.approx(0.75 - 5 / 12)


def test_write_report_and_compare(tmp_path):
    run = make_run()
    previous = tmp_path / "prev.json"
    previous.write_text(
        json.dumps(
            {"configurations": [{"name": "hybrid", "metrics": {"overall": {"recall@1": 0.0, "mrr@10": 0.5}}}]}
        )
    )
    paths, comparison = write_report(run, tmp_path / "out", previous)
    assert comparison == {"hybrid": {"recall@1": pytest.approx(0.5), "mrr@10": pytest.approx(0.25)}}
    text = paths["markdown"].read_text()
    assert "| hybrid |" in text and "Vorsprung gegenüber der LangChain-Tutorial-Baseline" in text
    data = json.loads(paths["json"].read_text())
    assert data["baseline_deltas"]["hybrid"]["recall@1"] == pytest.approx(0.5)
    assert paths["chart"].stat().st_size > 1000
    assert compare_runs(data, data)["hybrid"]["ndcg@10"] == 0.0


def test_thresholds_guard(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(
        json.dumps({"minimums": {"hybrid": {"recall@5": 0.9, "mrr@10": 0.8}, "dense": {"recall@5": 0.1}}})
    )
    failures = check_thresholds(make_run(), load_thresholds(path))
    assert failures == ["hybrid mrr@10 = 0.750 < minimum 0.800", "dense: guarded configuration was not run"]
    path.write_text(json.dumps({"minimums": {"hybrid": {"recall@3": 0.9}}}))
    with pytest.raises(ValueError, match=r"minimums\.hybrid\.recall@3: unknown metric"):
        load_thresholds(path)
