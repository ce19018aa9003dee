"""Cleaning: normalisation, boilerplate rules, placeholder (Blindtext) detection."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from ingestion.cleaning import clean_document
from ingestion.cleaning.boilerplate import boilerplate_rule, strip_boilerplate
from ingestion.cleaning.normalize import dehyphenate, join_wrapped_lines, normalize_text
from ingestion.cleaning.placeholder import find_placeholder_spans, remove_placeholders
from ingestion.document import Block, LoadedDocument
from ingestion.loaders import load_document

SEED_DIR = Path(__file__).resolve().parents[3] / "shared" / "seed-corpus"
needs_seed = pytest.mark.skipif(
    not SEED_DIR.is_dir(),
    reason=f"seed corpus not available at {SEED_DIR} (read-only share outside the repo)",
)


def _doc(*texts: str, kind: str = "paragraph", path: str = "/daten/beispiel.txt") -> LoadedDocument:
    return LoadedDocument(path=Path(path), blocks=[Block(kind, text) for text in texts])  # type: ignore[arg-type]


def _load_seed(prefix: str) -> LoadedDocument:
    (path,) = SEED_DIR.glob(f"{prefix}_*.txt")
    return load_document(path, max_bytes=10**7, max_unpacked_bytes=10**8)


# --- normalisation -------------------------------------------------------------------------------


def test_normalize_nfc_controls_and_spaces() -> None:
    decomposed = "Bu\u0308rger\x00 und\u00a0Stra\u00dfe\u200b\t  mit  \u00adSoft\u00adhyphen\x07"
    text = normalize_text(decomposed)
    assert text == "Bürger und Straße mit Softhyphen"
    assert unicodedata.is_normalized("NFC", text)


def test_normalize_keeps_single_line_breaks_only() -> None:
    assert normalize_text("  Zeile eins  \r\n\r\n\r\nZeile zwei \n") == "Zeile eins\nZeile zwei"


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Die Digitali-", "sierung kommt."], "Die Digitalisierung kommt."),
        (["Viele Smart-", "City-Projekte"], "Viele Smart-City-Projekte"),
        (["das E-", "Government"], "das E-Government"),
        (["Bürger-", "und Unternehmensservice"], "Bürger- und Unternehmensservice"),
        (["von 2020-", "2025"], "von 2020-2025"),
        (["Stadt\u00ad", "teil"], "Stadtteil"),
        (["Ein Satz", "geht weiter"], "Ein Satz geht weiter"),
    ],
)
def test_join_wrapped_lines(lines: list[str], expected: str) -> None:
    assert join_wrapped_lines(lines) == expected


def test_dehyphenate_inside_block_text() -> None:
    assert dehyphenate("Die Verwal-\ntung und E-\nGovernment") == "Die Verwaltung und E-Government"
    assert normalize_text("Die Verwal-\ntung") == "Die Verwaltung"


# --- boilerplate ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "TwitterfacebookinstagramYouTube",
        "Teilen auf Facebook | Twitter",
        "Folgen Sie uns auf Instagram und LinkedIn",
        "AppStore",
        "Google Play",
        "Jetzt im App Store",
        "Blogzurück",
        "Hier geht’s zum Abo!",
        "Newsletter abonnieren",
        "Dieser Artikel hat Ihnen weitergeholfen?",
        "Hat Ihnen dieser Beitrag gefallen?",
        "Bedenken Sie nur, welche Informationsfülle ein Abo der Zeitung Ihnen liefern würde!",
        "Webcontent-Anzeige",
        "Anzeige",
        "© Bayerische GemeindeZeitung",
        "© 2024 Stadt Musterstadt. Alle Rechte vorbehalten.",
        "Bildnachweis: Business People Planning © Rawpixel.com www.fotolia.com",
        "Foto: Stadt Musterstadt / Max Muster",
        "Bildquelle: pixabay",
        "Daniel Muster, d.muster@example.org, 089 4132488-10",
        "Telefon: +49 (0)711 12345-0",
        "Startseite > Rathaus > Digitalisierung",
        "Zurück zur Übersicht",
        "Diese Website verwendet Cookies. Mit der Nutzung stimmen Sie dem zu.",
    ],
)
def test_boilerplate_lines_are_recognised(line: str) -> None:
    assert boilerplate_rule(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Die Stadt informiert über Facebook und Instagram regelmäßig über Baustellen.",
        "Bei Fragen wenden Sie sich an das Bürgerbüro unter buergerbuero@stadt.de oder 0711 123456.",
        "Twitter-Nutzung in Kommunen",
        "Wir haben einen Newsletter eingerichtet, der monatlich erscheint.",
        "Copyright-Fragen sind bei Open Data zentral.",
        "Stand: 01.05.2021",
        "Die Umsetzung erfolgt zwischen 2021 und 2025.",
        "Datenschutz",
        "Digitale Verwaltung",
        "Homeoffice",
        "Suche nach Lösungen für die Mobilität",
        "1. NUR INTEGRIERTE STRATEGIEN FUNKTIONIEREN",
    ],
)
def test_content_lines_are_kept(line: str) -> None:
    assert boilerplate_rule(line) is None


def test_contact_line_removed_but_long_paragraph_with_email_kept() -> None:
    paragraph = (
        "Die Stadt lädt alle Bürgerinnen und Bürger ein, sich an der Digitalen Agenda zu beteiligen; "
        "Anregungen nimmt das Team unter agenda@musterstadt.de gerne entgegen."
    )
    blocks, removals = strip_boilerplate(
        [
            Block("paragraph", paragraph),
            Block("paragraph", "Erika Muster\nTel. 07071 204-1234\nerika.muster@stadt.de"),
        ]
    )
    assert [block.text for block in blocks] == [paragraph]
    assert {removal.rule for removal in removals} == {"contact_line", "isolated_fragment"}


def test_tables_are_not_touched_by_boilerplate_rules() -> None:
    table = Block("table", "Kanal | Reichweite\nFacebook | 1200")
    assert strip_boilerplate([table])[0] == [table]


# --- placeholder text ----------------------------------------------------------------------------

WERTHER_FRAGMENTS = [
    "Eine wunderbare Heiterkeit",
    "meine ganze Seele",
    "Ich bin so glücklich",
    "ruhigem Dasein",
    "Wenn das liebe Tal",
    "Finsternis meines Waldes",
    "Wimmeln der kleinen Welt",
    "Gegenwart des Allmächtigen",
    "der uns nach seinem Bilde schuf",
    "Wehen des Alliebenden",
    "ewiger Wonne",
    "Gestalt einer",
]


def test_placeholder_cut_out_of_list_item_keeps_label() -> None:
    item = Block(
        "list_item",
        "Bestandsaufnahmen und Analysen\nEine wunderbare Heiterkeit hat meine ganze Seele eingenommen, "
        "gleich den süßen Frühlingsmorgen, die ich mit ganzem Herzen genieße.",
        level=1,
    )
    glued = Block(
        "list_item", "Begleitung in der Umsetzung der uns nach seinem Bilde schuf, das Wehen des Alliebenden"
    )
    blocks, findings = remove_placeholders([item, glued])
    assert [block.text for block in blocks] == [
        "Bestandsaufnahmen und Analysen",
        "Begleitung in der Umsetzung",
    ]
    assert findings[0].name == "Werther" and findings[0].blocks == 2


@pytest.mark.parametrize(
    "text",
    [
        "Weit hinten, hinter den Wortbergen, fern der Länder Vokalien und Konsonantien leben die Blindtexte.",
        "Zwei flinke Boxer jagen die quirlige Eva und ihren Mops durch Sylt.",
        "Franz jagt im komplett verwahrlosten Taxi quer durch Bayern.",
        "Als Gregor Samsa eines Morgens aus unruhigen Träumen erwachte, fand er sich verwandelt.",
        "Er hörte leise Schritte hinter sich. Das bedeutete nichts Gutes.",
        "Hier steht ein Blindtext. Er füllt nur den Platz, bis der richtige Text kommt.",
        "Dies ist ein Blindtext.",
        "Lorem ipsum dolor sit amet, consetetur sadipscing elitr, sed diam nonumy eirmod tempor.",
        "Aenean commodo ligula eget dolor. Aenean massa. Cum sociis natoque penatibus et magnis.",
        "Vivamus elementum semper nisi, aenean vulputate eleifend tellus, donec pede justo fringilla.",
    ],
)
def test_known_placeholders_are_removed_completely(text: str) -> None:
    blocks, findings = remove_placeholders([Block("paragraph", text)])
    assert blocks == []
    assert findings


@pytest.mark.parametrize(
    "text",
    [
        "Die Stadt machte sich auf den Weg, die Verwaltung zu digitalisieren.",
        "Es war kein leichter Weg, aber die Bürgerinnen und Bürger haben sich beteiligt.",
        "Das ist ein Beispiel für gute Bürgerbeteiligung in der Region.",
        "Quod erat demonstrandum: Die Open-Data-Strategie wirkt.",
        "Die Agenda wurde in ganz Bayern vorgestellt, auch in Sylt gab es Interesse.",
        "In Europa usa man verschiedene Sprachen.",
    ],
)
def test_real_sentences_are_not_placeholders(text: str) -> None:
    assert find_placeholder_spans(text) == []


def test_pangram_inside_a_sentence_only_the_pangram_goes() -> None:
    blocks, _ = remove_placeholders(
        [Block("paragraph", "Zur Schriftprobe: Franz jagt im komplett verwahrlosten Taxi quer durch Bayern.")]
    )
    assert [block.text for block in blocks] == ["Zur Schriftprobe:"]


# --- clean_document ------------------------------------------------------------------------------


def test_clean_document_returns_copy_with_warnings_naming_the_file() -> None:
    doc = _doc(
        "Die Digitali-\nsierung der Verwaltung\u00a0schreitet voran.",
        "TwitterfacebookinstagramYouTube",
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.",
        "\x00\u200b",
    )
    original = [block.text for block in doc.blocks]

    cleaned = clean_document(doc)

    assert [block.text for block in cleaned.blocks] == ["Die Digitalisierung der Verwaltung schreitet voran."]
    assert [block.text for block in doc.blocks] == original and doc.warnings == []
    assert len(cleaned.warnings) == 2
    assert all("/daten/beispiel.txt" in warning for warning in cleaned.warnings)
    assert any(warning.startswith("placeholder text (Lorem ipsum") for warning in cleaned.warnings)


def test_clean_document_drops_boilerplate_title() -> None:
    doc = LoadedDocument(
        path=Path("/daten/x.txt"),
        title="Webcontent-Anzeige",
        blocks=[Block("heading", "Webcontent-Anzeige", 1), Block("heading", "Projekt Digitale Kommune", 2)],
    )
    assert clean_document(doc).title == "Projekt Digitale Kommune"


@needs_seed
def test_seed_000_werther_blindtext_is_gone_and_labels_stay() -> None:
    doc = _load_seed("000")
    cleaned = clean_document(doc)
    text = cleaned.text()

    for fragment in WERTHER_FRAGMENTS:
        assert fragment not in text, fragment
    # No block keeps even a short run of the passage's words.
    assert not re.search(r"Heiterkeit|Frühlingsmorgen|Augenblicken|Gräschen|Würmchen|Alliebenden|Wonne", text)
    for label in (
        "Bestandsaufnahmen und Analysen",
        "Bewertung nach 7-stutigen Reifegrad-Modell",
        "Entwicklung „Digitale Agenda“",
        "Aufbau Digital Labs",
        "Begleitung in der Umsetzung",
        "Aufbau von Innovationsökosystemen mit Monitoring",
    ):
        assert any(block.text == label and block.kind == "list_item" for block in cleaned.blocks), label
    assert "Die Digitalisierung verändert die Welt." in text
    warnings = [warning for warning in cleaned.warnings if warning.startswith("placeholder text")]
    assert len(warnings) == 1
    assert str(doc.path) in warnings[0] and "Eine wunderbare Heiterkeit" in warnings[0]


@needs_seed
def test_seed_003_web_boilerplate_is_gone_and_theses_stay() -> None:
    cleaned = clean_document(_load_seed("003"))
    text = cleaned.text()

    for boilerplate in (
        "TwitterfacebookinstagramYouTube",
        "AppStore",
        "Google Play",
        "zum Abo",
        "Abo der Bayerischen",
        "Dieser Artikel hat Ihnen weitergeholfen",
        "Blogzurück",
        "d.artmann@",
        "© Bayerische",
    ):
        assert boilerplate not in text, boilerplate
    for thesis in (
        "1. NUR INTEGRIERTE STRATEGIEN FUNKTIONIEREN",
        "2. NUR PARTIZIPATIVE STRATEGIEN FUNKTIONIEREN",
        "3. NUR UMSETZBARE STRATEGIEN FUNKTIONIEREN",
    ):
        assert thesis in text
    assert "Wer mitsprechen kann, hält den Fortschritt nicht auf." in text
    assert any(str(cleaned.path) in warning for warning in cleaned.warnings)


@needs_seed
def test_seed_004_ad_marker_and_photo_credit_are_gone() -> None:
    cleaned = clean_document(_load_seed("004"))
    text = cleaned.text()

    assert "Webcontent-Anzeige" not in text
    assert "Bildnachweis" not in text and "fotolia" not in text
    assert "E-Government-Masterplan" in text
    assert cleaned.title == "Projekt: Die Digitale Kommune gestalten"
