"""The metric plumbing on hand-checked cases (ranx does the arithmetic)."""

import math

import pytest

from evals.metrics import RETRIEVAL_METRICS, JudgedQuestion, evaluate_judged, evaluate_passages


def test_perfect_run_scores_one_everywhere():
    judged = [
        JudgedQuestion("a", 1, [("a->0", True), ("a#2:x", False)], "factual", "verwaltung"),
        JudgedQuestion("b", 1, [("b->0", True)], "paraphrase", "none"),
    ]
    result = evaluate_judged(judged)
    assert result.overall == {m: pytest.approx(1.0) for m in RETRIEVAL_METRICS}
    assert result.by_type["paraphrase"]["ndcg@10"] == pytest.approx(1.0)


def test_reversed_run_gives_hand_computed_values():
    # Two expected items found at ranks 3 and 4 after two misses (the perfect ranking reversed).
    judged = [
        JudgedQuestion("b", 2, [("b#1:x", False), ("b#2:y", False), ("b->0", True), ("b->1", True)], "list")
    ]
    scores = evaluate_judged(judged).overall
    ideal = 1 + 1 / math.log2(3)
    assert scores["recall@1"] == 0.0
    assert scores["recall@5"] == pytest.approx(1.0)
    assert scores["mrr@10"] == pytest.approx(1 / 3)
    assert scores["ndcg@10"] == pytest.approx((1 / math.log2(4) + 1 / math.log2(5)) / ideal)  # 0.5706


def test_groups_missing_retrievals_and_unanswerable_exclusion():
    judged = [
        JudgedQuestion("a", 1, [("a->0", True)], "factual", "verwaltung"),
        JudgedQuestion("d", 1, [], "factual", "none"),  # nothing retrieved: zero, still counted
        JudgedQuestion("u", 0, [("u#1:z", False)], "unanswerable", "none"),  # excluded
        JudgedQuestion("m", 2, [("m->1", True), ("m#2:z", False), ("m->0", True)], "multi_doc", "none"),
    ]
    result = evaluate_judged(judged)
    assert result.count == 3 and "u" not in result.per_question
    assert result.per_question["d"]["recall@10"] == 0.0
    assert result.per_question["m"]["recall@1"] == pytest.approx(0.5)
    assert result.per_question["m"]["ndcg@10"] == pytest.approx((1 + 0.5) / (1 + 1 / math.log2(3)))
    assert result.by_type["factual"]["mrr@10"] == pytest.approx(0.5)
    assert result.by_handlungsfeld["verwaltung"]["recall@1"] == 1.0
    assert result.group_counts["type"] == {"factual": 2, "multi_doc": 1}
    assert "unanswerable" not in result.by_type


def test_passage_benchmark_metrics():
    qrels = {"q1": {"p1": 1}, "q2": {"p2": 1}}
    run = {"q1": {"p1": 2.0, "p2": 1.0}, "q2": {"p1": 2.0, "p2": 1.0}}
    result = evaluate_passages(qrels, run)
    assert result.overall["mrr@10"] == pytest.approx((1 + 0.5) / 2)
    assert result.overall["recall@1"] == pytest.approx(0.5)
