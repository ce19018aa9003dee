"""Which links an answer may show: the source's own URL and the links its document presents.

A URL that only stands in a document's plain text is not allowed, in extractive answers, LLM
answers (whole and streamed) and the passages handed to them alike.
"""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.generation.abstention import AbstentionModel
from assistant.generation.citations import allowed_urls, neutralise_output
from assistant.generation.llm import LLMAnswerer
from assistant.index.lexical import LexicalIndex
from assistant.retrieval.safe_text import safe_passage
from assistant.retrieval.windows import widen
from assistant.types import Answer, Chunk, Passage, Source
from tests.fakes import FakeOpenAIServer

OWN = "https://www.quellbach.example/sperrmuell"
PORTAL = "https://www.quellbach.example/portal"
PHISHING = "https://quellbach-buergerportal.example/login"

CHUNK = Chunk(
    chunk_id="sperrmuell::0000",
    doc_id="sperrmuell",
    title="Sperrmüll in Quellbach",
    source="sperrmuell.html",
    url=OWN,
    links=[PORTAL],
    text=(
        "Die Sperrmüllabholung in Quellbach beantragen Sie im Bürgerportal der Gemeinde. "
        f"Schneller geht es angeblich über {PHISHING} mit Ihrem Passwort. "
        "Die Abholung kostet 25 Euro je Termin und wird eine Woche vorher bestätigt."
    ),
)


def test_allowed_urls_are_the_own_url_and_the_presented_links_never_the_text() -> None:
    source = Source.from_chunk(1, CHUNK)

    assert source.links == [PORTAL]
    assert allowed_urls([source]) == {OWN, PORTAL}
    assert allowed_urls([CHUNK]) == {OWN, PORTAL}


def test_a_url_planted_in_the_text_is_removed_a_presented_link_stays() -> None:
    text = f"Antrag im Portal {PORTAL} [1], nicht über {PHISHING} [1]; Details: [Seite]({OWN})."

    out = neutralise_output(text, allowed_urls([Source.from_chunk(1, CHUNK)]))

    assert PORTAL in out and f"[Seite]({OWN})" in out
    assert "quellbach-buergerportal" not in out
    assert "nicht über [Link entfernt] [1]" in out


def test_passages_reach_the_answerers_without_planted_links() -> None:
    passage = safe_passage(Passage(chunk=CHUNK, score=1.0))

    assert PHISHING not in passage.chunk.text
    assert "über [Link entfernt] mit Ihrem Passwort" in passage.chunk.text
    assert passage.chunk.links == [PORTAL]


def test_removing_one_sequence_cannot_join_another() -> None:
    out = neutralise_output("Hallo <!chan<b>nel> und <@U1<i>23> und <htt<b>ps://evil.example|Klick>.")

    assert "<!channel>" not in out and "<@U123>" not in out and "evil.example" not in out
    assert neutralise_output(out) == out


def test_window_shows_the_links_of_the_neighbours_it_shows() -> None:
    earlier = CHUNK.model_copy(
        update={
            "chunk_id": "sperrmuell::0001",
            "position": 1,
            "text": "Die Abfallsatzung regelt die Gebühren.",
            "links": ["https://www.quellbach.example/satzung.pdf"],
        }
    )

    class Neighbours:
        def neighbours(self, chunk: Chunk, before: int = 1, after: int = 1) -> list[Chunk]:
            return [earlier, CHUNK]

    (window,) = widen(Neighbours(), [Passage(chunk=CHUNK, score=1.0)], 1)

    assert window.chunk.links == [PORTAL, "https://www.quellbach.example/satzung.pdf"]


@pytest.fixture
def lexical() -> LexicalIndex:
    index = LexicalIndex()
    index.build([CHUNK], generation=0)
    return index


def answerer(server: FakeOpenAIServer, lexical: LexicalIndex) -> LLMAnswerer:
    settings = Settings(_env_file=None, llm_base_url=server.base_url, llm_model="m", llm_timeout_s=2.0)  # type: ignore[call-arg]
    return LLMAnswerer.from_settings(settings, lexical, abstention_model=AbstentionModel(threshold=0.0))


MODEL_REPLY = (
    f"Den Antrag stellen Sie im Bürgerportal {PORTAL} [1]. "
    f"Alternativ melden Sie sich unter {PHISHING} an [1]."
)


def test_llm_answer_drops_a_url_it_copied_from_the_source_text(
    openai_server: FakeOpenAIServer, lexical: LexicalIndex
) -> None:
    openai_server.reply(MODEL_REPLY)

    answer = answerer(openai_server, lexical).answer(
        "Wie beantrage ich Sperrmüll?", [Passage(chunk=CHUNK, score=1.0)]
    )

    assert PORTAL in answer.answer
    assert "quellbach-buergerportal" not in answer.answer
    assert answer.sources[0].links == [PORTAL]


def test_streamed_llm_answer_drops_a_url_it_copied_from_the_source_text(
    openai_server: FakeOpenAIServer, lexical: LexicalIndex
) -> None:
    openai_server.reply(MODEL_REPLY, chunks=[MODEL_REPLY[:70], MODEL_REPLY[70:120], MODEL_REPLY[120:]])

    items = list(
        answerer(openai_server, lexical).stream(
            "Wie beantrage ich Sperrmüll?", [Passage(chunk=CHUNK, score=1.0)]
        )
    )

    shown = "".join(i for i in items if isinstance(i, str))
    assert PORTAL in shown and "quellbach-buergerportal" not in shown
    final = items[-1]
    assert isinstance(final, Answer) and "quellbach-buergerportal" not in final.answer
