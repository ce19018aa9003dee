"""The default answerer: quotes the best answer units of the sources, each with its [n].

Needs no LLM. The reader (:mod:`assistant.generation.reader`) ranks the passages' units by
lexical coverage, dense similarity and passage rank; the best-supported unit comes first, then
at most three more that add something (no near-duplicates, nothing that only restates the
question), labelled as compiled from the sources. The first quote is made whole
(:func:`complete_first`): a sentence pointing back comes with the one before it, one that
mostly repeats the question with the one after it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace

from assistant.checks import check_bounds
from assistant.generation.abstention import AbstentionModel, load_model
from assistant.generation.base import abstention, new_answer_id
from assistant.generation.evidence import (
    Analyzer,
    ScoredSentence,
    evidence_features,
    missing_value_note,
    pinned,
    quotable,
)
from assistant.generation.reader import Reader, UnitReader
from assistant.text.answer_types import AnswerType, expected_answer_type
from assistant.text.units import answer_units, leans_on_previous
from assistant.types import Answer, Citation, Passage, Source

LABEL = "Aus den Quellen zusammengestellt (wörtliche Auszüge):"


class ExtractiveAnswerer:
    """Cited extracts from the retrieved passages, or an abstention when they don't fit."""

    mode = "extractive"

    def __init__(
        self,
        analyzer: Analyzer,
        *,
        max_sentences: int = 4,
        max_chars: int = 900,
        per_passage: int = 2,
        abstention_model: AbstentionModel | None = None,
        reader: Reader | None = None,
    ) -> None:
        check_bounds("max_sentences", max_sentences, gt=0)
        self.analyzer = analyzer
        self.max_sentences = max_sentences
        self.max_chars = max_chars
        self.per_passage = per_passage
        self.abstention_model = abstention_model or load_model()
        self.reader = reader or UnitReader.for_index(analyzer)

    def answer(self, question: str, passages: list[Passage]) -> Answer:
        started = time.perf_counter()
        if not passages:
            return abstention(question, self.mode, passages, "Keine passenden Passagen gefunden.")
        analyzer = pinned(self.analyzer)
        reading = self.reader.read(question, passages)
        terms, sentences = reading.terms, reading.units
        features = evidence_features(question, passages, analyzer, terms=terms, sentences=sentences)
        if self.abstention_model.should_abstain(features):
            answer = abstention(question, self.mode, passages, missing_value_note(question, features))
            answer.timings["generate_ms"] = round((time.perf_counter() - started) * 1000, 2)
            return answer
        chosen = self._select(sentences, expected_answer_type(question), question_tokens=set(terms.weights))
        if not chosen:
            return abstention(question, self.mode, passages, "Keine Aussage in den Passagen passt zur Frage.")
        chosen = complete_first(chosen, passages, analyzer, set(terms.weights))
        answer = compose(question, passages, chosen)
        answer.timings["generate_ms"] = round((time.perf_counter() - started) * 1000, 2)
        return answer

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str | Answer]:
        answer = self.answer(question, passages)
        yield from answer.answer.splitlines(keepends=True)
        yield answer

    def _select(
        self, sentences: list[ScoredSentence], expected: AnswerType | None, question_tokens: set[str]
    ) -> list[ScoredSentence]:
        return select_sentences(
            sentences,
            expected=expected,
            question_tokens=question_tokens,
            max_sentences=self.max_sentences,
            max_chars=self.max_chars,
            per_passage=self.per_passage,
        )


def select_sentences(
    sentences: list[ScoredSentence],
    *,
    max_sentences: int,
    max_chars: int,
    per_passage: int,
    min_share_of_best: float = 0.5,
    exclude: list[ScoredSentence] | None = None,
    expected: AnswerType | None = None,
    question_tokens: set[str] | None = None,
) -> list[ScoredSentence]:
    """Best-first choice of quotable sentences (ranked by :func:`score_sentences`): caps, no
    near-duplicates, no headings, questions or cut-off text (:func:`quotable`).

    ``exclude`` are sentences chosen elsewhere that the choice must not repeat; ``expected``
    is the kind of value the question asks for, which keeps short lines holding one quotable;
    a unit whose terms are all the question's (``question_tokens``) only restates it.
    """
    sentences = [
        s
        for s in sentences
        if quotable(s.text, expected) and not (question_tokens and s.tokens and s.tokens <= question_tokens)
    ]
    chosen: list[ScoredSentence] = []
    used_chars = 0
    best = sentences[0].score if sentences else 0.0
    for sentence in sentences:
        if len(chosen) >= max_sentences or used_chars >= max_chars:
            break
        if chosen and sentence.score < min_share_of_best * best:
            break  # weak sentences dilute a short answer
        if sum(1 for c in chosen if c.passage_rank == sentence.passage_rank) >= per_passage:
            continue
        if any(_similar(sentence.tokens, c.tokens) for c in [*chosen, *(exclude or [])]):
            continue
        chosen.append(sentence)
        used_chars += len(sentence.text)
    return chosen


MAX_COMPLETED_CHARS = 420
ECHO_SHARE = 0.4  # dev: 0.4 / 0.5 / 0.6 joined 4 / 2 / 0 more evidence sentences, held-out unchanged


def complete_first(
    chosen: list[ScoredSentence],
    passages: list[Passage],
    analyzer: Analyzer,
    question_tokens: set[str],
    *,
    max_chars: int = MAX_COMPLETED_CHARS,
    echo_share: float = ECHO_SHARE,
) -> list[ScoredSentence]:
    """The first quote made whole: with the sentence before it when it points back („Sie wird
    … vorgelegt.“), with the sentence after it when it mostly repeats the question („Jede
    Maßnahme erhält im Statusbericht eine Ampel.“ for „Was bedeutet eine gelbe Ampel im
    Statusbericht?“ leads to the sentence that says it). Both come from the same passage, in
    document order, and only while the quote stays short; a joined neighbour is not quoted twice.
    """
    if not chosen:
        return chosen
    first = chosen[0]
    units = answer_units(passages[first.passage_rank].chunk.text)
    if not (0 <= first.position < len(units)) or units[first.position] != first.text:
        return chosen  # the unit is not where the reader found it (should not happen)
    start = end = first.position
    if leans_on_previous(first.text) and start > 0 and _joinable(units[start - 1]):
        start -= 1
    tokens = set(first.tokens)
    echo = len(tokens & question_tokens) / len(tokens) if tokens else 0.0
    if echo >= echo_share and end + 1 < len(units) and _joinable(units[end + 1]):
        end += 1
    if (start, end) == (first.position, first.position):
        return chosen
    text = " ".join(units[start : end + 1])
    if len(text) > max_chars:
        return chosen
    joined = replace(first, text=text, tokens=frozenset(analyzer.analyze(text)))
    rest = [c for c in chosen[1:] if not (c.passage_rank == first.passage_rank and c.text in text)]
    return [joined, *rest]


def _joinable(unit: str) -> bool:
    """A neighbour worth joining: a statement, not a heading, a question or a table row."""
    return quotable(unit) and "|" not in unit and " · " not in unit and not unit.endswith(":")


def compose(question: str, passages: list[Passage], chosen: list[ScoredSentence]) -> Answer:
    """Write the answer text: the best-supported unit first, then the others in the order of
    the reader; sources numbered in order of first use."""
    numbers: dict[int, int] = {}
    for sentence in chosen:
        numbers.setdefault(sentence.passage_rank, len(numbers) + 1)
    lines, citations = [LABEL], []
    for sentence in chosen:
        n = numbers[sentence.passage_rank]
        chunk = passages[sentence.passage_rank].chunk
        lines.append(f"- {sentence.text} [{n}]")
        citations.append(Citation(n=n, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, sentence=sentence.text))
    sources = [
        Source.from_chunk(n, passages[rank].chunk) for rank, n in sorted(numbers.items(), key=lambda i: i[1])
    ]
    return Answer(
        answer_id=new_answer_id(),
        question=question,
        answer="\n".join(lines),
        abstained=False,
        mode="extractive",
        citations=citations,
        sources=sources,
        passages=[p.to_result() for p in passages],
    )


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / len(a | b) > 0.7
