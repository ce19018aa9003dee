"""Small-to-big reader windows: each hit with its neighbouring chunks, no text twice."""

from __future__ import annotations

import pytest

from assistant.embeddings import create_embedder
from assistant.index import Index
from assistant.retrieval.windows import widen, window_text
from assistant.service import Assistant
from assistant.types import Chunk, Passage


def chunk(position: int, section: str = "1 Ziele", doc_id: str = "strategie") -> Chunk:
    return Chunk(
        chunk_id=f"{doc_id}::{position}",
        doc_id=doc_id,
        title="Digitalstrategie",
        source="strategie.md",
        section=f"Digitalstrategie > {section}",
        position=position,
        text=f"Text {position}.",
    )


class Document:
    """Neighbours from one list of chunks in document order (what Index.neighbours answers)."""

    def __init__(self, chunks: list[Chunk]) -> None:
        self.chunks = chunks

    def neighbours(self, hit: Chunk, before: int = 1, after: int = 1) -> list[Chunk]:
        i = next(n for n, c in enumerate(self.chunks) if c.chunk_id == hit.chunk_id)
        return self.chunks[max(0, i - before) : i + after + 1]


def hits(document: Document, *positions: int) -> list[Passage]:
    return [Passage(chunk=document.chunks[p], score=1.0 - 0.1 * n) for n, p in enumerate(positions)]


def test_a_hit_comes_with_its_neighbours_and_keeps_its_identity():
    document = Document([chunk(p) for p in range(5)])
    [window] = widen(document, hits(document, 2), 5)
    assert window.chunk.text == "Text 1.\n\nText 2.\n\nText 3."
    assert window.chunk.chunk_id == "strategie::2"
    assert window.score == 1.0


def test_windows_never_repeat_text_and_hits_inside_better_windows_are_dropped():
    document = Document([chunk(p) for p in range(8)])
    windows = widen(document, hits(document, 2, 3, 4, 7), 5)
    assert [w.chunk.chunk_id for w in windows] == ["strategie::2", "strategie::4", "strategie::7"]
    texts = [w.chunk.text for w in windows]
    assert texts == ["Text 1.\n\nText 2.\n\nText 3.", "Text 4.\n\nText 5.", "Text 6.\n\nText 7."]


def test_at_most_k_windows():
    document = Document([chunk(p) for p in range(20)])
    assert len(widen(document, hits(document, 0, 5, 10, 15), 2)) == 2


def test_a_neighbour_from_another_section_brings_its_heading():
    # Without its numbering: "4. Formate" would read as the next item of a list before it.
    chunks = [
        chunk(0, "1 Ziele"),
        chunk(1, "2. Beteiligung"),
        chunk(2, "2. Beteiligung"),
        chunk(3, "3.1 Umsetzung"),
    ]
    assert window_text(chunks[1], chunks[0:3]) == "Ziele\n\nText 0.\n\nBeteiligung\n\nText 1.\n\nText 2."
    assert window_text(chunks[2], chunks[1:4]) == "Text 1.\n\nText 2.\n\nUmsetzung\n\nText 3."


@pytest.fixture
def assistant(corpus_settings):
    with Index(corpus_settings, create_embedder(corpus_settings)) as index:
        yield Assistant(index, corpus_settings)


def test_search_and_ask_read_windows_from_the_real_index(assistant):
    question = "Wie beteiligen wir die Bürgerinnen und Bürger an der Digitalstrategie?"
    bare = assistant.retriever("hybrid").retrieve(question, 5)
    found = assistant.search(question, k=5)
    assert [p.chunk.chunk_id for p in found][:1] == [bare[0].chunk.chunk_id]
    for passage in found:
        assert passage.chunk.text.count(passage.chunk.text.split("\n\n")[0]) == 1
    top_chunk = assistant.index.manifest.chunks([found[0].chunk.chunk_id])[found[0].chunk.chunk_id]
    assert top_chunk.text in found[0].chunk.text
    assert len(found[0].chunk.text) > len(top_chunk.text)  # a neighbour came along
    answer = assistant.ask(question)
    assert not answer.abstained
    by_chunk = {p.chunk.chunk_id: p.chunk.text for p in assistant.answer_passages(question)}
    for source in answer.sources:
        assert source.text == by_chunk[source.chunk_id]  # the cited text is the window the answerer read


def test_reader_window_zero_hands_over_bare_chunks(corpus_settings):
    settings = corpus_settings.model_copy(update={"reader_window": 0})
    with Index(settings, create_embedder(settings)) as index:
        found = Assistant(index, settings).search("Glasfaser in den Ortsteilen", k=3)
        stored = index.manifest.chunks([p.chunk.chunk_id for p in found])
    assert [p.chunk.text for p in found] == [stored[p.chunk.chunk_id].text for p in found]


def test_a_long_window_keeps_the_hit_whole_and_shortens_its_neighbours():
    long = "Wort " * 200
    chunks = [chunk(0), chunk(1), chunk(2)]
    chunks = [
        c.model_copy(update={"text": t}) for c, t in zip(chunks, [long, "Der Treffer.", long], strict=True)
    ]
    text = window_text(chunks[1], chunks, max_chars=300)
    assert "Der Treffer." in text
    assert len(text) <= 300 + 10  # the two "…" marks and paragraph breaks
    assert text.startswith("… Wort") and text.endswith("Wort …")


def test_a_long_window_cuts_its_neighbours_at_sentence_ends():
    before = " ".join(f"Satz {i} vor dem Treffer steht hier." for i in range(40))
    after = " ".join(f"Satz {i} nach dem Treffer steht hier." for i in range(40))
    chunks = [
        c.model_copy(update={"text": t})
        for c, t in zip([chunk(0), chunk(1), chunk(2)], [before, "Der Treffer.", after], strict=True)
    ]
    text = window_text(chunks[1], chunks, max_chars=400)
    assert len(text) <= 400
    head, tail = text.split("Der Treffer.")
    # Whole sentences only: the kept text before the hit starts with a sentence, the kept
    # text after it ends with one, and the omission is marked on a line of its own.
    assert head.startswith("[…]\n\nSatz ") and head.rstrip().endswith("Satz 39 vor dem Treffer steht hier.")
    assert tail.lstrip().startswith("Satz 0 nach dem Treffer") and tail.endswith("steht hier.\n\n[…]")
    assert "…" not in text.replace("[…]", "")


def test_a_window_cites_the_pages_its_text_reaches():
    pages = Document(
        [
            chunk(i).model_copy(
                update={"page": page, "text": f"Seite {page}, Absatz {i}, mit genug Text darin."}
            )
            for i, page in enumerate([1, 2, 2, 3, 5])
        ]
    )
    first, second = widen(pages, hits(pages, 2, 4), 2)
    assert (first.chunk.page, first.chunk.page_end, first.chunk.location) == (
        2,
        3,
        "S. 2–3, Digitalstrategie > 1 Ziele",
    )
    # Only the hit's page when its window adds nothing from another page (chunk 3 is taken).
    assert (second.chunk.page, second.chunk.page_end) == (5, None)
    assert second.chunk.location.startswith("S. 5,")


def test_a_neighbour_cut_away_by_the_cap_adds_no_page():
    members = [
        chunk(0).model_copy(update={"page": 1, "text": "Erster Satz auf Seite eins. " * 30}),
        chunk(1).model_copy(update={"page": 2, "text": "Der Treffer auf Seite zwei."}),
    ]
    (window,) = widen(Document(members), hits(Document(members), 1), 1, max_chars=40)
    assert "Erster Satz auf Seite eins. Erster" not in window.chunk.text  # at most a cut-off word run
    assert (window.chunk.page, window.chunk.page_end) == (2, None)
