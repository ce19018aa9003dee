"""Which kind of value a German question asks for, and whether a sentence holds one."""

import pytest

from assistant.text.answer_types import (
    COUNT,
    MONEY,
    ORGANISATION,
    PERCENT,
    PERSON,
    QUANTITY,
    TIME,
    expected_answer_type,
)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Wie viele Fahrgäste hat der Rufbus im ersten Jahr befördert?", COUNT),
        ("Um wie viele Stellen wird die Stabsstelle aufgestockt?", COUNT),
        ("Was kostet ein Tagesplatz im Coworking-Space?", MONEY),
        ("Wie hoch sind die Kita-Gebühren?", MONEY),
        ("Mit wie viel Fördergeld rechnet die Stadt?", MONEY),
        ("Wie hoch ist die Förderquote für kleine Kommunen?", PERCENT),
        ("Wie hoch war die Wahlbeteiligung?", PERCENT),
        ("Bis wann müssen wir den Antrag einreichen?", TIME),
        ("Wann tagt der Lenkungskreis?", TIME),
        ("Wie oft trifft sich der Digitalbeirat?", TIME),
        ("Wir hatten einen Hackerangriff – wie schnell muss ich das melden?", TIME),
        ("Welche Firma hat das Portal programmiert?", ORGANISATION),
        ("Wie heißt der Bürgermeister?", PERSON),
        ("Wer ist die Datenschutzbeauftragte des Kreises?", PERSON),
        ("Wie groß ist das Gebiet, das die Gateways abdecken?", QUANTITY),
        ("Was macht Kessbach mit openDesk? Und seit wann läuft das dort?", TIME),  # a thread's follow-up
        # open questions, and typed side-asks after an open main ask
        ("Welche Handlungsfelder hat die Digitalstrategie?", None),
        ("Wie beteiligen wir die Bürgerinnen und Bürger?", None),
        ("Welchen Online-Marktplatz prüft die Stadt und wann?", None),
        ("Wer koordiniert bei uns das Thema Digitalisierung?", None),
    ],
)
def test_expected_answer_type(question, expected):
    assert expected_answer_type(question) == expected


@pytest.mark.parametrize(
    ("answer_type", "text", "holds"),
    [
        (COUNT, "Der Rufbus beförderte im ersten Jahr 12.400 Fahrgäste.", True),
        (COUNT, "Bis Ende 2025 errichten die Stadtwerke acht Gateways.", True),
        (COUNT, "Der Rufbus fährt seit 2024 in allen Ortsteilen.", False),  # a year is no count
        (MONEY, "Die Kosten liegen bei 95.000 Euro im Jahr.", True),
        (MONEY, "Der Hausanschluss war während der Vorvermarktung kostenlos.", True),
        (MONEY, "Die Kosten trägt zu einem großen Teil das Land.", False),
        (MONEY, "Im Jahr 2024 wurden die Kosten in Euro neu geplant.", False),  # currency, but no amount
        (PERCENT, "Die Förderquote beträgt 60 Prozent.", True),
        (PERCENT, "Die Hälfte der Kosten trägt der Bund.", True),
        (PERCENT, "Die Förderquote ist im Programm festgelegt.", False),
        (TIME, "Die Sprechstunde ist jeden Dienstag von 14 bis 17 Uhr.", True),
        (TIME, "Wann? 27. Mai 2021", True),
        (TIME, "Der Lenkungskreis tagt vierteljährlich.", True),
        (TIME, "Der Lenkungskreis entscheidet über Prioritäten.", False),
        (ORGANISATION, "Den Zuschlag erhielt die Talnetz Glasfaser GmbH.", True),
        (ORGANISATION, "Den Zuschlag erhielt ein regionaler Anbieter.", False),
        (PERSON, "Ansprechpartnerin ist Frau Dr. Weber im Hauptamt.", True),
        (PERSON, "Das sagt Bürgermeisterin Sabine Ortmann.", True),
        (PERSON, "Der Bürgermeister leitet den Lenkungskreis.", False),
    ],
)
def test_present_in(answer_type, text, holds):
    assert answer_type.present_in(text) is holds
