"""Feedback store: ratings persist, negative ones export as candidate eval cases."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from assistant.feedback import Feedback, FeedbackSource, FeedbackStore
from kommunal.cli.main import app


def test_ratings_persist_and_only_negative_become_candidates(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    store.add(Feedback(answer_id="a1", rating="up", question="Was ist gut?"))
    store.add(
        Feedback(
            answer_id="a2",
            rating="down",
            comment="Quelle passt nicht",
            question="Wer betreibt das Sensornetz?",
            answer="Die Stadt [1].",
            sources=[FeedbackSource(doc_id="strategy/plan", title="Plan", text="Die Stadtwerke betreiben …")],
            channel="slack:C1",
        )
    )
    reopened = FeedbackStore(tmp_path / "feedback.sqlite3")
    assert [f.answer_id for f in reopened.list()] == ["a1", "a2"]
    cases = reopened.candidate_cases()
    assert len(cases) == 1
    case = cases[0]
    assert case["question"] == "Wer betreibt das Sensornetz?"
    assert case["expected"] == [{"doc_id": "strategy/plan", "evidence": "Die Stadtwerke betreiben …"}]
    assert case["needs_review"] is True
    assert case["feedback"]["comment"] == "Quelle passt nicht"


def test_cli_export_writes_jsonl(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    from assistant.config import get_settings

    get_settings.cache_clear()
    try:
        FeedbackStore(tmp_path / "feedback.sqlite3").add(
            Feedback(answer_id="a9", rating="down", question="Gibt es ein Budget?")
        )
        target = tmp_path / "candidates.jsonl"
        result = CliRunner().invoke(app, ["feedback", "export", "-o", str(target)])
        assert result.exit_code == 0, result.output
        lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        assert [c["question"] for c in lines] == ["Gibt es ein Budget?"]
    finally:
        get_settings.cache_clear()
