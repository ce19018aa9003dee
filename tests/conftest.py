"""Fixtures shared by every test package."""

from collections.abc import Iterator

import pytest

from tests.fakes.openai_server import FakeOpenAIServer


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    """A real OpenAI-compatible server on 127.0.0.1, scripted per test (see tests/fakes)."""
    with FakeOpenAIServer() as server:
        yield server
