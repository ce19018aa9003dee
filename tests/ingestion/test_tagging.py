"""Handlungsfeld tagging from the German keyword lexicon."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.handlungsfelder import HANDLUNGSFELDER
from ingestion.tagging import (
    DEFAULT_LEXICON_PATH,
    explain_tags,
    load_lexicon,
    score_handlungsfelder,
    tag_handlungsfelder,
)

TYPICAL = [
    (
        "Mit dem Onlinezugangsgesetz bietet das Bürgeramt seine Verwaltungsleistungen online an, "
        "inklusive Online-Terminvereinbarung.",
        "verwaltung",
    ),
    ("Der Breitbandausbau bringt Glasfaser bis in jeden Ortsteil.", "verwaltung"),
    ("Das kommunale Rechenzentrum betreibt die Fachverfahren und die E-Akte.", "verwaltung"),
    (
        "Über eine Beteiligungsplattform können Bürgerinnen und Bürger an der Stadtentwicklung teilhaben.",
        "gesellschaft",
    ),
    (
        "Digitallotsen vermitteln Seniorinnen und Senioren Medienkompetenz in der Stadtbibliothek.",
        "gesellschaft",
    ),
    ("Telemedizin verbessert die Gesundheitsversorgung im ländlichen Raum.", "gesellschaft"),
    (
        "Die Wirtschaftsförderung unterstützt Start-ups und mittelständische Unternehmen gemeinsam mit "
        "der Hochschule beim Technologietransfer.",
        "wirtschaft",
    ),
    (
        "Im Technologiepark arbeiten Forschungseinrichtungen und Gewerbe gegen den Fachkräftemangel.",
        "wirtschaft",
    ),
    (
        "Die Stadt setzt auf Open-Source-Software und offene Standards, um den Lock-in bei einzelnen "
        "Herstellern zu vermeiden.",
        "souveraenitaet",
    ),
    (
        "Datenschutz nach DSGVO und Informationssicherheit nach BSI-Grundschutz sind Voraussetzung "
        "für jede Cloud-Lösung.",
        "souveraenitaet",
    ),
    ("Mit openDesk erhöht die Verwaltung ihre digitale Souveränität.", "souveraenitaet"),
    ("In einem Reallabor erprobt die Stadt KI-gestützte Verkehrssteuerung mit Sensorik.", "zukunft"),
    ("Ein digitaler Zwilling der Stadt hilft bei Klimaanpassung und Mobilitätswende.", "zukunft"),
]

NEUTRAL = [
    "Die Sitzung beginnt um 10 Uhr im großen Saal.",
    "Das Protokoll wurde am Montag verschickt und von allen unterschrieben.",
    "Der Hamburger Senat tagte gestern, danach gab es Kaffee und Kuchen.",
    "Der Oberbürgermeister eröffnete die Veranstaltung mit einem Grußwort.",
    "",
]


@pytest.mark.parametrize(("text", "expected"), TYPICAL)
def test_typical_sentences_get_their_field_first(text: str, expected: str) -> None:
    tags = tag_handlungsfelder(text)
    assert tags and tags[0] == expected, (tags, explain_tags(text))


@pytest.mark.parametrize("text", NEUTRAL)
def test_neutral_text_gets_no_tag(text: str) -> None:
    assert tag_handlungsfelder(text) == []


def test_compounds_match_inside_words() -> None:
    fired = explain_tags("Der Breitbandausbau und die Glasfaserversorgung im Gewerbegebiet.")
    assert "breitband" in fired["verwaltung"]
    assert "glasfaser" in fired["verwaltung"]
    assert "gewerbegebiet" in fired["wirtschaft"]


def test_inflected_forms_match_on_stems() -> None:
    assert "ämter" in explain_tags("Die Ämter der Stadt arbeiten zusammen.")["verwaltung"]
    assert "nachhaltig" in explain_tags("Nachhaltigkeit ist das Ziel.")["zukunft"]


def test_longest_term_wins_and_neutral_words_absorb_hits() -> None:
    fired = explain_tags("Das Bürgeramt hat neue Öffnungszeiten.")
    assert "bürgeramt" in fired["verwaltung"]
    assert "gesellschaft" not in fired  # "bürger" inside "Bürgeramt" does not count
    assert explain_tags("Der Bürgermeister und der Augsburger Stadtrat.") == {}


def test_short_terms_match_whole_words_only() -> None:
    assert "ki" in explain_tags("Die Stadt nutzt KI für Übersetzungen.").get("zukunft", [])
    assert "zukunft" not in explain_tags("Die Kinder spielen im Kino.")


def test_several_fields_ordered_by_score_and_at_most_three() -> None:
    text = (
        "Breitband und Glasfaser für das Onlinezugangsgesetz; Bürgerbeteiligung und Teilhabe; "
        "Wirtschaftsförderung für Unternehmen; Open Source und Datenschutz; Reallabor und KI."
    )
    tags = tag_handlungsfelder(text)
    scores = score_handlungsfelder(text)
    assert len(tags) == 3
    assert [scores[tag] for tag in tags] == sorted((scores[tag] for tag in tags), reverse=True)
    assert tags[0] == "verwaltung"


def test_context_counts_with_a_lower_weight() -> None:
    text = "Die Stadt baut die Beteiligung aus."
    without = score_handlungsfelder(text)
    with_context = score_handlungsfelder(text, context="Gesamtstrategie > Bürgerbeteiligung")
    assert with_context["gesellschaft"] == pytest.approx(without["gesellschaft"] + 1.0)
    # A title alone on a topic does not tag a neutral chunk with a single weak hint.
    assert tag_handlungsfelder("Die Sitzung beginnt um 10 Uhr.", context="Protokoll Verwaltung") == []


def test_generic_smart_city_prose_is_not_tagged_on_weak_hints_alone() -> None:
    text = "Die Smart City Strategie begleitet die digitale Transformation und den Wandel langfristig."
    assert tag_handlungsfelder(text) == []


def test_lexicon_covers_every_field_richly() -> None:
    lexicon = load_lexicon()
    per_field: dict[str, int] = {}
    for terms in lexicon.by_stem.values():
        for term in terms:
            per_field[term.field] = per_field.get(term.field, 0) + 1
    for phrases in lexicon.phrases.values():
        for _, term in phrases:
            per_field[term.field] = per_field.get(term.field, 0) + 1
    for slug in HANDLUNGSFELDER:
        assert per_field.get(slug, 0) >= 80, slug


def test_invalid_lexicon_is_rejected_with_a_clear_message(tmp_path: Path) -> None:
    bad = tmp_path / "lexicon.yaml"
    bad.write_text("fields:\n  verkehr:\n    strong: [ampel]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown Handlungsfeld 'verkehr'"):
        load_lexicon(bad)
    bad.write_text("fields:\n  zukunft:\n    sehr_stark: [ki]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not one of strong, normal, weak"):
        load_lexicon(bad)
    assert DEFAULT_LEXICON_PATH.exists()
