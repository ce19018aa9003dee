"""API keys: stored hashed, verified, revoked; the ``keys`` CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.errors import ConfigError, NotFoundError
from kommunal.api.keys import KeyStore
from kommunal.cli.main import app


def test_keys_are_stored_hashed_and_verified(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite3")
    record, token = store.create("redaktion", "editor", ["oeffentlich", " intern ", ""])
    assert record.doc_sets == ["intern", "oeffentlich"]
    secret = token.rsplit("_", 1)[-1]
    assert secret.encode() not in (tmp_path / "keys.sqlite3").read_bytes()
    assert token.encode() not in (tmp_path / "keys.sqlite3").read_bytes()
    verified = store.verify(token)
    assert verified is not None and verified.name == "redaktion" and verified.role == "editor"
    assert verified.allows("reader") and verified.allows("editor") and not verified.allows("admin")
    assert store.verify(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert store.verify(f"ka_{record.key_id}_") is None
    assert store.verify("") is None


def test_revoked_key_stops_working(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite3")
    record, token = store.create("alt", "admin")
    assert store.revoke(record.key_id).revoked_at
    assert store.verify(token) is None
    with pytest.raises(NotFoundError):
        store.revoke("gibt-es-nicht")


def test_bad_key_requests_are_refused_in_german(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "keys.sqlite3")
    store.create("a", "reader")
    with pytest.raises(ConfigError, match="existiert bereits"):
        store.create("a", "reader")
    with pytest.raises(ConfigError, match="Rolle"):
        store.create("b", "chef")  # type: ignore[arg-type]


def test_keys_cli_create_list_revoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.config import get_settings

    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        created = runner.invoke(
            app, ["keys", "create", "--name", "portal", "--role", "reader", "--set", "oeffentlich", "--json"]
        )
        assert created.exit_code == 0, created.output
        token = json.loads(created.stdout)["api_key"]
        assert KeyStore(tmp_path / "api_keys.sqlite3").verify(token) is not None
        listed = json.loads(runner.invoke(app, ["keys", "list", "--json"]).stdout)
        assert [(k["name"], k["role"], k["doc_sets"]) for k in listed] == [
            ("portal", "reader", ["oeffentlich"])
        ]
        assert token not in runner.invoke(app, ["keys", "list", "--json"]).stdout
        assert runner.invoke(app, ["keys", "revoke", "portal"]).exit_code == 0
        assert KeyStore(tmp_path / "api_keys.sqlite3").verify(token) is None
        assert runner.invoke(app, ["keys", "revoke", "portal-2"]).exit_code == 1
        assert runner.invoke(app, ["keys", "create", "--name", "x", "--role", "chef"]).exit_code == 4
    finally:
        get_settings.cache_clear()
