"""Fixtures for the API tests: a private copy of the corpus index, keys of every role, clients."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.config import Settings
from kommunal.api import create_app
from kommunal.api.keys import KeyStore


@dataclass
class Keys:
    """Tokens of one key per role (and set scope), plus one revoked."""

    reader: str  # reader, sets: oeffentlich
    reader_intern: str  # reader, sets: oeffentlich + intern
    editor: str  # editor, sets: oeffentlich
    admin: str  # admin
    revoked: str  # admin, revoked

    @staticmethod
    def header(token: str) -> dict[str, str]:
        return {"X-API-Key": token}


def make_keys(settings: Settings) -> Keys:
    store = KeyStore(settings.api_keys_path)
    tokens = {
        "reader": store.create("leser", "reader", ["oeffentlich"])[1],
        "reader_intern": store.create("leser-intern", "reader", ["oeffentlich", "intern"])[1],
        "editor": store.create("redaktion", "editor", ["oeffentlich"])[1],
        "admin": store.create("verwaltung", "admin")[1],
        "revoked": store.create("ehemalig", "admin")[1],
    }
    store.revoke("ehemalig")
    return Keys(**tokens)


def copy_corpus_index(template: Path, target: Path) -> Path:
    data_dir = target / "data"
    shutil.copytree(template, data_dir)
    return data_dir


@pytest.fixture(scope="module")
def module_settings(corpus_index_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """One corpus copy for a whole test module (tests that only read, or clean up after themselves)."""
    data_dir = copy_corpus_index(corpus_index_template, tmp_path_factory.mktemp("api"))
    return Settings(data_dir=data_dir, index_name="corpus", api_rate_limit_per_minute=0)


@pytest.fixture(scope="module")
def keys(module_settings: Settings) -> Keys:
    return make_keys(module_settings)


@pytest.fixture(scope="module")
def client(module_settings: Settings, keys: Keys) -> Iterator[TestClient]:
    """The app over the module's corpus copy, with its lifespan (index opened, closed at the end)."""
    with TestClient(create_app(module_settings)) as test_client:
        yield test_client


AppFactory = Callable[..., tuple[TestClient, Keys]]


@pytest.fixture
def make_client(corpus_settings: Settings) -> Iterator[AppFactory]:
    """Build an app over this test's own corpus copy with setting overrides; closed after the test."""
    opened: list[TestClient] = []

    def factory(**overrides: Any) -> tuple[TestClient, Keys]:
        settings = corpus_settings.model_copy(update={"api_rate_limit_per_minute": 0, **overrides})
        keys = make_keys(settings)
        test_client = TestClient(create_app(settings))
        test_client.__enter__()
        opened.append(test_client)
        return test_client, keys

    yield factory
    for test_client in opened:
        test_client.__exit__(None, None, None)


def upload(
    client: TestClient, token: str, files: dict[str, bytes], doc_sets: list[str] | None = None, **form: str
) -> Any:
    """POST files to /api/v1/documents as multipart."""
    data: dict[str, Any] = dict(form)
    if doc_sets is not None:
        data["doc_sets"] = doc_sets
    return client.post(
        "/api/v1/documents",
        headers=Keys.header(token),
        files=[("files", (name, content, "application/octet-stream")) for name, content in files.items()],
        data=data,
    )
