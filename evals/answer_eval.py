"""Answer-level evaluation: run ``Assistant.ask`` on every question and score what users read.

Per question the assistant answers exactly as in production (hybrid retrieval, diversity step,
the configured answerer: extractive by default, the LLM when ``ASSISTANT_LLM_BASE_URL`` is set).
Scored with :mod:`evals.answer_metrics`:

* abstention: of the unanswerable questions, the share answered with "nichts gefunden"
  (``abstain_unanswerable``, target >= 0.9); of the answerable ones, the share answered
  (``answer_answerable``, target >= 0.9, i.e. <= 10 % false abstentions); precision and F1;
* citation validity: of all ``[n]`` markers in the answers, the share whose source exists and
  whose text backs the sentence (token overlap; an LLM judge is not used);
* source hit rate: of the answered answerable questions, the share citing at least one passage
  that covers an expected piece of evidence (the rule of :mod:`evals.relevance`);
* answer evidence rate: of the answered answerable questions, the share whose answer text itself
  (the sentences carrying a citation, grouped by the cited document) covers an expected piece of
  evidence by the same rule. The source hit rate says the right passage was cited; this says the
  reader was shown the sentence that answers. An LLM answer that paraphrases freely scores lower
  here than it deserves: for the LLM path, read it next to citation validity;
* for conversations (questions with ``history``): the answer evidence rate of the follow-ups,
  and the share of conversations where a follow-up was related to the earlier question and a
  topic change was not (``followup_recognised``);
* first-unit evidence rate: the same for the answer's first quoted unit alone, what a staff
  member in Slack reads first;
* latency of ``ask`` (p50/p95, milliseconds) on this machine.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.conversation import Turn, turn_of
from evals.answer_metrics import MARKER, AbstentionScores, abstention_scores, citation_validity
from evals.dataset import Question
from evals.relevance import EvidenceMatcher

ANSWERS = "answers"  # the name of the answer evaluation in results.json, deltas and thresholds
ANSWER_METRICS: tuple[str, ...] = (
    "abstain_unanswerable",
    "answer_answerable",
    "abstention_precision",
    "citation_validity",
    "source_hit_rate",
    "answer_evidence_rate",
    "first_unit_evidence_rate",
)
ANSWER_LABELS = {
    "abstain_unanswerable": "Enthaltung bei Unbeantwortbaren",
    "answer_answerable": "Antwort bei Beantwortbaren",
    "abstention_precision": "Präzision der Enthaltung",
    "citation_validity": "Gültige Zitate",
    "source_hit_rate": "Treffer in zitierten Quellen",
    "answer_evidence_rate": "Beleg im Antworttext",
    "first_unit_evidence_rate": "Beleg im ersten Auszug",
    "followup_evidence_rate": "Beleg im Antworttext (Anschlussfragen)",
    "followup_recognised": "Anschlussfrage richtig erkannt",
}
# Reported only for datasets with conversations (``history``, evals/datasets/followups_de.jsonl).
FOLLOWUP_METRICS = ("followup_evidence_rate", "followup_recognised")


@dataclass
class AnswerEvalResult:
    """Scores of the answer path on one dataset."""

    mode: str
    questions: int
    unanswerable: int
    abstention: AbstentionScores
    citation_markers: int
    citation_validity: float
    source_hit_rate: float
    answer_evidence_rate: float
    latency_ms: dict[str, float]
    first_unit_evidence_rate: float = 0.0
    followup: dict[str, float] = field(default_factory=dict)
    details: list[dict[str, Any]] = field(default_factory=list)

    @property
    def metrics(self) -> dict[str, float]:
        a = self.abstention
        answerable = self.questions - self.unanswerable
        return {
            "abstain_unanswerable": a.recall,
            "answer_answerable": a.answered / answerable if answerable else 0.0,
            "abstention_precision": a.precision,
            "citation_validity": self.citation_validity,
            "source_hit_rate": self.source_hit_rate,
            "answer_evidence_rate": self.answer_evidence_rate,
            "first_unit_evidence_rate": self.first_unit_evidence_rate,
            **self.followup,
        }

    def to_dict(self, with_details: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "mode": self.mode,
            "questions": self.questions,
            "unanswerable": self.unanswerable,
            "metrics": {k: round(v, 4) for k, v in self.metrics.items()},
            "abstention": self.abstention.to_dict(),
            "citation_markers": self.citation_markers,
            "latency_ms": self.latency_ms,
        }
        if with_details:
            data["details"] = self.details
        return data


def _cites_expected(question: Question, answer: dict[str, Any]) -> bool:
    matchers = [EvidenceMatcher(e.doc_id, e.evidence) for e in question.expected]
    cited = {c["n"] for c in answer.get("citations") or []}
    passages = [s for s in answer.get("sources") or [] if s["n"] in cited]
    return any(m.covered_by(p["doc_id"], p["text"]) for m in matchers for p in passages)


def _quotes_expected(question: Question, answer: dict[str, Any]) -> bool:
    """Whether the answer's cited sentences, joined per cited document, cover expected evidence."""
    said: dict[str, list[str]] = {}
    for citation in answer.get("citations") or []:
        said.setdefault(citation["doc_id"], []).append(MARKER.sub(" ", citation["sentence"]))
    return any(
        m.covered_by(doc_id, " ".join(sentences))
        for m in (EvidenceMatcher(e.doc_id, e.evidence) for e in question.expected)
        for doc_id, sentences in said.items()
    )


def _first_unit_expected(question: Question, answer: dict[str, Any]) -> bool:
    """Whether the first quoted unit alone (what a Slack reader sees first) covers expected evidence."""
    citations = answer.get("citations") or []
    if not citations:
        return False
    first = citations[0]
    sentence = MARKER.sub(" ", first["sentence"])
    return any(
        EvidenceMatcher(e.doc_id, e.evidence).covered_by(first["doc_id"], sentence) for e in question.expected
    )


def _history(assistant: Any, questions: Sequence[str]) -> list[Turn]:
    """The conversation before a follow-up, as a user would have had it: each earlier question
    asked in turn (itself read with the ones before it), with the documents its answer cited."""
    turns: list[Turn] = []
    for earlier in questions:
        answer = assistant.ask(earlier, history=list(turns)) if turns else assistant.ask(earlier)
        turns.append(turn_of(answer))
    return turns


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def evaluate_answers(assistant: Any, questions: Sequence[Question]) -> AnswerEvalResult:
    """Ask every question through ``assistant`` (an :class:`assistant.service.Assistant`) and score."""
    pairs: list[tuple[bool, bool]] = []
    markers = valid = 0
    hits = quoted = first_quoted = answered_answerable = 0
    latencies: list[float] = []
    details: list[dict[str, Any]] = []
    mode = ""
    conversations = recognised = followup_answered = followup_quoted = 0
    for question in questions:
        history = _history(assistant, question.history)
        result = (
            assistant.ask(question.question, history=history) if history else assistant.ask(question.question)
        )
        mode = result.mode
        answer = result.model_dump()
        latencies.append(result.timings.get("total_ms", 0.0))
        pairs.append((question.unanswerable, result.abstained))
        validity = citation_validity(answer)
        markers += validity.markers
        valid += validity.valid
        hit = quotes = first = None
        if not question.unanswerable and not result.abstained:
            answered_answerable += 1
            hit = _cites_expected(question, answer)
            quotes = _quotes_expected(question, answer)
            first = _first_unit_expected(question, answer)
            hits += hit
            quoted += quotes
            first_quoted += first
            if history:
                followup_answered += 1
                followup_quoted += quotes
        if history:
            conversations += 1
            recognised += (result.interpreted_as is not None) == (question.type == "followup")
        details.append(
            {
                "id": question.id,
                "type": question.type,
                "unanswerable": question.unanswerable,
                "abstained": result.abstained,
                "citation_markers": validity.markers,
                "citations_valid": validity.valid,
                "cites_expected": hit,
                "quotes_expected": quotes,
                "first_unit_expected": first,
                "interpreted_as": result.interpreted_as,
                "answer": result.answer[:300],
            }
        )
    return AnswerEvalResult(
        mode=mode,
        questions=len(questions),
        unanswerable=sum(q.unanswerable for q in questions),
        abstention=abstention_scores(pairs),
        citation_markers=markers,
        citation_validity=valid / markers if markers else 1.0,
        source_hit_rate=hits / answered_answerable if answered_answerable else 0.0,
        answer_evidence_rate=quoted / answered_answerable if answered_answerable else 0.0,
        first_unit_evidence_rate=first_quoted / answered_answerable if answered_answerable else 0.0,
        followup=(
            {
                "followup_evidence_rate": followup_quoted / followup_answered if followup_answered else 0.0,
                "followup_recognised": recognised / conversations,
            }
            if conversations
            else {}
        ),
        latency_ms={
            "p50": round(statistics.median(latencies), 1) if latencies else 0.0,
            "p95": round(_percentile(latencies, 0.95), 1),
        },
        details=details,
    )


def answers_summary_rows(result: AnswerEvalResult) -> list[tuple[str, str]]:
    """(label, value) rows for the Markdown report and the terminal table."""
    a = result.abstention
    rows = [(ANSWER_LABELS[m], f"{v:.3f}") for m, v in result.metrics.items()]
    rows += [
        ("Fragen (davon unbeantwortbar)", f"{result.questions} ({result.unanswerable})"),
        (
            "Enthaltungen richtig / falsch / verpasst",
            f"{a.true_abstentions} / {a.false_abstentions} / {a.missed_abstentions}",
        ),
        ("Zitatmarker geprüft", str(result.citation_markers)),
        ("Latenz ask p50 / p95 (ms)", f"{result.latency_ms['p50']:.0f} / {result.latency_ms['p95']:.0f}"),
        ("Antwortmodus", result.mode),
    ]
    return rows
