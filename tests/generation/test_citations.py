"""Citation checks and output neutralisation on hand-written model output."""

from __future__ import annotations

import pytest

from assistant.generation.citations import OutputSanitizer, check_citations, neutralise_output, urls_in
from assistant.types import Source


def make_sources(count: int) -> list[Source]:
    return [
        Source(
            n=n,
            chunk_id=f"c{n}",
            doc_id=f"d{n}",
            source=f"doc{n}.pdf",
            title=f"Dokument {n}",
            doc_type="other",
            text=f"Text {n}",
        )
        for n in range(1, count + 1)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Stadt baut WLAN aus [1, 2].", "Die Stadt baut WLAN aus [1][2]."),
        ("Die Stadt baut WLAN aus [1][2].", "Die Stadt baut WLAN aus [1][2]."),
        ("Die Stadt baut WLAN aus [1–3].", "Die Stadt baut WLAN aus [1][2][3]."),
        ("Die Stadt baut WLAN aus [1-2].", "Die Stadt baut WLAN aus [1][2]."),
        ("Die Stadt baut WLAN aus [Quelle 2].", "Die Stadt baut WLAN aus [2]."),
        ("Die Stadt baut WLAN aus [2; 2].", "Die Stadt baut WLAN aus [2]."),
    ],
)
def test_citation_forms_are_normalised(text, expected):
    check = check_citations(text, make_sources(3))

    assert check.text == expected
    assert check.invalid_numbers == []
    assert all(c.sentence == "Die Stadt baut WLAN aus." for c in check.citations)


def test_numbers_without_a_source_are_removed():
    check = check_citations(
        "Die Stadt baut WLAN an allen Schulen aus [7]. Das Land zahlt den Großteil [2, 5].", make_sources(5)
    )

    assert check.text == "Die Stadt baut WLAN an allen Schulen aus. Das Land zahlt den Großteil [2][5]."
    assert check.invalid_numbers == [7]
    assert [(c.n, c.chunk_id, c.doc_id) for c in check.citations] == [(2, "c2", "d2"), (5, "c5", "d5")]
    assert check.uncited_sentences == ["Die Stadt baut WLAN an allen Schulen aus."]
    assert check.warnings() == ["Ungültige Quellenangabe entfernt: [7]", "1 Satz ohne Quellenangabe"]


def test_one_citation_per_sentence_and_number():
    check = check_citations(
        "Die Stadt plant ein offenes WLAN [1][2]. Der Rat hat den Ausbau beschlossen [2]. "
        "Er kostet 2,4 Mio. Euro [1].",
        make_sources(2),
    )

    assert [(c.n, c.sentence) for c in check.citations] == [
        (1, "Die Stadt plant ein offenes WLAN."),
        (2, "Die Stadt plant ein offenes WLAN."),
        (2, "Der Rat hat den Ausbau beschlossen."),
        (1, "Er kostet 2,4 Mio. Euro."),
    ]
    assert check.cited_numbers == [1, 2]
    assert check.uncited_sentences == []


def test_citation_after_the_full_stop_belongs_to_that_sentence():
    check = check_citations(
        "Die Stadt plant ein offenes WLAN. [1] Der Rat hat den Ausbau beschlossen. [2]", make_sources(2)
    )

    assert [(c.n, c.sentence) for c in check.citations] == [
        (1, "Die Stadt plant ein offenes WLAN."),
        (2, "Der Rat hat den Ausbau beschlossen."),
    ]
    assert check.uncited_sentences == []


def test_headings_and_lead_ins_need_no_citation():
    check = check_citations(
        "Kurz gesagt:\n- Die Stadt plant ein offenes WLAN [1].\n- Der Ausbau beginnt 2025 [1].",
        make_sources(1),
    )

    assert check.uncited_sentences == []
    assert len(check.citations) == 2


def test_plural_warning_for_several_invalid_numbers_and_sentences():
    check = check_citations(
        "Erster Satz ohne jede Quelle hier [8]. Zweiter Satz ohne jede Quelle [9].", make_sources(2)
    )

    assert check.warnings() == ["Ungültige Quellenangaben entfernt: [8], [9]", "2 Sätze ohne Quellenangabe"]


def test_links_not_in_the_sources_are_replaced():
    allowed = urls_in(["Siehe https://www.musterstadt.de/digital, Stand 2024."])
    text = (
        "Offiziell: https://www.musterstadt.de/digital. Phishing: https://evil.example/a?b=1, "
        "[hier klicken](https://evil.example/b) und [Strategie](https://musterstadt.de/digital/) "
        "und www.evil.example."
    )

    out = neutralise_output(text, allowed)

    assert "Offiziell: https://www.musterstadt.de/digital." in out
    assert "Phishing: [Link entfernt], " in out
    assert "hier klicken [Link entfernt]" in out
    assert "[Strategie](https://musterstadt.de/digital/)" in out
    assert "evil" not in out


def test_control_sequences_are_neutralised():
    text = (
        "Achtung <!channel> und <!here> und <@U123ABC> im <#C42|allgemein>. "
        "<script>alert('x')</script>Fett <b>ist</b> ok. <https://evil.example|Klick> <iframe src=x></iframe>"
    )

    out = neutralise_output(text, [])

    for forbidden in (
        "<!channel>",
        "<!here>",
        "<@U123ABC>",
        "<#C42",
        "script",
        "alert",
        "<b>",
        "iframe",
        "evil",
    ):
        assert forbidden not in out
    assert "Fett ist ok." in out
    assert "Klick [Link entfernt]" in out


def test_sanitizer_never_releases_half_a_link():
    sanitizer = OutputSanitizer(allowed_urls=["https://ok.example/a"])
    pieces = [
        "Siehe ",
        "https://ev",
        "il.example",
        "/x und ",
        "<!chan",
        "nel> sowie ",
        "https://ok.example/a",
        " [1].",
    ]
    released = [sanitizer.feed(p) for p in pieces] + [sanitizer.flush()]

    shown = "".join(released)
    assert shown == neutralise_output("".join(pieces), ["https://ok.example/a"])
    assert "evil" not in shown and "<!channel>" not in shown
    assert "https://ok.example/a" in shown
    assert all("ev" not in r or "[Link entfernt]" in r for r in released)
