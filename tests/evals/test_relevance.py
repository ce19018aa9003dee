"""Evidence matching that survives whitespace, case, quotes, hyphenation and chunk boundaries."""

import pytest

from evals.relevance import EvidenceMatcher, RetrievedChunk, covers, item_key, judged_ranking, normalise_text


def test_normalise_joins_line_break_hyphenation_and_folds_quotes_case_space():
    raw = "Die  „Digitale\nAgenda“ fördert die Digitali-\nsierung der VERWALTUNG\u00ad."
    assert normalise_text(raw) == "die digitale agenda fördert die digitalisierung der verwaltung."


def test_normalise_keeps_in_line_hyphen_and_unifies_dashes():
    assert normalise_text("Smart\u2010City – Strategie") == "smart-city - strategie"


def test_substring_match_across_formatting_differences():
    chunk = 'Der Landkreis plant den "Glasfaser-\nausbau" bis 2027 in allen   Ortsteilen.'
    assert covers("talheide", chunk, "talheide", "Glasfaserausbau bis 2027 in allen Ortsteilen")


def test_doc_id_must_match():
    assert not covers("other", "Glasfaserausbau bis 2027", "talheide", "Glasfaserausbau bis 2027")


def test_token_overlap_catches_evidence_cut_by_a_chunk_boundary():
    evidence = (
        "Die Stadt richtet ein Open-Data-Portal ein und veröffentlicht Verkehrsdaten sowie Haushaltsdaten."
    )
    # content tokens: stadt richtet open data portal veröffentlicht verkehrsdaten sowie haushaltsdaten (9)
    first_part = "… Die Stadt richtet ein Open-Data-Portal ein und veröffentlicht Verkehrsdaten"  # 7 of 9
    second_part = "sowie Haushaltsdaten. Danach folgt etwas anderes."  # 2 of 9
    matcher = EvidenceMatcher("d", evidence)
    assert matcher.overlap(first_part) == pytest.approx(7 / 9)
    assert matcher.covered_by("d", first_part)
    assert not matcher.covered_by("d", second_part)


def test_stopwords_alone_do_not_match_and_short_evidence_needs_substring():
    matcher = EvidenceMatcher("d", "die Stadt und der Kreis sowie das Land")
    assert not matcher.covered_by("d", "die und der das sowie")
    short = EvidenceMatcher("d", "LoRaWAN-Sensoren")
    assert short.covered_by("d", "Wir nutzen LoRaWAN-Sensoren.")
    assert not short.covered_by("d", "Sensoren für LoRaWAN")


def test_invalid_threshold_is_rejected_with_the_value():
    with pytest.raises(ValueError, match="min_overlap must be in"):
        EvidenceMatcher("d", "x", min_overlap=0)


def chunk(cid: str, doc: str, text: str) -> RetrievedChunk:
    return RetrievedChunk(chunk_id=cid, doc_id=doc, text=text)


def test_each_expected_item_counts_once_at_its_first_covering_rank():
    matchers = [
        EvidenceMatcher("a", "Glasfaser für alle Ortsteile"),
        EvidenceMatcher("b", "Sensoren messen Parkplätze"),
    ]
    ranking = [
        chunk("x", "c", "nichts Relevantes"),
        chunk("a1", "a", "Wir planen Glasfaser für alle Ortsteile."),
        chunk("a2", "a", "Noch einmal: Glasfaser für alle Ortsteile."),  # same evidence again: not relevant
        chunk("b1", "b", "Sensoren messen Parkplätze in der Innenstadt."),
    ]
    judged = judged_ranking("q1", matchers, ranking)
    assert judged == [("q1#1:x", False), (item_key("q1", 0), True), ("q1#3:a2", False), ("q1->1", True)]


def test_chunk_covering_two_items_places_the_second_right_after_it():
    matchers = [
        EvidenceMatcher("a", "Glasfaser für alle Ortsteile"),
        EvidenceMatcher("a", "Funkmasten auf Dächern"),
    ]
    judged = judged_ranking(
        "q", matchers, [chunk("a1", "a", "Glasfaser für alle Ortsteile und Funkmasten auf Dächern.")]
    )
    assert judged == [("q->0", True), ("q->1", True)]
