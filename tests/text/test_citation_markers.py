"""The one [n] marker: found, stripped and renumbered the same way everywhere."""

from __future__ import annotations

from assistant.text.citation_markers import cited_numbers, renumber_markers, strip_markers


def test_markers_are_found_in_order_with_repeats() -> None:
    assert cited_numbers("Erstens [2]. Zweitens [1][2], nicht [a] oder [1, 2].") == [2, 1, 2]


def test_markers_are_stripped_with_the_space_before_them() -> None:
    assert strip_markers("Glasfaser für alle [1] [3].") == "Glasfaser für alle."


def test_markers_are_renumbered() -> None:
    assert renumber_markers("A [3] B [1]", {3: 1, 1: 2}.__getitem__) == "A [1] B [2]"
