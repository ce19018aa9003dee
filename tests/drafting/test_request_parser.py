"""The free-text request parser on the phrasings strategy writers actually use: document type,
section, profile, length and form; refusal only for requests without content."""

from __future__ import annotations

import typing

import pytest

from assistant.drafting import DraftRequest, parse_request
from assistant.drafting.models import DocType
from assistant.drafting.request_parser import (
    match_handlungsfeld,
    parse_inhabitants,
    parse_kind,
    parse_length,
    parse_max_words,
    parse_questions,
    parse_section,
)
from assistant.drafting.structure import load_structure
from assistant.errors import ConfigError

PRAEAMBEL = (
    "Entwurf für die Präambel unserer Smart-City-Strategie (Mittelstadt, ca. 60.000 Einwohner): "
    "Wofür wollen wir Digitalisierung nutzen, und welche Haltung soll die Strategie tragen? Max. 300 Wörter."
)
MEMO = (
    "Kurzes Memo an den Bürgermeister (halbe Seite): Sollen wir Smart City top-down oder bottom-up "
    "angehen, und was empfiehlst du als ersten Schritt?"
)


def test_issue_example() -> None:
    request = parse_request(
        "Bitte einen Entwurf für den Abschnitt Digitale Souveränität, Kleinstadt mit 20.000 Einwohnern, "
        "ca. eine Seite"
    )
    assert request.section == "Digitale Souveränität"
    assert request.handlungsfeld == "souveraenitaet"
    assert request.profile.inhabitants == 20_000
    assert request.profile.kind == "Stadt"
    assert request.profile.size_class == "Kleinstadt"
    assert request.length == 1.0
    assert request.type == "handlungsfeld"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Kapitel „Digitale Gesellschaft und Soziale Innovation“ für unsere Agenda", "gesellschaft"),
        ("Schreib bitte den Abschnitt Digitale Wirtschaft und Wissenschaft", "wirtschaft"),
        ("Entwurf Handlungsfeld verwaltung, kurz", "verwaltung"),
        ("Kannst du mir das Kapitel Digitale Verwaltung und Infrastrukturen vorschreiben?", "verwaltung"),
        ("Wir brauchen was zur digitalen Souveränität", "souveraenitaet"),
        ("Entwurf für das Handlungsfeld Digitale Zukunft: LoRaWAN mit den Stadtwerken", "zukunft"),
    ],
)
def test_handlungsfeld_names_slugs_and_variants(text: str, slug: str) -> None:
    request = parse_request(text)
    assert request.handlungsfeld == slug


def test_free_topic_is_kept() -> None:
    request = parse_request("Bitte einen Entwurf für das Kapitel Bürgerbeteiligung im Quartier, zwei Seiten")
    assert request.section == "Bürgerbeteiligung im Quartier"
    assert request.handlungsfeld is None
    assert request.topic == "Bürgerbeteiligung im Quartier"
    assert request.length == 2.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kleinstadt mit 20.000 Einwohnern", 20_000),
        ("Gemeinde, 20 000 EW", 20_000),
        ("knapp 12.500 Einwohnerinnen und Einwohner", 12_500),
        ("rund 8 Tsd. Einwohner", 8_000),
        ("eine Großstadt mit 1,2 Mio. Einwohnern", 1_200_000),
        ("mit 7900 Bürgerinnen und Bürgern", 7_900),
        ("ohne Zahl", None),
    ],
)
def test_inhabitants(text: str, expected: int | None) -> None:
    assert parse_inhabitants(text) == expected


@pytest.mark.parametrize(
    ("text", "kind", "size_class"),
    [
        ("unsere Kleinstadt", "Stadt", "Kleinstadt"),
        ("Wir sind eine Gemeinde im Kreis", "Gemeinde", None),
        ("Für die Kreis-Digitalstrategie", "Landkreis", None),
        ("Landkreis Talheide", "Landkreis", None),
        ("unsere Region", "Region", None),
        ("Stadtwerke und Stadtpark", None, None),
    ],
)
def test_kind(text: str, kind: str | None, size_class: str | None) -> None:
    assert parse_kind(text) == (kind, size_class)


@pytest.mark.parametrize(
    ("text", "pages"),
    [
        ("ca. eine Seite", 1.0),
        ("Etwa eine Seite, sachlich", 1.0),
        ("zwei Seiten", 2.0),
        ("3 Seiten", 3.0),
        ("eine halbe Seite", 0.5),
        ("1 bis 2 Seiten", 2.0),
        ("bitte kurz", 0.5),
        ("ausführlich bitte", 3.0),
        ("etwa 800 Wörter", 2.0),
        ("Max. 300 Wörter.", 0.75),
        ("ohne Angabe", None),
    ],
)
def test_length(text: str, pages: float | None) -> None:
    assert parse_length(text) == pages


def test_profile_and_name_from_text() -> None:
    request = parse_request(
        "Kapitel Digitale Verwaltung und Infrastrukturen für die Gemeinde Steinau am Werder "
        "mit 12.500 Einwohnern"
    )
    assert request.profile.name == "Gemeinde Steinau am Werder"
    assert request.profile.kind == "Gemeinde"
    assert request.profile.size_class == "Kleinstadt"  # derived from 12,500 inhabitants
    assert request.length == 2.0  # a Handlungsfeld section's usual length when the text names none


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        ("Bitte einen Entwurf für den Abschnitt Digitale Souveränität", "handlungsfeld"),
        ("Entwurf für das Handlungsfeld Digitale Zukunft: LoRaWAN mit den Stadtwerken", "handlungsfeld"),
        ("Wir brauchen was zur digitalen Souveränität", "handlungsfeld"),
        (PRAEAMBEL, "praeambel"),
        (
            "Wir möchten unserer Digitalen Agenda ein Leitbild voranstellen. Was ist unsere Vision?",
            "praeambel",
        ),
        ("Ein Vorwort des Bürgermeisters für die Digitalstrategie, eine halbe Seite", "praeambel"),
        (MEMO, "memo"),
        ("Entscheidungsvorlage für den Gemeinderat: Sollen wir auf openDesk umstellen?", "memo"),
        ("Bitte einen Vermerk für die Amtsleitung, ob wir ein LoRaWAN-Netz aufbauen sollen", "memo"),
        (
            "Wir brauchen ein Beteiligungskonzept für die Fortschreibung unserer Digitalstrategie",
            "beteiligung",
        ),
        ("Wen beteiligen wir wann und wie an unserer Digitalstrategie?", "beteiligung"),
        ("Bitte einen Entwurf für das Kapitel Bürgerbeteiligung im Quartier", "beteiligung"),
        (
            "Für die regionale Strategie fehlt das Kapitel zur Umsetzung: Wer steuert, wer berichtet?",
            "governance",
        ),
        ("Bitte ein Governance-Modell für unsere Smart-City-Stabsstelle", "governance"),
        ("Wie organisieren wir die Umsetzung unserer Digitalstrategie in der Verwaltung?", "governance"),
        ("Einleitung zum Vorgehen: Welche Grundsätze gelten für die Erarbeitung?", "kapitel"),
        ("Kapitel Finanzierung und Fördermittel: Welche Förderprogramme kommen in Frage?", "kapitel"),
        ("Entwurf zum Thema Open Data im Tourismus", "kapitel"),
    ],
)
def test_document_type_is_recognised(text: str, doc_type: str) -> None:
    request = parse_request(text)
    assert request.type == doc_type
    outline = load_structure().outline(request.doc_type, request.form or ())
    assert outline, "every type has an outline"


def test_document_type_can_be_forced() -> None:
    assert parse_request(MEMO, doc_type="kapitel").type == "kapitel"
    assert parse_request(MEMO, doc_type="Entscheidungsvorlage").type == "memo"
    forced = DraftRequest(section="Digitale Souveränität", type="Präambel")  # type: ignore[arg-type]
    assert forced.type == "praeambel" and forced.handlungsfeld == "souveraenitaet"
    with pytest.raises(ValueError, match="Unbekannter Dokumenttyp"):
        DraftRequest(section="Digitale Souveränität", type="Roman")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="Unbekannter Dokumenttyp"):
        parse_request(MEMO, doc_type="Roman")


def test_the_types_of_the_model_are_those_of_structure_yaml() -> None:
    assert set(typing.get_args(DocType)) == set(load_structure().types)


def test_a_request_without_a_named_section_is_drafted_on_its_question() -> None:
    memo = parse_request(MEMO)
    assert memo.section.startswith("Sollen wir Smart City top-down oder bottom-up angehen")
    assert memo.length == 0.5 and memo.handlungsfeld is None
    assert parse_questions(MEMO) == [memo.section]

    preamble = parse_request(PRAEAMBEL)
    assert preamble.section.startswith("Wofür wollen wir Digitalisierung nutzen")
    assert preamble.profile.size_class == "Mittelstadt" and preamble.profile.inhabitants == 60_000
    assert preamble.max_words == 300 and preamble.word_bounds == (225, 300)
    assert preamble.target_words <= 300

    concept = parse_request("Entwurf für ein Beteiligungskonzept")
    assert concept.type == "beteiligung" and concept.section  # the type names its own subject


@pytest.mark.parametrize(
    "text",
    ["   ", "Hallo, wie geht es?", "bitte", "Entwurf, eine Seite", "Memo an den Bürgermeister", "Danke!"],
)
def test_only_requests_without_content_are_refused_in_german(text: str) -> None:
    with pytest.raises(ConfigError, match="Abschnitt") as refused:
        parse_request(text)
    assert "Thema" in refused.value.message or "leer" in refused.value.message


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("Bitte als Gliederung mit Stichpunkten", ["stichpunkte"]),
        ("Kapitel Open Data mit einem Stufenplan", ["stufenplan"]),
        ("Stichpunkte und ein Stufenplan bitte", ["stichpunkte", "stufenplan"]),
        ("ohne besondere Form", []),
    ],
)
def test_form(text: str, form: list[str]) -> None:
    assert DraftRequest(section="Open Data", notes=text).form == form


def test_a_stufenplan_joins_any_outline() -> None:
    structure = load_structure()
    chapter = [p.key for p in structure.outline("kapitel", ["stufenplan"])]
    assert chapter[-2:] == ["stufenplan", "umsetzung"], "before the closing part"
    governance = [p.key for p in structure.outline("governance", ["stufenplan"])]
    assert governance.count("stufenplan") == 1, "a type with its own Stufenplan keeps one"


@pytest.mark.parametrize(
    ("text", "max_words", "bounds"),
    [
        ("max. 300 Wörter", 300, (225, 300)),
        ("höchstens eine Seite", 400, (300, 400)),
        ("ca. eine Seite", None, (300, 500)),
        ("halbe Seite", None, (150, 250)),
    ],
)
def test_length_bounds(text: str, max_words: int | None, bounds: tuple[int, int]) -> None:
    assert parse_max_words(text) == max_words
    request = DraftRequest(
        section="Digitale Souveränität", length=parse_length(text), max_words=max_words, notes=text
    )
    assert request.word_bounds == bounds
    assert bounds[0] <= request.target_words <= bounds[1]


def test_a_type_has_its_usual_length_when_none_is_asked() -> None:
    assert DraftRequest(section="Digitale Souveränität").length == 2.0
    assert DraftRequest(section="Sollen wir openDesk einführen?", type="memo").length == 1.0  # type: ignore[arg-type]


def test_request_validation_names_the_field() -> None:
    with pytest.raises(ValueError, match="length"):
        DraftRequest(section="Digitale Zukunft", length=12)
    with pytest.raises(ValueError, match="length"):
        DraftRequest(section="Digitale Zukunft", length="sehr lang irgendwie")  # type: ignore[arg-type]
    assert DraftRequest(section="zukunft", length="zwei Seiten").length == 2.0  # type: ignore[arg-type]


def test_match_handlungsfeld_leaves_free_topics_alone() -> None:
    assert match_handlungsfeld("Umsetzung, Steuerung und Monitoring") is None
    assert parse_section("Kapitel zur Umsetzung: Wer steuert?") == "Umsetzung"
