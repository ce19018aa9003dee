"""How well passages and their sentences cover what a question asks for.

Shared by the extractive answerer (which sentences to quote), the abstention check (is
there evidence at all?) and drafting. Coverage is the IDF-weighted share of the
question's terms (stems and compound parts, see :mod:`assistant.text.german`) that a
sentence or passage contains: rare, specific terms count far more than "Stadt".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from assistant.text.answer_types import AnswerType, expected_answer_type
from assistant.text.tables import is_row_pairs
from assistant.text.units import MIN_UNIT_CHARS, answer_units, is_label_value
from assistant.types import Passage


class Analyzer(Protocol):
    """What the lexical index offers: the same tokens as search, and term weights."""

    def analyze(self, text: str) -> list[str]: ...

    def idf(self, token: str) -> float: ...

    def df(self, token: str) -> int: ...


@dataclass
class QueryTerms:
    weights: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.weights.values())

    def coverage(self, tokens: set[str]) -> float:
        """IDF-weighted share of the question's terms found in ``tokens`` (0..1)."""
        if not self.weights:
            return 0.0
        return sum(w for t, w in self.weights.items() if t in tokens) / self.total

    def rare_coverage(self, tokens: set[str]) -> float:
        """Share of the question's rarest terms (top third by weight, at least one) present."""
        if not self.weights:
            return 0.0
        ranked = sorted(self.weights.items(), key=lambda item: -item[1])
        rare = ranked[: max(1, len(ranked) // 3)]
        return sum(1 for t, _ in rare if t in tokens) / len(rare)


def pinned(analyzer: Analyzer) -> Analyzer:
    """The analyzer for one answer. An index hands out its current lexical index once, so the
    hundreds of token look-ups of an answer do not each re-check the index version."""
    current = getattr(analyzer, "lexical", None)
    return current() if callable(current) else analyzer


def query_terms(question: str, analyzer: Analyzer) -> QueryTerms:
    tokens = analyzer.analyze(question)
    return QueryTerms({t: analyzer.idf(t) for t in dict.fromkeys(tokens)})


@dataclass
class ScoredSentence:
    """One answer unit of a passage (sentence, lead-in with its list, label-value line) scored
    for a question. ``score`` ranks the units; the reader (:mod:`assistant.generation.reader`)
    recomputes it with ``similarity`` where unit vectors exist."""

    text: str
    passage_rank: int
    position: int
    coverage: float
    score: float
    tokens: frozenset[str]
    passage_weight: float = 0.0  # the passage's retrieval score relative to the best passage
    similarity: float | None = None  # dense similarity of question and unit (None: no vector)


def score_sentences(
    question_terms: QueryTerms, passages: list[Passage], analyzer: Analyzer
) -> list[ScoredSentence]:
    """Every unit of the passages, scored by lexical coverage and by its passage's rank."""
    if not passages:
        return []
    top = max(p.score for p in passages) or 1.0
    out: list[ScoredSentence] = []
    for rank, passage in enumerate(passages):
        weight = max(passage.score, 0.0) / top if top > 0 else 0.0
        for position, sentence in enumerate(answer_units(passage.chunk.text)):
            if len(sentence) < MIN_UNIT_CHARS and not is_label_value(sentence):
                continue  # headings, list labels and fragments make poor answers
            tokens = frozenset(analyzer.analyze(sentence))
            coverage = question_terms.coverage(set(tokens))
            score = 0.65 * coverage + 0.35 * weight - 0.02 * rank
            out.append(ScoredSentence(sentence, rank, position, coverage, score, tokens, weight))
    return sorted(out, key=lambda s: (-s.score, s.passage_rank, s.position))


def answer_slot_coverage(
    question: str,
    terms: QueryTerms,
    passages: list[Passage],
    analyzer: Analyzer,
    analysed: dict[str, frozenset[str]] | None = None,
) -> float:
    """How well the best sentence holding the asked-for kind of value covers the question.

    For a question with an expected answer type (:func:`expected_answer_type`: a count, an
    amount, a date, a company …) this is the highest coverage among the passages' sentences
    (short ones included: "Wann? 27. Mai 2021", table cells) that hold such a value, each
    read together with its document's title and section headings; 0 when none does.
    Questions without a type get 1.0: no evidence against. ``analysed`` maps sentences already
    analysed (by :func:`score_sentences`) to their tokens, so they are not analysed again.
    """
    expected = expected_answer_type(question)
    if expected is None:
        return 1.0
    best = 0.0
    for passage in passages:
        units = [unit for unit in answer_units(passage.chunk.text) if expected.present_in(unit)]
        if not units:
            continue
        # A document rarely repeats its subject in every sentence: "Seit Juni 2024 arbeiten alle
        # Arbeitsplätze mit openDesk" answers "seit wann … Kessbach" under a Kessbach title.
        context = set(analyzer.analyze(f"{passage.chunk.title} {passage.chunk.section}"))
        for unit in units:
            tokens = analysed[unit] if analysed and unit in analysed else analyzer.analyze(unit)
            best = max(best, terms.coverage(context | set(tokens)))
    return best


def missing_value_note(question: str, features: dict[str, float]) -> str:
    """For an abstention on a typed question whose slot stayed empty: what the sources lack."""
    expected = expected_answer_type(question)
    if expected is None or features.get("answer_slot_coverage", 1.0) > 0.0:
        return ""
    return f"Die gefundenen Passagen nennen {expected.missing_de} zu dieser Frage."


# A statement ends like one: full stop, colon, semicolon, closing quote or bracket.
_STATEMENT_END = re.compile(r"[.!:;\"'“”»«)\]]$")
# A line this short without such an ending is a heading, a label or a caption.
HEADING_MAX_WORDS = 12


# „Der folgende Bericht fasst zusammen, wie …“, „Dieser Beitrag beschreibt …“, „Im Folgenden
# erläutern wir …“: a text announcing what it will say shares the question's words and says nothing.
_SELF_DESCRIPTION = re.compile(
    r"^(?:(?:der|die|das|dieser|diese|dieses|unser|unsere)\s+(?:folgende|vorliegende|nachfolgende)?\s*"
    r"(?:bericht|beitrag|artikel|text|dokument|papier|abschnitt|kapitel|überblick|leitfaden)"
    r"|im\s+folgenden)\b[^.]*\b(?:fasst|fassen|beschreibt|beschreiben|zeigt|zeigen|gibt|geben|stellt|stellen|"
    r"erläutert|erläutern|skizziert|dokumentiert|beleuchtet)\b",
    re.IGNORECASE,
)


def describes_itself(unit: str) -> bool:
    """Whether ``unit`` only announces what its document says („Der folgende Bericht fasst zusammen …“);
    a finding („Der Bericht zeigt, dass 87 Prozent …“) is a statement, not an announcement."""
    text = unit.strip()
    return bool(_SELF_DESCRIPTION.search(text)) and not re.search(r"\bdass\b|\d", text)


def quotable(unit: str, expected: AnswerType | None = None) -> bool:
    """Whether a unit reads as a statement worth quoting in an answer.

    Not quotable: the source's own questions („Wie gehen Sie das Thema an?“ answers nothing),
    text cut short by a reader window's length cap („… Digitalstrategie zu erarbeiten.“) and
    headings („Ergebnisse des Pilotjahres“: short, without a statement's ending). Table rows
    („Neue Glasfasertrasse | rund 1.450 km“), a lead-in with its list items („… folgende
    Leistungen: Hundeanmeldung; Bewohnerparkausweis“, see :func:`answer_units`) and a short
    line holding the kind of value the question asks for (``expected``, e.g. a date for
    „Wann …?“) and label–value lines („Wo? online“) are quotable.
    """
    text = unit.strip()
    if not text or text.endswith("?") or text.startswith("…") or text.endswith("…"):
        return False
    if describes_itself(text):
        return False
    if "|" in text or "; " in text or _STATEMENT_END.search(text) or len(text.split()) > HEADING_MAX_WORDS:
        return True
    if is_label_value(text) or is_row_pairs(text):  # „Wo? online“, „Thema: … · Anteil: 38 %“
        return True
    return expected is not None and expected.present_in(text)


def evidence_features(
    question: str,
    passages: list[Passage],
    analyzer: Analyzer,
    *,
    terms: QueryTerms | None = None,
    sentences: list[ScoredSentence] | None = None,
) -> dict[str, float]:
    """Signals for the abstention check, all in 0..1 except the raw dense similarity.

    A caller that has already scored the passages' units (the reader's ``Reading`` over the
    same passages, best first) passes ``terms`` and ``sentences`` so the work is not done twice
    and the reader's features are filled in.
    """
    if terms is None:
        terms = query_terms(question, analyzer)
    if sentences is None:
        sentences = score_sentences(terms, passages[:5], analyzer)
    else:
        sentences = [s for s in sentences if s.passage_rank < 5]
    passage_tokens = [set(analyzer.analyze(p.chunk.embedding_text())) for p in passages[:3]]
    union = set().union(*passage_tokens) if passage_tokens else set()
    dense = [p.scores.get("dense", 0.0) for p in passages[:5]]
    unknown = sum(w for t, w in terms.weights.items() if analyzer.df(t) == 0)
    return {
        "known_term_share": 1.0 - (unknown / terms.total if terms.total else 1.0),
        "answer_slot_coverage": answer_slot_coverage(
            question, terms, passages[:5], analyzer, {s.text: s.tokens for s in sentences}
        ),
        "best_sentence_coverage": max((s.coverage for s in sentences), default=0.0),
        "top_passage_coverage": terms.coverage(passage_tokens[0]) if passage_tokens else 0.0,
        "top3_coverage": terms.coverage(union),
        "rare_term_coverage": terms.rare_coverage(union),
        "dense_top": max(dense, default=0.0),
        "query_terms": float(len(terms.weights)),
        # From the reader (assistant/generation/reader.py) when its units are passed: how close
        # the best unit is in meaning, and how much of the question the unit it ranks first covers.
        "reader_best_similarity": max(
            (s.similarity for s in sentences if s.similarity is not None), default=0.0
        ),
        "reader_top_coverage": sentences[0].coverage if sentences else 0.0,
    }
