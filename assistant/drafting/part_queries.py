"""The queries of a draft's part: its aspect applied to the section, to every sub-topic the
author's notes and the type's focus name, to the request's questions, and among case studies.

Each wish of the author is searched on its own; when the profile gives a size class, the last
queries are repeated among case studies with a hint at the municipality's size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.drafting.models import DraftRequest, MunicipalityProfile
from assistant.drafting.part_evidence import GatherSettings
from assistant.drafting.request_parser import (
    content_words,
    parse_questions,
    split_lead_in,
    sub_questions,
    topic_text,
)
from assistant.drafting.structure import DEFAULT_TYPE, PartSpec, load_structure
from assistant.generation.evidence import Analyzer
from assistant.types import SearchFilters

__all__ = [
    "PlannedQuery",
    "QueryPlan",
    "note_topics",
    "part_aspect",
    "plan_queries",
    "request_query",
    "subtopics",
]

_FRAGMENT_SPLIT = re.compile(r"[,;.!?:()„“\"”»«–]|\s-\s")


@dataclass(frozen=True)
class PlannedQuery:
    """One query to run: its text, the topic its passages must name, and its filters."""

    query: str
    topic: str
    filters: SearchFilters | None


@dataclass(frozen=True)
class QueryPlan:
    """A part's queries in the order they run, and which of them are the part's own."""

    queries: list[PlannedQuery]
    own: list[str]
    """The part's aspect applied to the section: the best sentence of one of them opens the part."""
    topic: str
    """The section as its content words: the topic of the part's own queries."""


def subtopics(request: DraftRequest, analyzer: Analyzer, max_subtopics: int) -> list[str]:
    """The topics searched one by one: those in the author's notes and questions, then (for a
    Handlungsfeld section) the Handlungsfeld's focus terms; each once (by its analyzed terms)."""
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
        key = " ".join(sorted(analyzer.analyze(topic)))
        if key and key not in seen:
            seen.add(key)
            unique.append(topic)
    return unique[:max_subtopics]


def plan_queries(
    request: DraftRequest,
    spec: PartSpec,
    filters: SearchFilters | None,
    subtopics: list[str],
    settings: GatherSettings,
) -> QueryPlan:
    """The queries of one part, the author's sub-topics first, then the part's own queries."""
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
    plan = [PlannedQuery(spec.expand_queries(sub)[0], sub, filters) for sub in subtopics]
    own = spec.expand_queries(section)
    # The request's questions, each as a query of its own ("Wen beteiligen wir wann und wie?"):
    # what the author asks is what every part must answer.
    questions = [topic_text(q) for q in parse_questions(request.notes)]
    plan[settings.main_after : settings.main_after] = [
        *(PlannedQuery(query, topic_terms, filters) for query in own),
        *(PlannedQuery(q, q, filters) for q in questions if q and q != topic_terms),
    ]
    wishes = request_query(request)
    if wishes:
        # The author's request as a whole: a free topic has no focus terms, and its notes
        # split into fragments ("Wer steuert", "wie berichten wir") too short to search alone.
        plan.append(PlannedQuery(wishes, wishes, filters))
    case_studies = _case_study_filters(filters)
    if spec.prefer_case_studies and request.profile.size_class and case_studies is not None:
        # Comparable municipalities' experience: the part's sub-topics among case studies only.
        hint = _profile_hint(request.profile)
        plan += [PlannedQuery(f"{p.query} ({hint})", p.topic, case_studies) for p in plan[-3:]]
    return QueryPlan(plan, own, topic_terms)


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
