"""Part roles: which sentences recommend, name a step, weigh options; publication self-references."""

from __future__ import annotations

import pytest

from assistant.drafting.base import LEAD_ROLE_WITHIN, _lead, choose_statements, is_statement
from assistant.drafting.models import DraftRequest
from assistant.drafting.part_evidence import GatherSettings, PartEvidence, QueryEvidence
from assistant.drafting.role_passages import ROLE_NEIGHBOURS, role_neighbours
from assistant.drafting.selection import Candidate, SelectionWeights, select_diverse
from assistant.drafting.sentence_roles import ROLES, fits_role, refers_to_publication
from assistant.drafting.structure import PartSpec, _part, load_structure
from assistant.generation.evidence import ScoredSentence, query_terms
from assistant.types import Chunk, Passage
from tests.fakes.word_analyzer import WordAnalyzer


def chunk(doc: str, position: int, text: str) -> Chunk:
    return Chunk(
        chunk_id=f"{doc}::{position}", doc_id=doc, text=text, title=doc, source=f"{doc}.md", position=position
    )


def scored(text: str, rank: int = 0, position: int = 0) -> ScoredSentence:
    return ScoredSentence(text, rank, position, 0.5, 0.5, frozenset(text.lower().split()))


@pytest.mark.parametrize(
    ("role", "sentence"),
    [
        ("empfehlung", "Wir empfehlen, zuerst die Schulen anzubinden."),
        ("empfehlung", "Die Gemeinde sollte die Daten selbst verwalten."),
        ("empfehlung", "Es empfiehlt sich, den Gemeinderat früh einzubinden."),
        ("empfehlung", "Ein gemeinsamer Rechenzentrumsbetrieb ist ratsam."),
        ("schritte", "Zunächst wird eine Steuerungsgruppe eingerichtet."),
        ("schritte", "Mit einem kleinen Pilotprojekt beginnen: Das schafft Vertrauen im Rat."),
        ("schritte", "Arbeitsgruppe benennen: Leitung, Mitglieder und Termine festlegen."),
        ("schritte", "Legen Sie als Erstes fest, wer die Koordination übernimmt."),
        ("optionen", "Die Gemeinde kann selbst betreiben oder einen Dienstleister beauftragen."),
        ("optionen", "Der Vorteil des Mietmodells sind geringe Anfangskosten."),
        ("anlass", "Derzeit fehlt der Verwaltung ein Überblick über ihre Fachverfahren."),
        ("leitbild", "Digitale Angebote sind kein Selbstzweck, sie sollen den Alltag einfacher machen."),
        ("grundsaetze", "Niemand wird zurückgelassen: Jede Leistung bleibt auch am Schalter erreichbar."),
    ],
)
def test_a_sentence_fits_the_role_its_wording_names(role: str, sentence: str) -> None:
    assert fits_role(role, sentence)


@pytest.mark.parametrize(
    ("role", "sentence"),
    [
        ("empfehlung", "Für die Planung sind zwei Grundsatzfragen zu klären."),
        ("empfehlung", "Man orientiert sich an den vorhandenen Abläufen."),
        ("schritte", "Die Gemeinde hat rund 8.000 Einwohnerinnen und Einwohner."),
        ("optionen", "Die Stadt liegt im ländlichen Raum."),
    ],
)
def test_a_sentence_without_the_roles_cues_does_not_fit(role: str, sentence: str) -> None:
    assert not fits_role(role, sentence)


def test_no_role_or_an_unknown_role_fits_nothing() -> None:
    assert not fits_role(None, "Wir empfehlen einen Pilot.")
    assert not fits_role("unbekannt", "Wir empfehlen einen Pilot.")


@pytest.mark.parametrize(
    "sentence",
    [
        "Im Fokus dieser Ausgabe stehen die ersten Schritte eines digitalen Dorfes.",
        "Lesen Sie in der nächsten Folge, wie Kommunen ihre Daten teilen.",
        "Unser Newsletter berichtet monatlich über Förderprogramme.",
        "Dieser Beitrag stellt drei Beispiele aus dem Landkreis vor.",
        "Die Kreiszeitung ist stets bestrebt, Hintergrundwissen für die Praxis zu vermitteln.",
        "In der Reihe soll der Wandel in Stadt und Land beleuchtet und mit Beispielen dargestellt werden.",
    ],
)
def test_a_publication_talking_about_itself_is_no_statement(sentence: str) -> None:
    assert refers_to_publication(sentence)
    assert not is_statement(sentence, sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Die Ausgabe von Tablets an Schulen beginnt im Herbst.",
        "Der Beitrag der Gemeinde zum Zweckverband steigt auf 40.000 Euro.",
        "Diese Lösung spart jährlich Lizenzkosten.",
    ],
)
def test_statements_about_the_topic_are_no_self_reference(sentence: str) -> None:
    assert not refers_to_publication(sentence)


def test_every_role_in_structure_yaml_is_known_and_an_unknown_one_is_refused() -> None:
    roles = {p.role for t in load_structure().types.values() for p in t.parts} - {None}
    assert roles <= set(ROLES)
    memo = {p.key: p.role for p in load_structure().types["memo"].parts}
    assert memo == {
        "anlass": "anlass",
        "optionen": "optionen",
        "empfehlung": "empfehlung",
        "naechste_schritte": "schritte",
    }
    with pytest.raises(ValueError, match="unknown role 'raten'"):
        _part({"key": "x", "title": "X", "queries": [], "instruction": "", "role": "raten"})


def candidate(text: str, relevance: float, doc: str) -> Candidate:
    return Candidate(scored(text), Passage(chunk=chunk(doc, 0, text), score=1.0), frozenset({0}), relevance)


def test_the_role_is_a_preference_among_candidates_not_a_filter() -> None:
    generic = candidate("Für die Planung sind zwei Grundsatzfragen zu klären.", 1.0, "a")
    close = candidate("Wir empfehlen, mit den Schulen zu beginnen.", 0.8, "b")
    far = candidate("Es empfiehlt sich, einen Pilot zu wählen.", 0.2, "c")
    weights = SelectionWeights(role=0.3)
    chosen = select_diverse(
        [generic, close, far], 2, fits=lambda c: fits_role("empfehlung", c.sentence.text), weights=weights
    )
    assert chosen == [close, generic], "a fitting sentence close in relevance wins; a weak one does not"


def test_a_part_with_a_role_opens_with_a_fitting_sentence_of_its_own_queries() -> None:
    p = Passage(chunk=chunk("memo", 0, "…"), score=1.0)
    texts = ["Für die Planung sind zwei Grundsatzfragen zu klären.", "Wir empfehlen einen Pilot im Bauhof."]
    main = QueryEvidence("q", "t", [p], [scored(t, position=i) for i, t in enumerate(texts)], main=True)
    spec = PartSpec(key="empfehlung", title="Empfehlung", queries=(), instruction="", role="empfehlung")
    evidence = PartEvidence(spec, [main])
    pooled = [Candidate(s, p, frozenset({0}), 1.0 - i / 10) for i, s in enumerate(main.sentences)]
    fits = lambda c: fits_role("empfehlung", c.sentence.text)  # noqa: E731
    lead = _lead(evidence, pooled, fits)
    assert lead is not None and lead.sentence.text == texts[1]
    assert _lead(evidence, pooled) is pooled[0], "without a role the best-ranked sentence leads"
    assert LEAD_ROLE_WITHIN >= 2


def test_the_recommendation_next_to_the_on_topic_passage_is_read() -> None:
    doc = [
        chunk("leitfaden", 0, "Zentral oder dezentral: zwei Wege zum Glasfasernetz im Landkreis."),
        chunk(
            "leitfaden", 1, "Beide Wege haben ihre Stärken. Wir empfehlen, mit dem Zweckverband zu starten."
        ),
        chunk("leitfaden", 5, "Wir empfehlen außerdem regelmäßige Bürgersprechstunden."),
    ]
    found = Passage(chunk=doc[0], score=2.0)
    queries = [QueryEvidence("Glasfasernetz", "Glasfasernetz", [found], [scored(doc[0].text)])]
    terms = query_terms("Empfehlung Glasfasernetz", WordAnalyzer())
    read = role_neighbours(
        "empfehlung",
        "Empfehlung Glasfasernetz",
        terms,
        queries,
        WordAnalyzer(),
        {"leitfaden": doc}.get,  # type: ignore[arg-type]
        GatherSettings(),
    )
    assert read is not None
    assert [p.chunk.chunk_id for p in read.passages] == ["leitfaden::1"], "only the neighbour, not position 5"
    assert [s.text for s in read.sentences] == ["Wir empfehlen, mit dem Zweckverband zu starten."]
    assert ROLE_NEIGHBOURS in read.passages[0].scores
    assert (
        role_neighbours(
            "optionen", "q", terms, queries, WordAnalyzer(), {"leitfaden": doc}.get, GatherSettings()
        )
        is None
    )  # type: ignore[arg-type]


def test_choose_statements_opens_with_the_roles_sentence() -> None:
    from assistant.drafting.base import DraftContext

    p = Passage(chunk=chunk("a", 0, "…"), score=1.0)
    texts = [
        "Die Stadt hat zwei Rechenzentren und viele Server.",
        "Die Stadt sollte ein Rechenzentrum teilen.",
    ]
    main = QueryEvidence("q", "t", [p], [scored(t, position=i) for i, t in enumerate(texts)], main=True)
    spec = PartSpec(key="empfehlung", title="Empfehlung", queries=(), instruction="", role="empfehlung")
    context = DraftContext(DraftRequest(section="Rechenzentrum", notes=""), statements_per_part=1)
    chosen = choose_statements(PartEvidence(spec, [main]), 0, context)
    assert [s.sentence.text for s in chosen] == [texts[1]]
