"""Finding the evidence for each part of a draft: its own queries, a case-study preference, a gap check.

Every part is retrieved with its own German queries through the hybrid retriever with the
diversity step: the part's aspect ("Ausganglage", "Maßnahmen", …) applied to the section, and
the part's first query applied to every sub-topic (a Handlungsfeld's focus terms, the topics
named in the author's notes), so each wish of the author is searched on its own. When the
profile gives a size class, case studies are preferred, those of municipalities of the same size
class (the municipality's "… Einwohner" as the document states it) a little more. The case
studies found are read once more for their sections on the part's aspect (headed "Ausgangslage",
"Kosten und Einsparungen", …; ``sections`` in structure.yaml), one more query of the part.

A sentence counts as evidence only when it mentions the topic of the query that found it (a
share of the topic's IDF-weighted terms), not just the part's generic words such as "Ziele" or
"Beteiligung". A part without such a sentence reports a gap instead of borrowing text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from assistant.drafting.models import DraftRequest, MunicipalityProfile, size_class_for
from assistant.drafting.request_parser import (
    content_words,
    parse_inhabitants,
    parse_questions,
    split_lead_in,
    sub_questions,
    topic_text,
)
from assistant.drafting.structure import DEFAULT_TYPE, PartSpec, load_structure
from assistant.generation.evidence import Analyzer, QueryTerms, ScoredSentence, query_terms, score_sentences
from assistant.handlungsfelder import HANDLUNGSFELDER
from assistant.retrieval.base import Retriever
from assistant.retrieval.diversity import DiverseRetriever
from assistant.text.folding import fold as _fold
from assistant.text.tables import is_header_row
from assistant.types import Chunk, Passage, SearchFilters

ASPECT_SECTION = "aspect_section"
"""Key in ``Passage.scores`` of a passage read as a section on the part's aspect."""
_FOLDED_LABELS = tuple(_fold(label) for label in HANDLUNGSFELDER.values())
_FRAGMENT_SPLIT = re.compile(r"[,;.!?:()„“\"”»«–]|\s-\s")


@dataclass
class QueryEvidence:
    """One query of a part, the passages it found and their sentences that mention its topic."""

    query: str
    topic: str
    passages: list[Passage]
    sentences: list[ScoredSentence] = field(default_factory=list)
    """On-topic sentences, best first; ``passage_rank`` indexes ``passages``."""
    main: bool = False
    """One of the part's own queries (its aspect applied to the section): its best sentence
    opens the part."""


@dataclass
class PartEvidence:
    """What one part may be written from."""

    spec: PartSpec
    queries: list[QueryEvidence]

    @property
    def gap(self) -> bool:
        """True when no query found a sentence that mentions its topic."""
        return not any(q.sentences for q in self.queries)

    def passages(self) -> list[Passage]:
        """Distinct passages of all queries, best score first."""
        best: dict[str, Passage] = {}
        for q in self.queries:
            for p in q.passages:
                if p.chunk.chunk_id not in best or p.score > best[p.chunk.chunk_id].score:
                    best[p.chunk.chunk_id] = p
        return sorted(best.values(), key=lambda p: (-p.score, p.chunk.chunk_id))


@dataclass
class GatherSettings:
    per_query: int = 10
    """Passages per query: the part's statements are chosen from the pool of all its queries."""
    aspect_sections: int = 4
    """Chunks under a heading on the part's aspect read from the documents the part found (0: off)."""
    aspect_section_types: tuple[str, ...] = ("case_study",)
    """Document types whose sections on the part's aspect are read: a case study's sections are
    short and each tells one aspect; a strategy's heading spans many chunks."""
    main_after: int = 2
    """The section's own queries come after this many sub-topic queries (the author's wishes first)."""
    max_subtopics: int = 10
    case_study_boost: float = 0.15
    size_match_boost: float = 0.15
    min_topic_coverage: float = 0.34
    """Share of a query topic's IDF-weighted terms (of one of its clauses, for a question with
    several) a passage (with title and headings) must contain."""
    long_topic_terms: int = 4
    min_long_topic_coverage: float = 0.2
    """The share for a topic of ``long_topic_terms`` terms or more (a question, a long section
    name): its passages name a part of it, in the other words of other documents."""
    uncovered_in_named: bool = True
    """Sentences of a passage that names the topic count even without a query term („Wer vor
    dem Zuwendungsbescheid Aufträge vergibt …“ under „Fördermittel“); they rank low."""
    topic_neighbours: int = 3
    """Passages this close (chunk positions) to one that names the topic, in the same document,
    are on topic too (0: off)."""
    own_aspect_coverage: float = 0.75
    """Share of a topic's IDF-weighted terms that must be the part's aspect words for the topic to
    count as the part's own aspect (then the retriever's ranking judges what is on topic)."""
    own_aspect_ranks: int = 3
    """For a topic that is the part's own aspect, the passages this high in the query's ranking are
    on topic without naming it (further down, the retriever's judgement is too weak alone)."""
    per_document: int = 3
    """Passages per document and query: a draft summarises several parts of a long strategy, not
    only its two best chunks (the answerers' diversity step keeps two)."""


class EvidenceGatherer:
    """Retrieves and ranks the passages for each part of a draft."""

    def __init__(
        self,
        retriever: Retriever,
        analyzer: Analyzer,
        *,
        document_chunks: Callable[[str], list[Chunk]] | None = None,
        settings: GatherSettings | None = None,
    ) -> None:
        self.retriever = retriever
        self.analyzer = analyzer
        self.document_chunks = document_chunks
        self.settings = settings or GatherSettings()
        self._inhabitants: dict[str, int | None] = {}
        self._found: dict[tuple[str, str], list[Passage]] = {}

    def subtopics(self, request: DraftRequest) -> list[str]:
        """The topics searched one by one: those in the author's notes and questions, then (for a
        Handlungsfeld section) the Handlungsfeld's focus terms."""
        topics = note_topics(request.notes)
        slug = request.handlungsfeld
        structure = load_structure()
        if slug is not None and request.doc_type == DEFAULT_TYPE:
            topics += list(structure.focus.get(slug, ()))
        else:
            topics += list(structure.types[request.doc_type].focus)
        seen: set[str] = set()
        unique = []
        for topic in topics:
            key = " ".join(sorted(self.analyzer.analyze(topic)))
            if key and key not in seen:
                seen.add(key)
                unique.append(topic)
        return unique[: self.settings.max_subtopics]

    def gather(
        self,
        request: DraftRequest,
        spec: PartSpec,
        filters: SearchFilters | None = None,
        subtopics: list[str] | None = None,
    ) -> PartEvidence:
        """The queries of one part with their passages and on-topic sentences."""
        if subtopics is None:
            subtopics = self.subtopics(request)
        topic = request.topic
        topic_terms = topic_text(topic) or topic
        focus = set(load_structure().types[request.doc_type].focus)
        # A free topic is searched by its content words ("Einleitung: Wie wir unsere
        # Digitalstrategie erarbeiten" -> "Digitalstrategie erarbeiten"); a Handlungsfeld by its name.
        section = topic if request.handlungsfeld is not None else topic_terms
        # A single word of a free request ("mit Kosten, Risiken", "Wer steuert?") is an aspect of
        # its topic, not a topic of its own: it is searched within the topic.
        if request.handlungsfeld is None:
            subtopics = [
                sub if len(content_words(sub)) > 1 or sub in focus else f"{topic_terms} {sub}"
                for sub in subtopics
            ]
        plan = [(spec.expand_queries(sub)[0], sub, filters) for sub in subtopics]
        own = spec.expand_queries(section)
        # The request's questions, each as a query of its own ("Wen beteiligen wir wann und wie?"):
        # what the author asks is what every part must answer.
        questions = [topic_text(q) for q in parse_questions(request.notes)]
        plan[self.settings.main_after : self.settings.main_after] = [
            *((query, topic_terms, filters) for query in own),
            *((q, q, filters) for q in questions if q and q != topic_terms),
        ]
        wishes = request_query(request)
        if wishes:
            # The author's request as a whole: a free topic has no focus terms, and its notes
            # split into fragments ("Wer steuert", "wie berichten wir") too short to search alone.
            plan.append((wishes, wishes, filters))
        case_studies = _case_study_filters(filters)
        if spec.prefer_case_studies and request.profile.size_class and case_studies is not None:
            # Comparable municipalities' experience: the part's sub-topics among case studies only.
            hint = _profile_hint(request.profile)
            plan += [(f"{query} ({hint})", sub, case_studies) for query, sub, _ in plan[-3:]]
        aspect = query_terms(part_aspect(spec), self.analyzer)
        queries = [
            self._query(query, sub, request, f, own_aspect=self._names_aspect(sub, aspect))
            for query, sub, f in plan
        ]
        for q in queries:
            q.main = q.query in own and q.topic == topic_terms
        sections = self._aspect_sections(spec, request, queries, topic_terms)
        if sections is not None:
            queries.append(sections)
        return PartEvidence(spec, queries)

    def _aspect_sections(
        self, spec: PartSpec, request: DraftRequest, queries: list[QueryEvidence], topic: str
    ) -> QueryEvidence | None:
        """The sections on the part's aspect of the documents the part's queries found.

        A case study tells its "Ausgangslage" or its "Kosten und Einsparungen" in a section of its
        own, which the part's queries rarely rank high: they name the section's topic, and the
        document's other chunks name it more often. So the documents the part found on topic are
        read once more for chunks under a heading the part names (``sections`` in
        structure.yaml), ranked by their document's best passage.
        """
        headings = self._section_terms(spec)
        if not headings or self.document_chunks is None or self.settings.aspect_sections <= 0:
            return None
        best: dict[str, Passage] = {}
        for q in queries:
            ranks = {s.passage_rank for s in q.sentences}
            for rank in ranks:
                p = q.passages[rank]
                if p.chunk.doc_type not in self.settings.aspect_section_types:
                    continue
                if p.chunk.doc_id not in best or p.score > best[p.chunk.doc_id].score:
                    best[p.chunk.doc_id] = p
        passages = []
        for doc_id, top in sorted(best.items(), key=lambda item: (-item[1].score, item[0])):
            for chunk in self.document_chunks(doc_id):
                if self._heading_matches(chunk, headings):
                    scores = {**top.scores, ASPECT_SECTION: 1.0}
                    passages.append(Passage(chunk=chunk, score=top.score, scores=scores))
            if len(passages) >= self.settings.aspect_sections:
                break
        if not passages:
            return None
        return self._scored(
            part_aspect(spec), topic, request, passages[: self.settings.aspect_sections], headings=headings
        )

    def _clauses(self, topic: str, request: DraftRequest) -> list[str]:
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

    def _min_coverage(self, terms: QueryTerms) -> float:
        """The share of a topic's terms a passage must name: a short topic ("Digitale
        Souveränität") needs more than its most common word, a long one (a question) fewer."""
        if len(terms.weights) >= self.settings.long_topic_terms:
            return self.settings.min_long_topic_coverage
        return self.settings.min_topic_coverage

    def _known_terms(self, topic: str) -> QueryTerms:
        """The topic's terms that some document contains: a word no document uses („Governance“)
        cannot decide which passages are on topic, and its high IDF would rule out every passage."""
        terms = query_terms(topic, self.analyzer)
        known = {t: w for t, w in terms.weights.items() if self.analyzer.df(t) > 0}
        return QueryTerms(known) if known else terms

    def _names_aspect(self, topic: str, aspect: QueryTerms) -> bool:
        """True when a topic is the part's own aspect ("Umsetzung, Steuerung und Monitoring" for
        "Umsetzung und Monitoring"): most of its IDF-weighted terms are the aspect's words."""
        terms = query_terms(topic, self.analyzer)
        return terms.coverage(set(aspect.weights)) >= self.settings.own_aspect_coverage

    def _retrieve(self, query: str, filters: SearchFilters | None) -> list[Passage]:
        """The retriever's passages, once per query and filters (parts share the request's query)."""
        key = (query, filters.model_dump_json() if filters is not None else "")
        if key not in self._found:
            self._found[key] = self.retriever.retrieve(query, self.settings.per_query, filters)
        return self._found[key]

    def _query(
        self,
        query: str,
        topic: str,
        request: DraftRequest,
        filters: SearchFilters | None,
        *,
        own_aspect: bool = False,
    ) -> QueryEvidence:
        found = self._retrieve(query, filters)
        passages = sorted(
            (self._boosted(p, request.profile) for p in found), key=lambda p: (-p.score, p.chunk.chunk_id)
        )
        return self._scored(query, topic, request, passages, own_aspect=own_aspect)

    def _scored(
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
        topic_terms = self._known_terms(topic)
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
        # A passage is on topic when it is tagged with the section's Handlungsfeld or, with its
        # title and headings, names the query's topic. When the topic is the part's own aspect
        # (a section on Umsetzung for the part "Umsetzung und Monitoring"), the query is the
        # aspect itself and the passages the retriever ranks highest for it are on topic: a passage
        # on "personelle Ressourcen" answers "Personal und Ressourcen" without naming "Umsetzung".
        # The sentences of on-topic passages count as evidence when they share at least one term
        # with the query; a topic term also counts inside a compound the analyzer does not split
        # ("Breitbandkoordination" names "Breitband").
        analyzer = CompoundAwareAnalyzer(self.analyzer, topic_terms.weights)
        field = request.handlungsfeld
        clauses = [self._known_terms(c) for c in self._clauses(topic, request)] or [topic_terms]
        named = {
            rank
            for rank, p in enumerate(passages)
            if any(
                c.coverage(tokens) >= self._min_coverage(c)
                for tokens in [set(analyzer.analyze(p.chunk.embedding_text()))]
                for c in clauses
            )
        }
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
        on_topic = {
            rank
            for rank, p in enumerate(passages)
            if (own_aspect and rank < self.settings.own_aspect_ranks)
            or (field is not None and field in p.chunk.handlungsfelder)
            or rank in named
            or rank in near
        }
        sentences = [
            s
            for s in score_sentences(terms, passages, analyzer)
            if s.passage_rank in on_topic
            and (s.coverage > 0 or (self.settings.uncovered_in_named and s.passage_rank in named))
            and not is_header_row(s.text, passages[s.passage_rank].chunk.text)
            and not names_several_fields(s.text)
        ]
        return QueryEvidence(query, topic, passages, sentences)

    def _section_terms(self, spec: PartSpec) -> frozenset[str]:
        """The analyzed terms of the part's section headings ("Ausgangslage", "Kosten", ...)."""
        return frozenset(t for heading in spec.sections for t in self.analyzer.analyze(heading))

    def _boosted(self, passage: Passage, profile: MunicipalityProfile) -> Passage:
        if not profile.size_class or passage.chunk.doc_type != "case_study":
            return passage
        boost = self.settings.case_study_boost
        if self._same_size(passage.chunk, profile):
            boost += self.settings.size_match_boost
        scores = {**passage.scores, "case_study_boost": boost}
        return Passage(chunk=passage.chunk, score=passage.score * (1 + boost), scores=scores)

    def _heading_matches(self, chunk: Chunk, headings: frozenset[str]) -> bool:
        """True when a heading of the chunk's section path (not the document's title) names one
        of the part's section words, also inside a compound ("Ausgangssituation", "Finanzierungsmodell")."""
        title = chunk.title.strip()
        path = " ".join(h for h in chunk.section.split(" > ") if h.strip() and h.strip() != title)
        if not path:
            return False
        return bool(headings & set(CompoundAwareAnalyzer(self.analyzer, headings).analyze(path)))

    def _same_size(self, chunk: Chunk, profile: MunicipalityProfile) -> bool:
        municipality = chunk.municipality or ""
        if profile.size_class in ("Landkreis", "Region"):
            return municipality.startswith(("Landkreis", "Kreis", "Region"))
        if municipality.startswith(("Landkreis", "Kreis", "Region")):
            return False
        inhabitants = self._document_inhabitants(chunk.doc_id)
        return inhabitants is not None and size_class_for(inhabitants) == profile.size_class

    def _document_inhabitants(self, doc_id: str) -> int | None:
        """Inhabitants a document states first ("… rund 7.900 Einwohnerinnen …"), cached per document."""
        if doc_id not in self._inhabitants:
            chunks = self.document_chunks(doc_id) if self.document_chunks else []
            self._inhabitants[doc_id] = next(
                (n for n in (parse_inhabitants(c.text) for c in chunks) if n is not None), None
            )
        return self._inhabitants[doc_id]


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
        return self.inner.idf(token)

    def df(self, token: str) -> int:
        return self.inner.df(token)


def drafting_retriever(retriever: Retriever, per_document: int) -> Retriever:
    """Drafting's retriever: the answers' diversity step swapped for drafting's own.

    Answers want a few passages from different places, so their diversity step keeps two
    passages per document and none next to one already kept. A draft summarises: the next chunk
    of a long strategy often carries the next measure or goal, and the part's selection already
    spreads its statements over documents. So drafting keeps up to ``per_document`` passages per
    document and query, neighbours included.
    """
    if isinstance(retriever, DiverseRetriever):
        return DiverseRetriever(
            retriever.inner, candidates=retriever.candidates, per_document=per_document, min_gap=1
        )
    return retriever


def part_aspect(spec: PartSpec) -> str:
    """What a part is about: its title and its first query without the topic ("Umsetzung und
    Monitoring Umsetzung, Steuerung und Berichterstattung")."""
    first = spec.queries[0].replace("{topic}", " ") if spec.queries else ""
    return f"{spec.title} {first}".replace(":", " ")


def note_topics(notes: str) -> list[str]:
    """The topics an author's notes name ("Open Source, Datenhoheit bei Verträgen, IT-Sicherheit"):
    fragments between punctuation, and each question of a sentence that asks several (an
    enumeration inside a question, „Kommunen, Wirtschaft und Bürgerschaft“, stays whole)."""
    from assistant.text.sentences import split_sentences

    fragments: list[str] = []
    for sentence in split_sentences(" ".join(notes.split())) if notes.strip() else []:
        if sentence.rstrip().endswith("?"):
            lead, question = split_lead_in(sentence.strip())
            fragments += _FRAGMENT_SPLIT.split(lead) + sub_questions(question)
        else:
            fragments += _FRAGMENT_SPLIT.split(sentence)
    topics = [topic_text(fragment).strip(" ,;:?!") for fragment in fragments]
    return [topic for topic in topics if len(topic) >= 4]


def request_query(request: DraftRequest, min_words: int = 3) -> str | None:
    """The content words of a free topic's notes as one query, or None.

    Only for free topics: a Handlungsfeld brings focus terms of its own. Notes with fewer than
    ``min_words`` content words are already searched as sub-topics.
    """
    if request.handlungsfeld is not None:
        return None
    words = topic_text(_FRAGMENT_SPLIT.sub(" ", request.notes)).split()
    return " ".join(words) if len(words) >= min_words else None


def names_several_fields(text: str) -> bool:
    """True for a sentence that lists several Handlungsfelder: it describes a strategy's outline,
    not the content of one field."""
    folded = _fold(text)
    return sum(1 for label in _FOLDED_LABELS if label in folded) >= 2


def _case_study_filters(filters: SearchFilters | None) -> SearchFilters | None:
    """The caller's filters restricted to case studies, or None when they exclude case studies."""
    if filters is None:
        return SearchFilters(doc_type="case_study")
    if filters.doc_type not in (None, "case_study"):
        return None
    return filters.model_copy(update={"doc_type": "case_study"})


def _profile_hint(profile: MunicipalityProfile) -> str:
    if profile.size_class in ("Landkreis", "Region"):
        return f"{profile.size_class}, interkommunal"
    if profile.kind == "Gemeinde":
        return f"{profile.size_class}, kleine Gemeinde"
    return f"{profile.size_class}"
