"""Evidence gathering without an index: compounds, drafting's diversity step, a part's own aspect,
the sections on a part's aspect of the case studies found."""

from __future__ import annotations

from assistant.drafting.gather import (
    ASPECT_SECTION,
    CompoundAwareAnalyzer,
    EvidenceGatherer,
    drafting_retriever,
    part_aspect,
)
from assistant.drafting.models import DraftRequest
from assistant.drafting.structure import load_structure
from assistant.generation.evidence import query_terms
from assistant.retrieval.diversity import DiverseRetriever
from assistant.types import Chunk, Passage, SearchFilters
from tests.fakes.word_analyzer import WordAnalyzer


class ListRetriever:
    name = "list"

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages

    def retrieve(self, query: str, k: int, filters: SearchFilters | None = None) -> list[Passage]:
        return self.passages[:k]


def passage(doc: str, position: int, score: float) -> Passage:
    chunk = Chunk(
        chunk_id=f"{doc}::{position}", doc_id=doc, text="…", title=doc, source=f"{doc}.md", position=position
    )
    return Passage(chunk=chunk, score=score)


def test_query_terms_are_found_inside_unsplit_compounds() -> None:
    analyzer = CompoundAwareAnalyzer(WordAnalyzer(), ["breitband", "ort", "glasfaser"])
    tokens = analyzer.analyze("Die Breitbandkoordination berät jede Gemeinde im Sportverein")

    assert "breitband" in tokens, "a compound that begins with a term names it"
    assert "ort" not in tokens, "short terms only as whole words: 'Sportverein' is not about 'Ort'"
    assert "glasfaser" not in tokens
    assert (
        CompoundAwareAnalyzer(WordAnalyzer(), ["sensor"]).analyze("Drei Pegelsensor melden")[-1] == "sensor"
    )
    assert analyzer.idf("breitband") == 1.0 and analyzer.df("breitband") == 1


def test_drafting_keeps_neighbouring_chunks_and_three_per_document() -> None:
    found = [passage("strategie", position, 1.0 - position / 10) for position in range(5)]
    found.append(passage("leitfaden", 0, 0.1))
    diverse = DiverseRetriever(ListRetriever(found))

    answers = [p.chunk.chunk_id for p in diverse.retrieve("q", 4)]
    assert answers == ["strategie::0", "strategie::2", "leitfaden::0", "strategie::1"], (
        "answers skip neighbours"
    )

    retriever = drafting_retriever(ListRetriever(found), 3)
    drafted = [p.chunk.chunk_id for p in retriever.retrieve("q", 4)]
    assert drafted == ["strategie::0", "strategie::1", "strategie::2", "leitfaden::0"]


def test_a_section_on_the_parts_own_aspect_is_recognised() -> None:
    judge = EvidenceGatherer(ListRetriever([]), WordAnalyzer()).judge
    parts = {spec.key: spec for spec in load_structure().parts}
    monitoring = query_terms(part_aspect(parts["monitoring"]), WordAnalyzer())
    measures = query_terms(part_aspect(parts["massnahmen"]), WordAnalyzer())

    assert judge.names_aspect("Umsetzung, Steuerung und Monitoring", monitoring)
    assert not judge.names_aspect("Umsetzung, Steuerung und Monitoring", measures)
    assert not judge.names_aspect("Digitale Souveränität", monitoring)


def test_the_agenda_being_written_is_not_a_topic() -> None:
    from assistant.drafting.gather import note_topics

    notes = "Bitte einen Entwurf für das Kapitel unserer Digitalen Agenda: Schwerpunkt digitale Teilhabe"
    assert note_topics(notes) == ["digitale Teilhabe"], 'no "Digitalen" or "Agenda" left as a sub-topic'


def test_a_found_case_studys_section_on_the_parts_aspect_is_read() -> None:
    def chunk(doc: str, doc_type: str, position: int, section: str, text: str) -> Chunk:
        return Chunk(
            chunk_id=f"{doc}::{position}",
            doc_id=doc,
            text=text,
            title=doc.capitalize(),
            source=f"{doc}.md",
            doc_type=doc_type,
            section=section,
            position=position,
            handlungsfelder=["souveraenitaet"],
        )

    case = [
        chunk("fall", "case_study", 0, "Fall > Betrieb", "Open Source beim kommunalen Dienstleister."),
        chunk("fall", "case_study", 1, "Kosten und Einsparungen", "Weniger Kosten für Lizenzen."),
        chunk("fall", "case_study", 2, "Fall > Ausgangslage", "Bisher nur proprietäre Software im Rathaus."),
    ]
    strategy = [
        chunk("strategie", "strategy", 0, "Ziele", "Die Umsetzung steuert ein Lenkungskreis."),
        chunk("strategie", "strategy", 5, "Kosten", "Die Kosten trägt der Haushalt."),
    ]
    chunks = {"fall": case, "strategie": strategy}
    retriever = ListRetriever([Passage(chunk=case[0], score=1.0), Passage(chunk=strategy[0], score=0.9)])
    gatherer = EvidenceGatherer(retriever, WordAnalyzer(), document_chunks=lambda doc: chunks[doc])
    parts = {spec.key: spec for spec in load_structure().parts}
    request = DraftRequest(section="Digitale Souveränität", notes="")

    evidence = gatherer.gather(request, parts["monitoring"])
    sections = evidence.queries[-1]
    assert [p.chunk.chunk_id for p in sections.passages] == ["fall::0", "fall::1"], (
        "the found case study's sections titled like the part; no strategy section, no other aspect"
    )
    assert all(ASPECT_SECTION in p.scores for p in sections.passages)
    assert any("Kosten" in s.text for s in sections.sentences), "a heading word counts as the part's word"

    ausgangslage = gatherer.gather(request, parts["ausgangslage"]).queries[-1]
    assert [p.chunk.chunk_id for p in ausgangslage.passages] == ["fall::2"]


def test_a_question_is_on_topic_by_any_of_its_questions_and_nearby_passages() -> None:
    def chunk(doc: str, position: int, text: str) -> Chunk:
        return Chunk(
            chunk_id=f"{doc}::{position}",
            doc_id=doc,
            text=text,
            title=doc,
            source=f"{doc}.md",
            position=position,
        )

    found = [
        Passage(
            chunk=chunk("leitfaden", 0, "Top-down oder bottom-up: die Initiative kommt von oben."), score=1.0
        ),
        Passage(
            chunk=chunk("leitfaden", 2, "Unsere Empfehlung ist langfristig eine Balance der Wege."), score=0.9
        ),
        Passage(chunk=chunk("leitfaden", 9, "Die Kosten trägt der Haushalt, eine Balance fehlt."), score=0.8),
        Passage(chunk=chunk("andere", 0, "Eine Balance der Wege hilft jeder Stadt."), score=0.7),
    ]
    gatherer = EvidenceGatherer(ListRetriever(found), WordAnalyzer())
    request = DraftRequest(
        section="Sollen wir top-down oder bottom-up vorgehen, und was empfiehlt sich?", type="memo"
    )
    spec = next(p for p in load_structure().types["memo"].parts if p.key == "empfehlung")

    evidence = gatherer.gather(request, spec)
    ranks = {s.passage_rank for q in evidence.queries for s in q.sentences if q.topic == q.query or q.main}
    assert 0 in ranks and 1 in ranks, "the passage that names the question, and its neighbour in the document"
    assert 2 not in ranks and 3 not in ranks, "far from it, or in another document, a passage must name it"


def test_a_single_word_of_a_free_request_is_searched_within_its_topic() -> None:
    gatherer = EvidenceGatherer(ListRetriever([]), WordAnalyzer())
    request = DraftRequest(
        section="Sollen wir auf openDesk umstellen?", notes="Bitte mit Kosten, Risiken und Empfehlung"
    )
    spec = load_structure().types["memo"].parts[0]

    topics = {q.topic for q in gatherer.gather(request, spec).queries}
    assert any(t.endswith("Kosten") and "openDesk" in t for t in topics), topics
    assert "Kosten" not in topics
