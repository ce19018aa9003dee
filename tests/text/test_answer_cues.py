"""The reader's answer cues: every ask of a question, with reasons, actors and strict counts."""

import pytest

from assistant.text.answer_types import ACTOR, MONEY, REASON, STRICT_COUNT, TIME, answer_cues


@pytest.mark.parametrize(
    ("question", "cues"),
    [
        ("Wer betreut die Schulcomputer und wie oft werden sie gewartet?", (ACTOR, TIME)),
        ("Warum schließt das Hallenbad im Sommer?", (REASON,)),
        ("Weshalb wurde der Standort am Bahnhof gewählt?", (REASON,)),
        ("Wie viele Ladesäulen gibt es am Bahnhof?", (STRICT_COUNT,)),
        ("Um wie viele Plätze wird die Kita erweitert?", (STRICT_COUNT,)),
        ("Was kostet der Bewohnerparkausweis?", (MONEY,)),
        ("Welche Themen standen auf der Tagesordnung?", ()),
        ("Welche Themen standen an, und wann tagt der Ausschuss wieder?", (TIME,)),
    ],
)
def test_answer_cues(question, cues):
    assert answer_cues(question) == cues


@pytest.mark.parametrize(
    ("text", "holds"),
    [
        ("Am Bahnhof stehen zwölf Ladesäulen.", True),
        ("Es gibt 36 Ladepunkte im Parkhaus.", True),
        ("Die Kita wird um 1,5 Gruppen erweitert.", True),
        ("Die Säulen werden zu 80 Prozent vom Land gefördert.", False),  # a share, not a count
        ("Zeitraum: 2024–2025 · Kosten (€): 52.000", False),  # years and an amount
        ("Die Sitzung war am 14. März 2023 im Rathaus.", False),  # a date
        ("Die Sprechstunde beginnt um 9 Uhr.", False),  # a clock time
    ],
)
def test_a_strict_count_is_no_share_amount_or_date(text, holds):
    assert STRICT_COUNT.present_in(text) is holds


@pytest.mark.parametrize(
    ("answer_type", "text", "holds"),
    [
        (REASON, "Das Bad schließt, weil die Lüftung erneuert wird.", True),
        (REASON, "Anlass war der Ausfall der alten Heizung.", True),
        (REASON, "Da die Halle saniert wird, trainieren die Vereine in der Schule.", True),
        (REASON, "Das Bad schließt vom 1. bis 31. Juli.", False),
        (ACTOR, "Das Schulamt betreut die Geräte gemeinsam mit dem Medienzentrum.", True),
        (ACTOR, "Den Auftrag erhielt die Netzbau Müller GmbH.", True),
        (ACTOR, "Die Geräte sind neu und laufen stabil.", False),
    ],
)
def test_reason_and_actor_values(answer_type, text, holds):
    assert answer_type.present_in(text) is holds
