"""The free-text request parser on the phrasings strategy writers actually use."""

from __future__ import annotations

import pytest

from assistant.drafting import DraftRequest, parse_request
from assistant.drafting.request_parser import (
    match_handlungsfeld,
    parse_inhabitants,
    parse_kind,
    parse_length,
    parse_section,
)
from assistant.errors import ConfigError


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
    assert request.length == 1.0  # default when the text names none


def test_unknown_section_is_a_german_error() -> None:
    with pytest.raises(ConfigError, match="Abschnitt"):
        parse_request("Hallo, wie geht es?")


def test_request_validation_names_the_field() -> None:
    with pytest.raises(ValueError, match="length"):
        DraftRequest(section="Digitale Zukunft", length=12)
    with pytest.raises(ValueError, match="length"):
        DraftRequest(section="Digitale Zukunft", length="sehr lang irgendwie")  # type: ignore[arg-type]
    assert DraftRequest(section="zukunft", length="zwei Seiten").length == 2.0  # type: ignore[arg-type]


def test_match_handlungsfeld_leaves_free_topics_alone() -> None:
    assert match_handlungsfeld("Umsetzung, Steuerung und Monitoring") is None
    assert parse_section("Kapitel zur Umsetzung: Wer steuert?") == "Umsetzung"
