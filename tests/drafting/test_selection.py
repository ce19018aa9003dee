"""Choosing a part's statements: rank fusion over its queries, then MMR over passages and documents."""

from __future__ import annotations

import pytest

from assistant.drafting.base import is_statement
from assistant.drafting.selection import Candidate, SelectionWeights, pool_candidates, select_diverse
from assistant.generation.evidence import ScoredSentence
from assistant.types import Chunk, Passage


def passage(doc: str, position: int = 0) -> Passage:
    chunk = Chunk(
        chunk_id=f"{doc}::{position}", doc_id=doc, text="…", title=doc, source=f"{doc}.md", position=position
    )
    return Passage(chunk=chunk, score=1.0)


def sentence(words: str, rank: int = 0, position: int = 0, score: float = 0.5) -> ScoredSentence:
    return ScoredSentence(words, rank, position, 0.5, score, frozenset(words.lower().split()))


def candidate(doc: str, words: str, relevance: float, queries: set[int], position: int = 0) -> Candidate:
    return Candidate(sentence(words), passage(doc, position), frozenset(queries), relevance)


def test_pooling_fuses_ranks_and_gives_every_query_a_best_sentence() -> None:
    a, b = passage("a"), passage("b")
    shared = sentence("eins zwei drei", rank=0, position=0, score=0.9)
    query_1 = ([shared, sentence("vier fünf sechs", rank=0, position=1, score=0.8)], [a])
    # A weak query whose only sentence is its best: it competes with the strong query's best.
    query_2 = ([sentence("sieben acht neun", rank=0, position=0, score=0.1)], [b])
    query_3 = ([sentence("eins zwei drei", rank=1, position=0, score=0.4)], [b, a])

    pooled = pool_candidates([query_1, query_2, query_3], rrf_k=3)

    by_text = {(c.chunk_id, c.sentence.text): c for c in pooled}
    assert len(pooled) == 3, "the sentence found by two queries is one candidate"
    top = by_text[("a::0", "eins zwei drei")]
    assert top.queries == {0, 2} and top.sentence.score == 0.9, "the better-scored copy is kept"
    assert pooled[0] is top and top.relevance == pytest.approx(1.2)
    assert by_text[("b::0", "sieben acht neun")].relevance == pytest.approx(1.0)
    assert by_text[("a::0", "vier fünf sechs")].relevance == pytest.approx(4 / 5)


def test_agreement_bonus_is_bounded() -> None:
    a = passage("a")
    many = [([sentence("eins zwei drei")], [a]) for _ in range(9)]
    (only,) = pool_candidates(many, rrf_k=3, agreement=0.2)
    assert only.relevance == pytest.approx(1.2), "nine queries finding a generic sentence add at most 0.2"


def test_one_document_cannot_fill_a_part() -> None:
    candidates = [
        candidate("strategie", "erste aussage der strategie", 1.0, {0}, position=0),
        candidate("strategie", "zweite aussage der strategie", 0.95, {1}, position=1),
        candidate("strategie", "dritte aussage der strategie", 0.9, {2}, position=2),
        candidate("leitfaden", "eine aussage des leitfadens", 0.7, {1}),
        candidate("fallstudie", "eine aussage der fallstudie", 0.65, {2}),
    ]
    chosen = select_diverse(candidates, 3)
    assert [c.doc_id for c in chosen] == ["strategie", "leitfaden", "fallstudie"]


def test_cited_passages_and_served_subtopics_count_against_a_sentence() -> None:
    cited = candidate("a", "schon zitierte passage mit neuer aussage", 1.0, {0})
    fresh = candidate("b", "frische passage zu einem anderen thema", 0.6, {1})
    assert select_diverse([cited, fresh], 1, cited_passages={"a::0"}) == [fresh]

    first = candidate("c", "erste aussage zum ersten thema", 1.0, {0})
    same_topic = candidate("d", "weitere aussage zum ersten thema hier", 0.9, {0})
    new_topic = candidate("e", "aussage zu einem zweiten unterthema", 0.75, {1})
    weights = SelectionWeights(same_document=0.0, earlier_document=0.0)
    assert select_diverse([first, same_topic, new_topic], 2, weights=weights) == [first, new_topic]


def test_no_repetition_and_preferred_kind_first() -> None:
    quoted = sentence("die gemeinde stellt auf open source um")
    repeat = candidate("a", "die gemeinde stellt auf open source um", 1.0, {0})
    measure = candidate("b", "pilot mit dreißig arbeitsplätzen bis 2025 starten", 0.4, {1})
    other = candidate("c", "open source stärkt die digitale souveränität", 0.8, {2})

    chosen = select_diverse([repeat, other, measure], 3, taken=[quoted], preferred=lambda c: c.doc_id == "b")
    assert chosen == [measure, other], "never a sentence quoted elsewhere; the preferred kind first"
    assert select_diverse([repeat], 0) == []
    with pytest.raises(ValueError, match="budget must be at least 0"):
        select_diverse([repeat], -1)


def test_headings_are_not_statements() -> None:
    assert not is_statement("Anlage 2: Maßnahmenplan 2024–2026", "Anlage 2: Maßnahmenplan 2024–2026")
    assert not is_statement("Begleitung in der Umsetzung", "Begleitung in der Umsetzung")
    assert is_statement("Die Stabsstelle legt dem Stadtrat jährlich einen Bericht vor.", "…")
    # A checklist's question asks what the draft should state; it states nothing itself.
    assert not is_statement(
        "Ist festgelegt, wer die Beiträge auswertet und bis wann der Bericht erscheint?", "…"
    )


def test_a_passage_already_cited_needs_a_clearly_better_sentence() -> None:
    cited = candidate("a", "schon zitierte passage mit der besten aussage", 1.0, {0})
    fresh = candidate("b", "frische passage mit einer guten aussage", 0.45, {1})
    assert select_diverse([cited, fresh], 1, cited_passages={"a::0"}) == [fresh]


def test_a_word_budget_ends_the_part_and_the_lead_opens_it() -> None:
    long = candidate("a", "eins " * 30, 1.0, {0})
    short = [candidate(doc, f"{doc} sagt etwas kurz", 0.9 - i / 10, {i + 1}) for i, doc in enumerate("bcde")]
    lead = short[2]

    def words(c: Candidate) -> int:
        return len(c.sentence.text.split())

    chosen = select_diverse([long, *short], 10, cost=words, max_cost=12, lead=lead)
    assert chosen[0] is lead, "the part opens with its lead"
    assert long not in chosen, "a statement that does not fit the words left is skipped"
    assert sum(words(c) for c in chosen) <= 12 * 1.1
    with pytest.raises(ValueError, match="max_cost needs cost"):
        select_diverse(short, 3, max_cost=10)


def test_promotion_checklist_questions_and_labels_are_not_statements() -> None:
    from assistant.drafting.base import promotes_itself

    assert promotes_itself(
        "Wir begleiten Kommunen, Regionen und andere Verwaltungsebenen bei der Weiterentwicklung."
    )
    assert promotes_itself(
        "Die langjährige Erfahrung der Beratung bei der Begleitung von Kommunen hat gezeigt, dass es hilft."
    )
    assert not promotes_itself("Langfristig empfehlen wir Ihnen jedoch, eine Balance zu finden.")
    table = "Nr. | Prüfpunkt | erfüllt\nB5 | Werden die Daten verschlüsselt übertragen? | ☐"
    assert not is_statement("B5 | Werden die Daten verschlüsselt übertragen? | ☐", table)
    assert not is_statement("Datum: 20. Februar 2024.", "Datum: 20. Februar 2024.")
    assert not is_statement("Hier ein exemplarischer Weg zur Smart City-Balance:", "…")
    assert is_statement("Früh beginnen: Beteiligung setzt ein, bevor Ziele und Maßnahmen feststehen.", "…")
    assert is_statement("Die Digitalstrategie verfolgt keinen Selbstzweck.", "…")
