"""Abstention, citation validity and draft coverage on small hand cases."""

import pytest

from evals.answer_metrics import abstention_scores, citation_validity, cited_passages, draft_coverage


def test_abstention_precision_recall():
    pairs = [(True, True), (True, False), (False, True), (False, False), (True, True)]
    scores = abstention_scores(pairs)
    assert scores.precision == pytest.approx(2 / 3)
    assert scores.recall == pytest.approx(2 / 3)
    assert scores.f1 == pytest.approx(2 / 3)
    assert (
        scores.true_abstentions,
        scores.false_abstentions,
        scores.missed_abstentions,
        scores.answered,
    ) == (2, 1, 1, 1)
    assert abstention_scores([]).precision == 0.0


SOURCES = [
    {
        "n": 1,
        "doc_id": "a",
        "text": "Der Landkreis Talheide baut bis 2027 Glasfaser in allen Ortsteilen aus.",
    },
    {"n": 2, "doc_id": "b", "text": "Die Gemeinde Kessbach nutzt openDesk in der Verwaltung."},
]


def test_citation_validity_checks_existence_and_overlap():
    answer = {
        "answer": "Talheide baut bis 2027 Glasfaser in allen Ortsteilen aus [1]. "
        "Kessbach nutzt openDesk in der Verwaltung [2]. "
        "Brunnhagen misst Parkplätze mit Sensoren [2]. Dazu gibt es mehr [3].",
        "abstained": False,
        "sources": SOURCES,
    }
    result = citation_validity(answer)
    assert result.markers == 4
    assert [c.valid for c in result.checks] == [True, True, False, False]
    assert result.missing_sources == 1
    assert result.validity == pytest.approx(0.5)


def test_answer_without_markers_has_nothing_to_check():
    result = citation_validity(
        {"answer": "Dazu liegen keine Informationen vor.", "abstained": True, "sources": []}
    )
    assert result.markers == 0 and result.validity == 1.0


def test_draft_coverage_counts_points_in_cited_passages():
    must_cover = [
        {"point": "Glasfaser", "doc_id": "a", "evidence": "bis 2027 Glasfaser in allen Ortsteilen"},
        {"point": "openDesk", "doc_id": "b", "evidence": "nutzt openDesk in der Verwaltung"},
    ]
    draft = {"text": "Der Ausbau ist geplant [1].", "citations": [], "sources": SOURCES}
    passages = cited_passages(draft, text_field="text")
    assert [p["n"] for p in passages] == [1]
    coverage = draft_coverage(must_cover, passages)
    assert coverage.coverage == pytest.approx(0.5)
    assert coverage.covered == ("Glasfaser",) and coverage.missing == ("openDesk",)
