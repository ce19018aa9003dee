"""The reader: which units of the retrieved passages answer the question, best first.

One interface, ``Reader.read(question, passages) -> Reading``, used by the extractive
answerer (what to quote, in which order), by the abstention check (how well the best unit
answers) and by drafting (which sentences a part uses). The default :class:`UnitReader`
scores every answer unit (:mod:`assistant.text.units`) by

* lexical coverage: the IDF-weighted share of the question's terms (stems and compound
  parts) the unit contains,
* dense similarity: the embedder's question vector against the unit's vector, computed at
  ingest (:mod:`assistant.index.unit_vectors`), min-max scaled over the units of this
  question so it combines with coverage on one scale,
* the retrieval score of the unit's passage (and optionally a penalty per passage rank),
* a bonus for the share of the question's asks whose kind of value the unit holds (a date for
  „Wann …?“, a count that is no percentage or amount for „Wie viele …?“, a reason for
  „Warum …?“, an office or person for „Wer …?“; :func:`~assistant.text.answer_types.answer_cues`),
* with ``subject``, coverage counts the terms of the passage's title and section heading as
  said: a document names its subject once, and the sentence answering the question rarely
  repeats it.

The weights were chosen on the dev set (``python -m evals.tune_reader``, README: Answers). A
unit without a cached vector (text cut differently in a reader window) is scored by the other
signals with the dense part at the question's median similarity, never encoded at answer time.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from assistant.conversation import split_context
from assistant.generation.evidence import (
    Analyzer,
    QueryTerms,
    ScoredSentence,
    pinned,
    query_terms,
    score_sentences,
)
from assistant.text.answer_types import answer_cues
from assistant.types import Passage


class UnitVectorSource(Protocol):
    """Where the reader gets vectors: the index's unit-vector cache."""

    def query(self, text: str) -> np.ndarray: ...

    def lookup(self, units: list[str]) -> dict[str, np.ndarray]: ...


@dataclass(frozen=True)
class ReaderWeights:
    """How the reader combines its signals (see module docstring)."""

    coverage: float = 0.65
    similarity: float = 0.0
    passage: float = 0.35
    rank_penalty: float = 0.02
    answer_type: float = 0.0  # bonus for a unit holding the kind of value asked for (a date for „Wann?“)
    subject: float = 0.0  # share of coverage that counts the passage's title and headings as said


CONTEXT_WEIGHT = 0.3
"""Weight of a follow-up's context terms relative to the question's own words."""

LEXICAL_ONLY = ReaderWeights()
# Chosen on the dev set with ``python -m evals.tune_reader`` (README: Answers).
DEFAULT_WEIGHTS = ReaderWeights(
    coverage=0.5, similarity=0.4, passage=0.15, rank_penalty=0.0, answer_type=0.2, subject=1.0
)


@dataclass
class Reading:
    """The question's terms and the passages' units, best first."""

    terms: QueryTerms
    units: list[ScoredSentence]

    @property
    def best_similarity(self) -> float:
        """The highest raw dense similarity of a unit (0 when no unit has a vector)."""
        return max((u.similarity for u in self.units if u.similarity is not None), default=0.0)

    @property
    def best_score(self) -> float:
        return self.units[0].score if self.units else 0.0


class Reader(Protocol):
    def read(self, question: str, passages: list[Passage]) -> Reading: ...


class UnitReader:
    """Scores answer units by coverage, dense similarity and passage rank."""

    def __init__(
        self,
        analyzer: Analyzer,
        vectors: UnitVectorSource | None = None,
        weights: ReaderWeights | None = None,
    ) -> None:
        self.analyzer = analyzer
        self.vectors = vectors
        self.weights = weights or (DEFAULT_WEIGHTS if vectors is not None else LEXICAL_ONLY)

    @classmethod
    def for_index(cls, index: object, weights: ReaderWeights | None = None) -> UnitReader:
        """The reader over an :class:`~assistant.index.Index` (its unit vectors when it has them,
        the similarity weight scaled by ``settings.reader_dense_weight``)."""
        units = getattr(index, "units", None)
        if weights is None and units is not None:
            scale = float(getattr(getattr(index, "settings", None), "reader_dense_weight", 1.0))
            weights = replace(DEFAULT_WEIGHTS, similarity=DEFAULT_WEIGHTS.similarity * scale)
        return cls(index, units, weights)  # type: ignore[arg-type]

    def read(self, question: str, passages: list[Passage]) -> Reading:
        analyzer = pinned(self.analyzer)
        asked, context = split_context(question)
        terms = query_terms(asked, analyzer)
        if context:  # a follow-up's subject (assistant/conversation.py): it counts, for less
            for token, weight in query_terms(context, analyzer).weights.items():
                terms.weights.setdefault(token, CONTEXT_WEIGHT * weight)
        return self.read_with_terms(question, terms, passages, analyzer)

    def read_with_terms(
        self, question: str, terms: QueryTerms, passages: list[Passage], analyzer: Analyzer
    ) -> Reading:
        """:meth:`read` with the caller's term weights and analyzer (drafting boosts topic terms
        and splits compounds the index does not)."""
        units = score_sentences(terms, passages, analyzer)
        if self.vectors is not None and units:
            self._add_similarity(question, units)
        w = self.weights
        if w != LEXICAL_ONLY:
            cues = answer_cues(question) if w.answer_type else ()
            subjects = _subject_tokens(passages, analyzer) if w.subject else {}
            sims = [u.similarity for u in units if u.similarity is not None]
            low, high = (min(sims), max(sims)) if sims else (0.0, 0.0)
            fallback = statistics.median(sims) if sims else 0.0
            span = (high - low) or 1.0
            for u in units:
                sim = u.similarity if u.similarity is not None else fallback
                scaled = (sim - low) / span if sims else 0.0
                coverage = u.coverage
                if w.subject:
                    given = terms.coverage(set(u.tokens) | subjects.get(u.passage_rank, set()))
                    coverage = (1 - w.subject) * coverage + w.subject * given
                held = sum(cue.present_in(u.text) for cue in cues) / len(cues) if cues else 0.0
                u.score = (
                    w.coverage * coverage
                    + w.similarity * scaled
                    + w.passage * u.passage_weight
                    - w.rank_penalty * u.passage_rank
                    + w.answer_type * held
                )
            units.sort(key=lambda s: (-s.score, s.passage_rank, s.position))
        return Reading(terms, units)

    def _add_similarity(self, question: str, units: list[ScoredSentence]) -> None:
        assert self.vectors is not None
        found = self.vectors.lookup([u.text for u in units])
        if not found:
            return
        query = self.vectors.query(question)
        for u in units:
            vector = found.get(u.text)
            if vector is not None:
                u.similarity = float(np.dot(query, vector))


def _subject_tokens(passages: list[Passage], analyzer: Analyzer) -> dict[int, set[str]]:
    """Per passage rank, the terms of its document title and section heading: a document rarely
    repeats its subject in every sentence („Betrieben wird die Plattform …“ under „openDesk in
    Kessbach“), so a unit is not to lose against the one sentence that names it."""
    return {
        rank: set(analyzer.analyze(f"{p.chunk.title} {p.chunk.section}")) for rank, p in enumerate(passages)
    }
