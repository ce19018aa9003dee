"""The API mounts Slack's Events API route only when a signing secret is configured."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.config import Settings
from kommunal.api import create_app


@pytest.mark.parametrize("secret", [None, "geheim"])
def test_slack_route_is_mounted_only_with_a_signing_secret(tmp_path: Path, secret: str | None) -> None:
    settings = Settings(
        data_dir=tmp_path,
        slack_signing_secret=SecretStr(secret) if secret else None,
        slack_bot_token=SecretStr("xoxb-test") if secret else None,
    )
    app = create_app(settings)
    client = TestClient(app)  # no lifespan: the index is not opened
    response = client.post("/slack/events", content=b'{"type": "url_verification", "challenge": "x"}')
    if secret:
        assert response.status_code in (401, 403)  # mounted: bolt refuses the unsigned request
    else:
        assert response.status_code == 404
    app.state.runtime.close()
