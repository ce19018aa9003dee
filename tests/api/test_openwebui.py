"""Open WebUI in front of the API: forwarded users narrow a front-end key's sets; task prompts get
a cheap reply.

There is no Open WebUI here: the tests send what it sends with
``ENABLE_FORWARD_USER_INFO_HEADERS=true`` (the ``X-OpenWebUI-User-*`` headers) and its task
prompt templates (``tests/fixtures/openwebui/``, filled as Open WebUI fills them), to the real
app over a copy of the corpus index with the canary documents of ``test_canary``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.feedback import FeedbackStore
from kommunal.api import create_app
from kommunal.api.keys import KeyStore
from kommunal.cli.main import app as cli
from tests.api.conftest import copy_corpus_index, upload
from tests.api.test_canary import CANARY, CANARY_FILE, CANARY_TEXT, PUBLIC_FILE, PUBLIC_TEXT, QUESTION

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "openwebui"
SECRET = "Tresorcode-Geheim 41B9"
SECRET_FILE = "auenhain-geheim.md"
SECRET_TEXT = f"# Funkstrecke Auenhain: geheim\n\nDer Tresorcode der Funkstrecke Auenhain lautet {SECRET}.\n"
MAPPING = """\
# who sees what through the Open WebUI key (which itself may read oeffentlich and intern)
users:
  u-intern: [oeffentlich, intern]
emails:
  Anna.Schmidt@stadt-musterhausen.de: [oeffentlich, intern]
domains:
  "@stadt-musterhausen.de": [oeffentlich]
roles:
  admin: [oeffentlich, intern, geheim]
"""
INTERN_USER = {"X-OpenWebUI-User-Id": "u-intern", "X-OpenWebUI-User-Role": "user"}
PUBLIC_USER = {
    "X-OpenWebUI-User-Id": "u-4711",
    "X-OpenWebUI-User-Name": "Max%20M%C3%BCller",
    "X-OpenWebUI-User-Email": "max.mueller@stadt-musterhausen.de",
    "X-OpenWebUI-User-Role": "user",
}


@dataclass
class Setup:
    client: TestClient
    settings: Settings
    frontend: str  # front-end key, sets oeffentlich + intern
    plain: str  # plain reader key, the same sets
    admin: str


@pytest.fixture(scope="module")
def setup(corpus_index_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    """The app with a user mapping, a front-end key, a plain key with the same sets, and the
    canary (intern), the public document and a secret (geheim, a set the key does not have)."""
    root = tmp_path_factory.mktemp("openwebui")
    mapping = root / "openwebui-users.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    settings = Settings(
        data_dir=copy_corpus_index(corpus_index_template, root),
        index_name="corpus",
        api_rate_limit_per_minute=0,
        frontend_users_file=mapping,
    )
    store = KeyStore(settings.api_keys_path)
    frontend = store.create("openwebui", "reader", ["oeffentlich", "intern"], frontend="openwebui")[1]
    plain = store.create("leser-intern", "reader", ["oeffentlich", "intern"])[1]
    admin = store.create("verwaltung", "admin")[1]
    with TestClient(create_app(settings)) as client:
        for name, text, doc_set in (
            (CANARY_FILE, CANARY_TEXT, "intern"),
            (PUBLIC_FILE, PUBLIC_TEXT, "oeffentlich"),
            (SECRET_FILE, SECRET_TEXT, "geheim"),
        ):
            planted = upload(client, admin, {name: text.encode()}, [doc_set])
            assert planted.status_code == 200 and planted.json()["files"][0]["status"] == "ok", planted.text
        yield Setup(client, settings, frontend, plain, admin)


def _bearer(token: str, user: dict[str, str] | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **(user or {})}


def _search(setup: Setup, token: str, user: dict[str, str] | None, query: str = QUESTION) -> str:
    response = setup.client.post(
        "/api/v1/search", json={"query": query, "k": 100}, headers=_bearer(token, user)
    )
    assert response.status_code == 200, response.text
    return response.text


def _chat(setup: Setup, token: str, user: dict[str, str] | None, content: str, **extra: Any) -> Any:
    body = {"model": "kommunal-assistant", "messages": [{"role": "user", "content": content}], **extra}
    return setup.client.post("/v1/chat/completions", json=body, headers=_bearer(token, user))


def test_a_user_mapped_to_oeffentlich_does_not_get_the_intern_document(setup: Setup) -> None:
    found = _search(setup, setup.frontend, PUBLIC_USER)
    assert PUBLIC_FILE in found  # the request works and reaches the topic
    assert CANARY not in found and CANARY_FILE not in found
    chat = _chat(setup, setup.frontend, PUBLIC_USER, QUESTION)
    assert chat.status_code == 200, chat.text
    assert CANARY not in chat.text
    # the control: a user mapped to intern finds the canary through the same key and question
    assert CANARY in _search(setup, setup.frontend, INTERN_USER)


def test_most_specific_entry_wins_and_never_more_than_the_key(setup: Setup) -> None:
    anna = {
        **PUBLIC_USER,
        "X-OpenWebUI-User-Id": "u-1",
        "X-OpenWebUI-User-Email": "anna.schmidt@stadt-musterhausen.de",
    }
    assert CANARY in _search(setup, setup.frontend, anna)  # her e-mail entry beats her domain's
    admin = {"X-OpenWebUI-User-Id": "u-admin", "X-OpenWebUI-User-Role": "admin"}
    seen = _search(setup, setup.frontend, admin, "Tresorcode der Funkstrecke Auenhain")
    assert CANARY in seen  # intern: the role's sets within the key's
    assert SECRET not in seen  # geheim: the role has it, the key does not
    assert SECRET in _search(setup, setup.admin, None, "Tresorcode der Funkstrecke Auenhain")


def test_unknown_user_and_missing_headers_get_the_default_which_is_nothing(setup: Setup) -> None:
    for user in ({"X-OpenWebUI-User-Id": "u-fremd", "X-OpenWebUI-User-Email": "x@example.org"}, None):
        results = json.loads(_search(setup, setup.frontend, user))["results"]
        assert results == []


def test_a_plain_key_ignores_the_user_headers(setup: Setup) -> None:
    stranger = {"X-OpenWebUI-User-Id": "u-fremd", "X-OpenWebUI-User-Role": "user"}
    assert CANARY in _search(setup, setup.plain, PUBLIC_USER)
    assert CANARY in _search(setup, setup.plain, stranger)
    admin = {"X-OpenWebUI-User-Id": "u-admin", "X-OpenWebUI-User-Role": "admin"}
    assert SECRET not in _search(setup, setup.plain, admin, "Tresorcode der Funkstrecke Auenhain")


def test_feedback_records_the_user_and_logs_only_its_hash(
    setup: Setup, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="kommunal"):
        chat = _chat(setup, setup.frontend, PUBLIC_USER, "Was verbindet die Funkstrecke Auenhain?")
        assert chat.status_code == 200, chat.text
        answer_id = chat.json()["id"].removeprefix("chatcmpl-")
        rated = setup.client.post(
            "/api/v1/feedback",
            json={"answer_id": answer_id, "rating": "down", "comment": "zu knapp"},
            headers=_bearer(setup.frontend, PUBLIC_USER),
        )
    assert rated.status_code == 201, rated.text
    stored = next(f for f in FeedbackStore.for_settings(setup.settings).list() if f.answer_id == answer_id)
    assert stored.user == "u-4711" and stored.channel == "api:openwebui"
    hashed = hashlib.sha256(b"u-4711").hexdigest()[:12]
    lines = [r.getMessage() for r in caplog.records]
    assert any(f"user=sha256:{hashed}" in line for line in lines), lines
    assert not any("max.mueller" in line or "u-4711" in line for line in lines), lines


def test_one_users_answer_is_not_another_users(setup: Setup) -> None:
    """Users of one front-end key share the key, not their answers: another user can neither
    rate an answer nor continue its conversation."""
    chat = _chat(setup, setup.frontend, PUBLIC_USER, "Was verbindet die Funkstrecke Auenhain?")
    assert chat.status_code == 200, chat.text
    answer_id = chat.json()["id"].removeprefix("chatcmpl-")
    other = {**INTERN_USER}
    rated = setup.client.post(
        "/api/v1/feedback",
        json={"answer_id": answer_id, "rating": "up"},
        headers=_bearer(setup.frontend, other),
    )
    assert rated.status_code == 404, rated.text
    own = setup.client.post(
        "/api/v1/feedback",
        json={"answer_id": answer_id, "rating": "up"},
        headers=_bearer(setup.frontend, PUBLIC_USER),
    )
    assert own.status_code == 201, own.text


def _filled(template: str, history: str) -> str:
    """The template as Open WebUI fills it (open_webui/utils/task.py)."""
    for marker in ("{{MESSAGES:END:2}}", "{{MESSAGES:END:6}}"):
        template = template.replace(marker, history)
    return (
        template.replace("{{CURRENT_DATE}}", "2026-12-02")
        .replace("{{prompt}}", "Danke, das hilft!")
        .replace("{{TYPE}}", "General")
        .replace("{{PROMPT}}", "Wie hoch ist das")
    )


ASSISTANT_REPLY = (
    "Die Funkstrecke Auenhain verbindet das Rathaus mit dem Wasserwerk [1].\n\n**Quellen**\n- [1] x"
)
HISTORY = f"USER: {QUESTION}\nASSISTANT: {ASSISTANT_REPLY}"
LONG_HISTORY = "\n".join([HISTORY] * 12)  # far beyond the 2000 characters of a question
EXPECTED = {
    "title.txt": {"title": "Kennwort Funkstrecke Auenhain"},
    "title_emoji.txt": {"title": "Kennwort Funkstrecke Auenhain"},
    "tags.txt": {"tags": []},
    "follow_ups.txt": {"follow_ups": []},
    "queries.txt": {"queries": []},
    "autocomplete.txt": {"text": ""},
}


@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
@pytest.mark.parametrize("fixture", [*EXPECTED, "emoji.txt"])
def test_task_prompts_get_a_cheap_reply_without_retrieval(setup: Setup, fixture: str, stream: bool) -> None:
    history = HISTORY if fixture.startswith("title") else LONG_HISTORY
    prompt = _filled((FIXTURES / fixture).read_text(encoding="utf-8"), history)
    assert fixture.startswith(("title", "emoji")) or len(prompt) > 2000
    answers = setup.client.app.state.runtime.answers  # type: ignore[attr-defined]
    remembered = len(answers._items)
    response = _chat(setup, setup.frontend, INTERN_USER, prompt, stream=stream)
    assert response.status_code == 200, response.text
    content = (
        _streamed_content(response.text) if stream else response.json()["choices"][0]["message"]["content"]
    )
    if fixture == "emoji.txt":
        assert content == "🙂"
    else:
        assert json.loads(content) == EXPECTED[fixture]
    assert "Quellen" not in content and CANARY not in response.text
    assert len(answers._items) == remembered  # no answer was produced: nothing was retrieved


def _streamed_content(body: str) -> str:
    events = [line.removeprefix("data: ") for line in body.splitlines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(e) for e in events[:-1]]
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop"
    return "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)


def test_a_staff_question_is_still_answered_with_sources(setup: Setup) -> None:
    chat = _chat(setup, setup.frontend, INTERN_USER, "Was verbindet die Funkstrecke Auenhain?")
    assert chat.status_code == 200 and "**Quellen**" in chat.json()["choices"][0]["message"]["content"]


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("users:\n  u-1: oeffentlich\n", "users.u-1"),
        ("gruppen:\n  rathaus: [intern]\n", "gruppen"),
        ('domains:\n  "stadt.de": [intern]\n', "domains"),
        ("default: [oeffentlich\n", "Zeile"),
        ("roles:\n  user: ['']\n", "roles.user"),
    ],
)
def test_a_bad_mapping_file_stops_the_start_naming_file_and_entry(
    corpus_settings: Settings, tmp_path: Path, text: str, entry: str
) -> None:
    mapping = tmp_path / "nutzer.yaml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        create_app(corpus_settings.model_copy(update={"frontend_users_file": mapping}))
    assert str(mapping) in str(raised.value) and entry in str(raised.value)
    assert "ASSISTANT_FRONTEND_USERS_FILE" in str(raised.value)


def test_keys_create_frontend_and_old_key_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    data = tmp_path / "data"
    data.mkdir()
    old = sqlite3.connect(data / "api_keys.sqlite3")  # the table as it was before front-end keys
    old.execute(
        "CREATE TABLE api_keys (key_id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,"
        " doc_sets TEXT NOT NULL DEFAULT '[]', secret_sha256 TEXT NOT NULL, created_at TEXT NOT NULL,"
        " revoked_at TEXT)"
    )
    old.execute("INSERT INTO api_keys VALUES ('abc', 'alt', 'reader', '[\"x\"]', '00', '2024-01-01', NULL)")
    old.commit()
    old.close()
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(data))
    runner = CliRunner()
    made = runner.invoke(
        cli, ["keys", "create", "--name", "owui", "--set", "oeffentlich", "--frontend", "openwebui", "--json"]
    )
    assert made.exit_code == 0, made.output
    assert json.loads(made.stdout)["frontend"] == "openwebui"
    listed = {k["name"]: k for k in json.loads(runner.invoke(cli, ["keys", "list", "--json"]).stdout)}
    assert listed["alt"]["frontend"] is None and listed["owui"]["frontend"] == "openwebui"
    refused = runner.invoke(
        cli, ["keys", "create", "--name", "x", "--role", "admin", "--frontend", "openwebui"]
    )
    assert refused.exit_code != 0 and "Rolle reader" in refused.output
    unknown = runner.invoke(cli, ["keys", "create", "--name", "y", "--frontend", "librechat"])
    assert unknown.exit_code != 0 and "Unbekanntes Frontend" in unknown.output
