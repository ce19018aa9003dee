"""A unit that opens with a pronoun or pronominal adverb leans on the sentence before it."""

import pytest

from assistant.text.units import leans_on_previous


@pytest.mark.parametrize(
    ("unit", "leans"),
    [
        ("Sie wird dem Gemeinderat zweimal im Jahr vorgelegt.", True),
        ("Dafür stehen im Haushalt 40.000 Euro bereit.", True),
        ("Dieser Zuschuss muss bis März beantragt werden.", True),
        ("Deshalb bleibt das Bürgerbüro am Freitag geschlossen.", True),
        ("Die Förderliste nennt für jedes Vorhaben Programm und Frist.", False),
        ("Dieselfahrzeuge werden bis 2027 ersetzt.", False),  # a word that only starts like „Dies“
        ("Darmstadt hat das Verfahren schon eingeführt.", False),
    ],
)
def test_leans_on_previous(unit, leans):
    assert leans_on_previous(unit) is leans
