"""The official ``openai`` Python SDK against the real app behind uvicorn on 127.0.0.1.

What chat front ends rely on: the models list, ``usage`` (also as the last stream chunk with
``stream_options.include_usage``), one id for all chunks of a stream, ``max_tokens`` cutting the
answer after a whole sentence with ``finish_reason: "length"``, OpenAI-shaped 400s naming ``n``
and ``stop``, unknown fields ignored, and multi-turn conversations. The language model behind
the app is the local fake, so every answer text is known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openai
import pytest
from openai.types.chat import ChatCompletionMessageParam

from assistant.config import Settings
from tests.api.conftest import Keys, copy_corpus_index, make_keys
from tests.fakes import FakeOpenAIServer
from tests.fakes.uvicorn_thread import served_app

QUESTION = "Wie viel spart Kessbach mit openDesk?"
SHORT = "Kessbach spart mit openDesk Lizenzkosten [1]."
ANSWER = (
    f"{SHORT} Seit Juni 2024 arbeiten alle 45 Bildschirmarbeitsplätze im Rathaus und im Bauhof "
    "mit openDesk, die Umstellung wurde ohne Fördermittel umgesetzt [2]. Die eingesparten "
    "Lizenzkosten gleichen den Aufwand innerhalb von zwei Jahren aus [3]."
)
# The first sentence is ~12 tokens, the first two ~45: 25 keeps exactly the first.
LIMIT = 25


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture(scope="module")
def served(
    corpus_index_template: Path, tmp_path_factory: pytest.TempPathFactory, llm: FakeOpenAIServer
) -> Iterator[tuple[str, Keys]]:
    """The app over a corpus copy behind a real uvicorn, its model the fake."""
    settings = Settings(
        data_dir=copy_corpus_index(corpus_index_template, tmp_path_factory.mktemp("sdk")),
        index_name="corpus",
        api_rate_limit_per_minute=0,
        llm_base_url=llm.base_url,
        llm_model="test-model",
        llm_timeout_s=10,
    )
    keys = make_keys(settings)
    with served_app(settings) as url:
        yield url, keys


@pytest.fixture(scope="module")
def sdk(served: tuple[str, Keys]) -> Iterator[openai.OpenAI]:
    url, keys = served
    with openai.OpenAI(base_url=f"{url}/v1", api_key=keys.reader, max_retries=0, timeout=30) as client:
        yield client


def _ask(text: str = QUESTION) -> list[ChatCompletionMessageParam]:
    return [{"role": "user", "content": text}]


def _answer_and_sources(content: str) -> tuple[str, list[int]]:
    """The answer text and the numbers its Quellen list names."""
    answer, _, sources = content.partition("\n\n**Quellen**\n")
    return answer, [int(n) for n in re.findall(r"^- \[(\d+)\]", sources, re.M)]


def test_models_list_and_a_wrong_key(sdk: openai.OpenAI, served: tuple[str, Keys]) -> None:
    assert [m.id for m in sdk.models.list()] == ["kommunal-assistant"]
    with (
        openai.OpenAI(base_url=f"{served[0]}/v1", api_key="ka_falsch", max_retries=0) as wrong,
        pytest.raises(openai.AuthenticationError),
    ):
        wrong.models.list()


def test_completion_carries_usage_and_ignores_unknown_fields(
    sdk: openai.OpenAI, llm: FakeOpenAIServer
) -> None:
    llm.reply(ANSWER)
    completion = sdk.chat.completions.create(
        model="kommunal-assistant",
        messages=_ask(),
        extra_body={
            "tools": [{"type": "function", "function": {"name": "web_search", "parameters": {}}}],
            "params": {"temperature": 0.3},
            "session_id": "abc",
            "chat_id": "def",
        },
    )
    choice = completion.choices[0]
    assert choice.finish_reason == "stop"
    answer, sources = _answer_and_sources(choice.message.content or "")
    assert answer == ANSWER and sources == [1, 2, 3]
    usage = completion.usage
    assert usage is not None
    # the embedding tokenizer's count: a few tokens per word of the question / of the reply
    assert len(QUESTION.split()) <= usage.prompt_tokens <= 4 * len(QUESTION.split())
    assert len((choice.message.content or "").split()) <= usage.completion_tokens
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens

    llm.reply(ANSWER)
    longer = sdk.chat.completions.create(
        model="kommunal-assistant",
        messages=[{"role": "system", "content": "Antworte knapp und mit Quellen."}, *_ask()],
    )
    assert longer.usage is not None and longer.usage.prompt_tokens > usage.prompt_tokens


def test_stream_shares_one_id_and_ends_with_usage(sdk: openai.OpenAI, llm: FakeOpenAIServer) -> None:
    llm.reply(ANSWER)
    chunks = list(
        sdk.chat.completions.create(
            model="kommunal-assistant",
            messages=_ask(),
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert len({c.id for c in chunks}) == 1 and chunks[0].id.startswith("chatcmpl-")
    *content_chunks, last = chunks
    assert last.choices == [] and last.usage is not None
    assert all(c.usage is None for c in content_chunks)
    assert content_chunks[-1].choices[0].finish_reason == "stop"
    text = "".join(c.choices[0].delta.content or "" for c in content_chunks)
    assert _answer_and_sources(text) == (ANSWER, [1, 2, 3])
    assert last.usage.prompt_tokens > 0 and last.usage.completion_tokens >= len(text.split())
    assert last.usage.total_tokens == last.usage.prompt_tokens + last.usage.completion_tokens

    llm.reply(ANSWER)
    plain = list(sdk.chat.completions.create(model="kommunal-assistant", messages=_ask(), stream=True))
    assert len({c.id for c in plain}) == 1 and plain[0].id != chunks[0].id
    assert all(c.usage is None for c in plain) and plain[-1].choices[0].finish_reason == "stop"


@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
def test_max_tokens_cuts_after_a_whole_sentence(
    sdk: openai.OpenAI, llm: FakeOpenAIServer, field: str
) -> None:
    llm.reply(ANSWER)
    if field == "max_tokens":
        completion = sdk.chat.completions.create(
            model="kommunal-assistant", messages=_ask(), max_tokens=LIMIT
        )
    else:
        completion = sdk.chat.completions.create(
            model="kommunal-assistant", messages=_ask(), max_completion_tokens=LIMIT
        )
    choice = completion.choices[0]
    assert choice.finish_reason == "length"
    answer, sources = _answer_and_sources(choice.message.content or "")
    assert answer == SHORT
    assert sources == [1]  # only what the kept sentence cites, under its own number
    assert completion.usage is not None and completion.usage.completion_tokens > 0


def test_max_tokens_in_a_stream(sdk: openai.OpenAI, llm: FakeOpenAIServer) -> None:
    llm.reply(ANSWER)
    chunks = list(
        sdk.chat.completions.create(
            model="kommunal-assistant",
            messages=_ask(),
            max_tokens=LIMIT,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    assert len({c.id for c in chunks}) == 1
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["length"]
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert _answer_and_sources(text) == (SHORT, [1])
    assert chunks[-1].usage is not None


def test_a_limit_above_the_answer_changes_nothing(sdk: openai.OpenAI, llm: FakeOpenAIServer) -> None:
    llm.reply(ANSWER)
    completion = sdk.chat.completions.create(model="kommunal-assistant", messages=_ask(), max_tokens=4000)
    assert completion.choices[0].finish_reason == "stop"
    assert _answer_and_sources(completion.choices[0].message.content or "") == (ANSWER, [1, 2, 3])


@pytest.mark.parametrize(
    ("options", "param"),
    [({"n": 2}, "n"), ({"stop": ["\n"]}, "stop"), ({"stop": "Quellen", "stream": True}, "stop")],
)
def test_n_and_stop_are_refused_naming_the_field(
    sdk: openai.OpenAI, llm: FakeOpenAIServer, options: dict[str, Any], param: str
) -> None:
    asked = len(llm.chat_requests)
    with pytest.raises(openai.BadRequestError) as refused:
        sdk.chat.completions.create(model="kommunal-assistant", messages=_ask(), **options)  # type: ignore[call-overload]
    error = refused.value
    assert error.status_code == 400
    assert error.param == param and error.type == "invalid_request_error"
    assert f"„{param}“" in error.message
    assert len(llm.chat_requests) == asked  # refused before any work
    # n=1 and an empty stop list ask for nothing unsupported
    llm.reply(ANSWER)
    fine = sdk.chat.completions.create(model="kommunal-assistant", messages=_ask(), n=1, stop=[])
    assert fine.choices[0].finish_reason == "stop"


def test_a_three_message_conversation_is_answered_with_sources(
    sdk: openai.OpenAI, llm: FakeOpenAIServer
) -> None:
    # With a model configured, the condense prompt reads the conversation first, then the answer.
    llm.queue(
        "Seit wann arbeitet Kessbach mit openDesk?",
        "Die Umstellung auf openDesk ist seit Juni 2024 abgeschlossen [1].",
    )
    completion = sdk.chat.completions.create(
        model="kommunal-assistant",
        messages=[
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": ANSWER},
            {"role": "user", "content": "Und seit wann arbeitet Kessbach mit openDesk?"},
        ],
    )
    content = completion.choices[0].message.content or ""
    answer, sources = _answer_and_sources(content)
    assert "Juni 2024" in answer and "[1]" in answer and sources
    assert "seit wann" in llm.chat_requests[-1].contents("user")[-1].lower()
    assert QUESTION in llm.chat_requests[-2].user_text  # the condense prompt saw the first question
