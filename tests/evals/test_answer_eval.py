"""Answer-level evaluation plumbing on hand-checked cases (a scripted assistant at the ask seam)."""

import json

import pytest

from assistant.types import Answer, Citation, Source
from evals.answer_eval import evaluate_answers
from evals.dataset import Question
from evals.report import compare_runs, write_report
from evals.run_record import EvalRun
from evals.thresholds import check_thresholds, load_thresholds

PASSAGE = "Die Stadtwerke errichten bis Ende 2025 acht LoRaWAN-Gateways im Stadtgebiet."
QUESTIONS = [
    Question(
        id="q1",
        question="Wie viele Gateways?",
        type="factual",
        expected=[{"doc_id": "plan", "evidence": PASSAGE}],
    ),
    Question(
        id="q2",
        question="Wann kommen die Gateways?",
        type="factual",
        expected=[{"doc_id": "plan", "evidence": PASSAGE}],
    ),
    Question(id="q3", question="Wie hoch ist die Hundesteuer?", type="unanswerable", unanswerable=True),
    Question(id="q4", question="Wer ist Bürgermeister?", type="unanswerable", unanswerable=True),
]


def _answer(question: str, text: str, *, abstained: bool = False, source_text: str = PASSAGE) -> Answer:
    sources = (
        []
        if abstained
        else [
            Source(
                n=1,
                chunk_id="plan::0",
                doc_id="plan",
                source="plan.md",
                title="Plan",
                doc_type="strategy",
                text=source_text,
            )
        ]
    )
    citations = [] if abstained else [Citation(n=1, chunk_id="plan::0", doc_id="plan", sentence=text)]
    return Answer(
        answer_id="x",
        question=question,
        answer=text,
        abstained=abstained,
        mode="extractive",
        citations=citations,
        sources=sources,
        timings={"total_ms": 10.0},
    )


class ScriptedAssistant:
    """Answers q1 well, q2 with an unsupported sentence, abstains on q3, answers q4 (a miss)."""

    def ask(self, question: str) -> Answer:
        if question.startswith("Wie viele"):
            return _answer(question, "Die Stadtwerke errichten acht LoRaWAN-Gateways. [1]")
        if question.startswith("Wann"):
            return _answer(question, "Der Bürgermeister eröffnet das Freibad im Juli. [1]")
        if "Hundesteuer" in question:
            return _answer(question, "Dazu finde ich in den Dokumenten nichts.", abstained=True)
        return _answer(question, "Die Stadtwerke errichten Gateways. [2]", source_text="Etwas anderes.")


def test_answer_metrics_on_a_scripted_run():
    result = evaluate_answers(ScriptedAssistant(), QUESTIONS)
    metrics = result.metrics
    assert metrics["abstain_unanswerable"] == 0.5  # q3 yes, q4 no
    assert metrics["answer_answerable"] == 1.0
    assert metrics["abstention_precision"] == 1.0
    # markers: q1 [1] valid, q2 [1] unsupported, q4 [2] has no source
    assert result.citation_markers == 3
    assert metrics["citation_validity"] == pytest.approx(1 / 3)
    # both answered answerable questions cite the evidence passage
    assert metrics["source_hit_rate"] == 1.0
    # but only q1's answer text says what the evidence says (q2 quotes something else)
    assert metrics["answer_evidence_rate"] == 0.5
    assert [d["quotes_expected"] for d in result.details] == [True, False, None, None]
    assert [d["abstained"] for d in result.details] == [False, False, True, False]


def test_answers_in_report_compare_and_thresholds(tmp_path):
    run = EvalRun(
        benchmark="team",
        embedder="fake",
        embedding_model="fake",
        dataset="mem",
        k=10,
        configurations=[],
        answers=evaluate_answers(ScriptedAssistant(), QUESTIONS),
    )
    previous = tmp_path / "prev.json"
    previous.write_text(json.dumps({"answers": {"metrics": {"abstain_unanswerable": 1.0}}}))
    paths, comparison = write_report(run, tmp_path / "out", previous)
    assert comparison["answers"] == {"abstain_unanswerable": pytest.approx(-0.5)}
    assert "Antworten (ask)" in paths["markdown"].read_text()
    data = json.loads(paths["json"].read_text())
    assert data["answers"]["metrics"]["abstain_unanswerable"] == 0.5
    assert compare_runs(data, data)["answers"]["citation_validity"] == 0.0

    guard = tmp_path / "t.json"
    guard.write_text(
        json.dumps({"minimums": {"answers": {"abstain_unanswerable": 0.6, "answer_answerable": 0.9}}})
    )
    assert check_thresholds(run, load_thresholds(guard)) == [
        "answers abstain_unanswerable = 0.500 < minimum 0.600"
    ]
    guard.write_text(json.dumps({"minimums": {"answers": {"recall@5": 0.9}}}))
    with pytest.raises(ValueError, match=r"minimums\.answers\.recall@5: unknown metric"):
        load_thresholds(guard)
