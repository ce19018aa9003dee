"""API keys on both storage dialects: a key revoked through one store is refused by another."""

from __future__ import annotations

import pytest

from assistant.config import Settings
from assistant.errors import ConfigError, NotFoundError
from kommunal.api.keys import KeyStore


def test_keys_create_verify_revoke_across_stores(tmp_path, database_url):
    settings = Settings(data_dir=tmp_path / "data", database_url=database_url)
    here, there = KeyStore.for_settings(settings), KeyStore.for_settings(settings)
    record, token = here.create("redaktion", "editor", ["oeffentlich", "intern"])
    seen = there.verify(token)
    assert seen is not None and seen.name == "redaktion" and seen.doc_sets == ["intern", "oeffentlich"]
    assert there.verify(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    with pytest.raises(ConfigError, match="existiert bereits"):
        there.create("redaktion", "reader")
    here.create("leser", "reader")  # the store still works after the refused insert
    assert {k.name for k in there.list()} == {"leser", "redaktion"}
    revoked = there.revoke(record.key_id)
    assert revoked.revoked_at is not None
    assert here.verify(token) is None
    with pytest.raises(NotFoundError):
        here.revoke("gibt-es-nicht")
