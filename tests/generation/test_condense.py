"""The LLM condense prompt for follow-ups, against the local OpenAI-compatible fake, with the rules
as fallback when the model fails or answers with something that is not a question."""

from __future__ import annotations

from assistant.config import Settings
from assistant.conversation import RuleCondenser, Turn
from assistant.generation.chat_model import create_chat_model
from assistant.generation.condense import CONDENSE_PROMPT, LLMCondenser
from assistant.index.lexical import LexicalIndex
from assistant.types import Chunk
from tests.fakes import FakeOpenAIServer

HISTORY = [Turn("Wie viel spart Kessbach mit openDesk?", cited_doc_ids=("kessbach",))]


def _condenser(server: FakeOpenAIServer) -> LLMCondenser:
    lexical = LexicalIndex()
    lexical.build(
        [
            Chunk(
                chunk_id="k::0", doc_id="kessbach", text="Kessbach spart mit openDesk.", title="K", source="k"
            )
        ],
        generation=0,
    )
    settings = Settings(
        llm_base_url=server.base_url, llm_model="test-model", llm_timeout_s=5, llm_max_retries=0
    )
    return LLMCondenser(create_chat_model(settings), RuleCondenser(lexical))


def test_the_model_rewrites_a_follow_up(openai_server: FakeOpenAIServer) -> None:
    openai_server.reply("Wie lange wurde openDesk in Kessbach vor der Umstellung getestet?")
    asked = _condenser(openai_server).condense(HISTORY, "Und wie lange wurde vorher getestet?")
    assert (
        asked.rewritten and asked.query == "Wie lange wurde openDesk in Kessbach vor der Umstellung getestet?"
    )
    assert asked.question == "Und wie lange wurde vorher getestet?"
    assert asked.prefer_doc_ids == ("kessbach",)
    assert "Wie lange wurde openDesk" in asked.note
    [request] = openai_server.chat_requests
    assert request.system_prompt == CONDENSE_PROMPT
    assert "Wie viel spart Kessbach mit openDesk?" in request.user_text
    assert "Und wie lange wurde vorher getestet?" in request.user_text


def test_an_unchanged_question_is_not_rewritten(openai_server: FakeOpenAIServer) -> None:
    openai_server.reply("Wie viele Parksensoren hat Brunnhagen verbaut?")
    asked = _condenser(openai_server).condense(HISTORY, "Wie viele Parksensoren hat Brunnhagen verbaut?")
    assert not asked.rewritten and not asked.note


def test_a_failing_model_leaves_it_to_the_rules(openai_server: FakeOpenAIServer) -> None:
    openai_server.queue(openai_server.fail(500))
    asked = _condenser(openai_server).condense(HISTORY, "Und wie lange wurde vorher getestet?")
    assert asked.rewritten and asked.query == "Und wie lange wurde vorher getestet? (Kessbach, openDesk)"


def test_an_answer_instead_of_a_question_leaves_it_to_the_rules(openai_server: FakeOpenAIServer) -> None:
    openai_server.reply("Vier Monate lang haben zwölf Beschäftigte getestet.")
    asked = _condenser(openai_server).condense(HISTORY, "Und wie lange wurde vorher getestet?")
    assert asked.query == "Und wie lange wurde vorher getestet? (Kessbach, openDesk)"


def test_without_history_the_model_is_not_asked(openai_server: FakeOpenAIServer) -> None:
    asked = _condenser(openai_server).condense([], "Wie viel spart Kessbach?")
    assert not asked.rewritten and openai_server.chat_requests == []
