"""German sentence splitting: abbreviations, ordinals, dates, enumerations, quotes, lists."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from assistant.text.sentences import split_sentences

SEED_CORPUS = Path("/work/shared/seed-corpus")

ABBREVIATIONS = [
    (
        "Das gilt z. B. für Karlsruhe. Dort wird gebaut.",
        ["Das gilt z. B. für Karlsruhe.", "Dort wird gebaut."],
    ),
    ("Das gilt z.B. für Karlsruhe. Dort wird gebaut.", ["Das gilt z.B. für Karlsruhe.", "Dort wird gebaut."]),
    (
        "Städte bzw. Gemeinden profitieren. Das ist klar.",
        ["Städte bzw. Gemeinden profitieren.", "Das ist klar."],
    ),
    ("Es gibt u. a. Förderung. Und mehr.", ["Es gibt u. a. Förderung.", "Und mehr."]),
    ("Es gibt u.a. Förderung. Und mehr.", ["Es gibt u.a. Förderung.", "Und mehr."]),
    ("Wir bauen, d. h. Die Stadt plant. Gut.", ["Wir bauen, d. h. Die Stadt plant.", "Gut."]),
    ("Wir sehen bspw. Die Agenda als Kern. Weiter.", ["Wir sehen bspw. Die Agenda als Kern.", "Weiter."]),
    ("Siehe Nr. 5 der Liste. Danach.", ["Siehe Nr. 5 der Liste.", "Danach."]),
    ("Es kostet ca. 5 Mio. Euro. Das ist viel.", ["Es kostet ca. 5 Mio. Euro.", "Das ist viel."]),
    ("Es kostet 2 Mrd. Euro. Das ist viel.", ["Es kostet 2 Mrd. Euro.", "Das ist viel."]),
    ("Vgl. Abschnitt 3. Dort steht mehr.", ["Vgl. Abschnitt 3.", "Dort steht mehr."]),
    (
        "Wir prüfen ggf. Alternativen. Dann entscheiden wir.",
        ["Wir prüfen ggf. Alternativen.", "Dann entscheiden wir."],
    ),
    (
        "Alle Kosten inkl. Steuern. Danach evtl. Nachträge. Ende.",
        ["Alle Kosten inkl. Steuern.", "Danach evtl. Nachträge.", "Ende."],
    ),
    ("Nach § 3 Abs. 2 Art. 5 GG gilt dies. Ende.", ["Nach § 3 Abs. 2 Art. 5 GG gilt dies.", "Ende."]),
    ("Siehe S. 12 im Bericht. Ende.", ["Siehe S. 12 im Bericht.", "Ende."]),
    (
        "Dr. Müller und Prof. Schmidt sprachen. Danach Pause.",
        ["Dr. Müller und Prof. Schmidt sprachen.", "Danach Pause."],
    ),
    ("Apps, Portale usw. Die Liste ist lang.", ["Apps, Portale usw. Die Liste ist lang."]),
    (
        "Apps, Portale etc. sind wichtig. Die Liste ist lang.",
        ["Apps, Portale etc. sind wichtig.", "Die Liste ist lang."],
    ),
    (
        "Die sog. Smart City ist insb. für Städte relevant. Ende.",
        ["Die sog. Smart City ist insb. für Städte relevant.", "Ende."],
    ),
    ("Im 19. Jh. gab es das nicht. Heute schon.", ["Im 19. Jh. gab es das nicht.", "Heute schon."]),
    ("In St. Gallen wird gebaut. Ende.", ["In St. Gallen wird gebaut.", "Ende."]),
    (
        "Im zweiten Teil erfahren Sie, u. a. anhand praktischer Beispiele, wie dies gelingen kann.",
        ["Im zweiten Teil erfahren Sie, u. a. anhand praktischer Beispiele, wie dies gelingen kann."],
    ),
]

NUMBERS = [
    (
        "Das Treffen war am 27. Mai 2021 online. Es war gut.",
        ["Das Treffen war am 27. Mai 2021 online.", "Es war gut."],
    ),
    ("Wir belegten den 3. Platz im Wettbewerb. Toll.", ["Wir belegten den 3. Platz im Wettbewerb.", "Toll."]),
    ("Er kam am 3. Oktober. Gut.", ["Er kam am 3. Oktober.", "Gut."]),
    ("Am 27.05.2021 fand es statt. Danach nicht.", ["Am 27.05.2021 fand es statt.", "Danach nicht."]),
    ("Die Quote liegt bei 3,5 Prozent. Das ist hoch.", ["Die Quote liegt bei 3,5 Prozent.", "Das ist hoch."]),
    ("Die Quote liegt bei 3.5 Prozent. Das ist hoch.", ["Die Quote liegt bei 3.5 Prozent.", "Das ist hoch."]),
    ("Verwaltung 4.0 ist ein Begriff. Ende.", ["Verwaltung 4.0 ist ein Begriff.", "Ende."]),
    # A number that ends a sentence is still a boundary.
    ("Es war im Jahr 2021. Danach kam mehr.", ["Es war im Jahr 2021.", "Danach kam mehr."]),
    ("Die Quote liegt bei 3. Danach mehr.", ["Die Quote liegt bei 3.", "Danach mehr."]),
    ("1. NUR INTEGRIERTE STRATEGIEN FUNKTIONIEREN", ["1. NUR INTEGRIERTE STRATEGIEN FUNKTIONIEREN"]),
    ("2. Die Kommune plant. Sie baut.", ["2. Die Kommune plant.", "Sie baut."]),
]

PUNCTUATION = [
    (
        "Er sagte: „Wir warten … und dann?“ Danach ging er.",
        ["Er sagte: „Wir warten … und dann?“", "Danach ging er."],
    ),
    (
        "Er sagte: „Wir warten... und dann handeln.“ Danach ging er.",
        ["Er sagte: „Wir warten... und dann handeln.“", "Danach ging er."],
    ),
    ("„Das ist gut.“ Dann ging es weiter.", ["„Das ist gut.“", "Dann ging es weiter."]),
    ("„Wie geht es?“ fragte er. Gut.", ["„Wie geht es?“ fragte er.", "Gut."]),
    (
        "Eine gute Strategie ist kein „Raumschiff“. Sie ist ein Bindeglied.",
        ["Eine gute Strategie ist kein „Raumschiff“.", "Sie ist ein Bindeglied."],
    ),
    (
        "Werden alle eingebunden? Externe Stakeholder müssen mit. Gut!",
        ["Werden alle eingebunden?", "Externe Stakeholder müssen mit.", "Gut!"],
    ),
    ("Das ist eine neue Art. Dann geht es weiter.", ["Das ist eine neue Art.", "Dann geht es weiter."]),
    (
        "Kontakt: d.artmann@example.org, siehe www.example.de. Danke.",
        ["Kontakt: d.artmann@example.org, siehe www.example.de.", "Danke."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), ABBREVIATIONS)
def test_no_split_after_german_abbreviations(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_ordinals_dates_decimals_and_enumerations(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize(("text", "expected"), PUNCTUATION)
def test_quotes_ellipses_question_and_exclamation_marks(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_blank_lines_and_list_lines_end_sentences() -> None:
    text = (
        "Einleitung ohne Punkt\n\nWir sehen folgende Felder:\n"
        "- Verwaltung: Die Stadt plant. Sie baut.\n"
        "• Wirtschaft\n"
        "1. Punkt eins. Mit zwei Sätzen."
    )
    assert split_sentences(text) == [
        "Einleitung ohne Punkt",
        "Wir sehen folgende Felder:",
        "- Verwaltung: Die Stadt plant.",
        "Sie baut.",
        "• Wirtschaft",
        "1. Punkt eins.",
        "Mit zwei Sätzen.",
    ]


def test_soft_line_wrap_inside_a_sentence_is_kept() -> None:
    text = "Die Stadt plant den Ausbau der\nnetze und die Digitali-\nsierung. Danach."
    assert split_sentences(text) == [
        "Die Stadt plant den Ausbau der\nnetze und die Digitali-\nsierung.",
        "Danach.",
    ]


def test_empty_and_whitespace_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t") == []


@pytest.mark.parametrize("path", sorted(SEED_CORPUS.glob("*.txt")), ids=lambda p: p.name)
def test_every_character_lands_in_exactly_one_sentence(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    sentences = split_sentences(text)
    assert all(sentence == sentence.strip() and sentence for sentence in sentences)
    assert re.sub(r"\s+", "", "".join(sentences)) == re.sub(r"\s+", "", text)


def test_thousands_of_sentences_are_fast() -> None:
    sample = " ".join(text for text, _ in ABBREVIATIONS + NUMBERS[:-2] + PUNCTUATION)
    text = "\n\n".join([sample] * 40)
    expected = sum(len(e) for _, e in ABBREVIATIONS + NUMBERS[:-2] + PUNCTUATION) * 40
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        sentences = split_sentences(text)
        best = min(best, time.perf_counter() - started)
    assert len(sentences) >= expected * 0.95
    # ~10 ms here on one core; the bound leaves room for a busy shared machine.
    assert best < 0.2, f"{len(sentences)} sentences took {best * 1000:.0f} ms"
