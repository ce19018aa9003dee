"""``search`` and ``ask`` on the command line: the shared filter, ``--batch`` and ``--json`` options
reach the assistant, and exactly one of a question and ``--batch`` is required."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.config import Settings, get_settings
from kommunal.cli.main import app
from kommunal.cli.output import EXIT_CONFIG, EXIT_USAGE


@pytest.fixture
def cli(corpus_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(corpus_settings.data_dir))
    monkeypatch.setenv("ASSISTANT_INDEX_NAME", corpus_settings.index_name)
    monkeypatch.delenv("ASSISTANT_LLM_BASE_URL", raising=False)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_search_filters_by_document_type(cli: CliRunner) -> None:
    result = cli.invoke(
        app, ["search", "Digitale Souveränität", "--doc-type", "strategy", "-k", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    hits = json.loads(result.stdout)
    assert 0 < len(hits) <= 3
    assert {hit["doc_type"] for hit in hits} == {"strategy"}  # unfiltered, this query also finds case studies


def test_ask_batch_writes_one_json_line_per_question(cli: CliRunner, tmp_path: Path) -> None:
    batch = tmp_path / "fragen.jsonl"
    batch.write_text(
        '{"id": "a", "question": "Was ist openDesk?"}\n\n'
        '{"id": "b", "question": "Wer betreibt das Rechenzentrum?"}\n',
        encoding="utf-8",
    )
    result = cli.invoke(app, ["ask", "--batch", str(batch)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert all("answer" in line and "sources" in line for line in lines)


def test_question_and_batch_exclude_each_other(cli: CliRunner, tmp_path: Path) -> None:
    batch = tmp_path / "fragen.jsonl"
    batch.write_text('{"id": "a", "question": "Was ist openDesk?"}\n', encoding="utf-8")
    for args in (["ask"], ["ask", "Was ist openDesk?", "--batch", str(batch)], ["search"]):
        result = cli.invoke(app, args)
        assert result.exit_code == EXIT_USAGE, (args, result.output)
        assert "oder --batch angeben" in result.output


def test_a_bad_batch_line_names_file_and_line(cli: CliRunner, tmp_path: Path) -> None:
    batch = tmp_path / "fragen.jsonl"
    batch.write_text('{"id": "a", "question": "Was ist openDesk?"}\n{"id": "b"}\n', encoding="utf-8")
    result = cli.invoke(app, ["search", "--batch", str(batch), "--json"])
    assert result.exit_code == EXIT_CONFIG, result.output
    error = json.loads(result.stdout)["error"]
    assert "Zeile 2" in error["message"]
    assert "fragen.jsonl" in error["message"]


def test_an_unknown_filter_value_names_the_option_and_what_it_allows(cli: CliRunner) -> None:
    result = cli.invoke(app, ["search", "Glasfaser", "--doc-type", "foo", "--handlungsfeld", "xyz", "--json"])
    assert result.exit_code == EXIT_CONFIG, result.output
    message = json.loads(result.stdout)["error"]["message"]
    assert "--doc-type: Unbekannter Dokumenttyp 'foo'. Erlaubt: guidance" in message
    assert "--handlungsfeld: Unbekanntes Handlungsfeld 'xyz'" in message
    assert "pydantic" not in message
