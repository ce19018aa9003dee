"""Which passages of a query are on topic, and which of their sentences count as evidence.

A sentence counts only when its passage mentions the topic of the query that found it (a share
of the topic's IDF-weighted terms), not just the part's generic words such as "Ziele" or
"Beteiligung"; a part without such a sentence reports a gap instead of borrowing text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from assistant.drafting.models import DraftRequest
from assistant.drafting.part_evidence import GatherSettings, QueryEvidence
from assistant.drafting.request_parser import sub_questions, topic_text
from assistant.drafting.structure import DEFAULT_TYPE, load_structure
from assistant.generation.evidence import Analyzer, QueryTerms, query_terms, score_sentences
from assistant.handlungsfelder import HANDLUNGSFELDER
from assistant.text.folding import fold
from assistant.text.tables import is_header_row
from assistant.types import Passage

__all__ = ["CompoundAwareAnalyzer", "TopicJudge", "names_several_fields"]

_FOLDED_LABELS = tuple(fold(label) for label in HANDLUNGSFELDER.values())


@dataclass(frozen=True)
class TopicJudge:
    """Decides, for one query's passages, which are on its topic and which sentences are evidence."""

    analyzer: Analyzer
    settings: GatherSettings

    def scored(
        self,
        query: str,
        topic: str,
        request: DraftRequest,
        passages: list[Passage],
        *,
        headings: frozenset[str] = frozenset(),
        own_aspect: bool = False,
    ) -> QueryEvidence:
        """The query's passages with their on-topic sentences; ``headings`` are the part's
        section words when the passages are sections on the part's aspect."""
        topic_terms = self.known_terms(topic)
        # The topic's terms weigh double: within on-topic passages the part's aspect words
        # ("Herausforderungen", "Ziele") would otherwise favour the most generic sentences.
        # In a section on the part's aspect, the section words count as aspect words too: a
        # sentence on "Lizenzkosten" under "Kosten und Einsparungen" speaks to the part
        # "Umsetzung und Monitoring" though the part's words do not name costs.
        aspect_terms = {
            **{t: self.analyzer.idf(t) for t in headings},
            **query_terms(query, self.analyzer).weights,
        }
        terms = QueryTerms(
            {t: w * (2.0 if t in topic_terms.weights else 1.0) for t, w in aspect_terms.items()}
        )
        # The sentences of on-topic passages count as evidence when they share at least one term
        # with the query; a topic term also counts inside a compound the analyzer does not split
        # ("Breitbandkoordination" names "Breitband").
        analyzer = CompoundAwareAnalyzer(self.analyzer, topic_terms.weights)
        clauses = [self.known_terms(c) for c in self.clauses(topic, request)] or [topic_terms]
        named = {
            rank
            for rank, p in enumerate(passages)
            if any(
                c.coverage(tokens) >= self.min_coverage(c)
                for tokens in [set(analyzer.analyze(p.chunk.embedding_text()))]
                for c in clauses
            )
        }
        on_topic = self._on_topic(passages, named, request.handlungsfeld, own_aspect)
        sentences = [
            s
            for s in score_sentences(terms, passages, analyzer)
            if s.passage_rank in on_topic
            and (s.coverage > 0 or (self.settings.uncovered_in_named and s.passage_rank in named))
            and not is_header_row(s.text, passages[s.passage_rank].chunk.text)
            and not names_several_fields(s.text)
        ]
        return QueryEvidence(query, topic, passages, sentences)

    def _on_topic(
        self, passages: list[Passage], named: set[int], field: str | None, own_aspect: bool
    ) -> set[int]:
        """The ranks of the passages on topic.

        A passage is on topic when it is tagged with the section's Handlungsfeld or, with its
        title and headings, names the query's topic (``named``). When the topic is the part's own
        aspect (a section on Umsetzung for the part "Umsetzung und Monitoring"), the query is the
        aspect itself and the passages the retriever ranks highest for it are on topic: a passage
        on "personelle Ressourcen" answers "Personal und Ressourcen" without naming "Umsetzung".
        """
        # A document that treats the topic goes on about it in the next passages without
        # repeating its words („Langfristig empfehlen wir …“ after „Top-down: …“): passages close
        # to one that names the topic, in the same document, are on topic too.
        near = {
            rank
            for rank, p in enumerate(passages)
            if any(
                passages[other].chunk.doc_id == p.chunk.doc_id
                and abs(passages[other].chunk.position - p.chunk.position) <= self.settings.topic_neighbours
                for other in named
            )
        }
        return {
            rank
            for rank, p in enumerate(passages)
            if (own_aspect and rank < self.settings.own_aspect_ranks)
            or (field is not None and field in p.chunk.handlungsfelder)
            or rank in named
            or rank in near
        }

    def clauses(self, topic: str, request: DraftRequest) -> list[str]:
        """What a passage may name to be on the topic of a question: each of its sub-questions
        („Sollen wir top-down oder bottom-up angehen“, „was empfiehlst du als ersten Schritt“),
        and for a type that has one, the type's own subject (a preamble is about the
        digitalisation of the municipality however its question is worded). Empty for a plain
        topic: then the topic as a whole."""
        if request.handlungsfeld is not None or topic != topic_text(request.section):
            return []
        question = request.section.endswith("?")
        clauses = [topic_text(q) for q in sub_questions(request.section)] if question else []
        implied = load_structure().types[request.doc_type].implied_topic
        if implied and request.doc_type != DEFAULT_TYPE:
            clauses.append(implied)
        if not clauses or (len(clauses) == 1 and not implied):
            return []
        return [topic, *clauses]

    def min_coverage(self, terms: QueryTerms) -> float:
        """The share of a topic's terms a passage must name: a short topic ("Digitale
        Souveränität") needs more than its most common word, a long one (a question) fewer."""
        if len(terms.weights) >= self.settings.long_topic_terms:
            return self.settings.min_long_topic_coverage
        return self.settings.min_topic_coverage

    def known_terms(self, topic: str) -> QueryTerms:
        """The topic's terms that some document contains: a word no document uses („Governance“)
        cannot decide which passages are on topic, and its high IDF would rule out every passage."""
        terms = query_terms(topic, self.analyzer)
        known = {t: w for t, w in terms.weights.items() if self.analyzer.df(t) > 0}
        return QueryTerms(known) if known else terms

    def names_aspect(self, topic: str, aspect: QueryTerms) -> bool:
        """True when a topic is the part's own aspect ("Umsetzung, Steuerung und Monitoring" for
        "Umsetzung und Monitoring"): most of its IDF-weighted terms are the aspect's words."""
        terms = query_terms(topic, self.analyzer)
        return terms.coverage(set(aspect.weights)) >= self.settings.own_aspect_coverage


class CompoundAwareAnalyzer:
    """The index's analyzer, plus the given terms where a token contains them as a compound part.

    The analyzer splits compounds it knows ("Glasfaserausbau" -> glasfas, ausbau) but not every
    one ("Breitbandkoordination"); a sentence about the Breitbandkoordination still speaks about
    Breitband. A term counts when a longer token begins or ends with it; short terms (under
    ``min_chars``) only as whole tokens, so "ort" does not match "Sport".
    """

    def __init__(self, analyzer: Analyzer, terms: Iterable[str], *, min_chars: int = 5) -> None:
        self.inner = analyzer
        self.terms = tuple(dict.fromkeys(t for t in terms if len(t) >= min_chars))

    def analyze(self, text: str) -> list[str]:
        """The inner analyzer's tokens, then the terms found inside longer tokens."""
        tokens = self.inner.analyze(text)
        present = set(tokens)
        parts = [
            term
            for term in self.terms
            if term not in present
            and any(len(t) > len(term) and (t.startswith(term) or t.endswith(term)) for t in present)
        ]
        return tokens + parts

    def idf(self, token: str) -> float:
        """The inner analyzer's IDF."""
        return self.inner.idf(token)

    def df(self, token: str) -> int:
        """The inner analyzer's document frequency."""
        return self.inner.df(token)


def names_several_fields(text: str) -> bool:
    """True for a sentence that lists several Handlungsfelder: it describes a strategy's outline,
    not the content of one field."""
    folded = fold(text)
    return sum(1 for label in _FOLDED_LABELS if label in folded) >= 2
