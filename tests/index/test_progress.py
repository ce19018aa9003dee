"""Progress callbacks of the long operations (rebuild, repair, backup, restore, eval) count up to
their total; the CLI draws a bar on a terminal and none with --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embeddings.fake import HashingEmbedder
from assistant.index import Index
from assistant.index.backup import backup_index, restore_index
from assistant.index.maintenance import rebuild_index, repair_index
from assistant.progress import Steps
from evals.runner import judge_configuration
from tests.api.conftest import copy_corpus_index
from tests.evals.test_runner_report import QUESTIONS, FixedConfiguration
from tests.index.test_backup import fill


class Recorder:
    """A progress callback that keeps every call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, label: str, done: int, total: int) -> None:
        self.calls.append((label, done, total))

    def check_counts_up(self) -> None:
        """Counts never decrease, stay within the total, and end at the total."""
        assert self.calls, "the callback was never called"
        done = [d for _, d, _ in self.calls]
        assert done == sorted(done), self.calls
        assert all(0 <= d <= t for _, d, t in self.calls), self.calls
        assert self.calls[-1][1] == self.calls[-1][2], self.calls

    @property
    def labels(self) -> list[str]:
        return [label for label, _, _ in self.calls]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    settings = Settings(data_dir=tmp_path / "data", lock_timeout_s=0.5)
    fill(settings)
    return settings


def test_rebuild_counts_each_chunk_then_the_closing_steps(settings: Settings) -> None:
    recorder = Recorder()
    with Index(settings, HashingEmbedder(), write=True, discard_vectors=True) as index:
        chunks = len(index.manifest.visible_ids())
        report = rebuild_index(index, recorder)
    recorder.check_counts_up()
    assert report.vectors_written == chunks == 6
    assert {total for _, _, total in recorder.calls} == {chunks + 4}
    assert ("Vektoren schreiben", chunks, chunks + 4) in recorder.calls
    assert recorder.labels[-1] == "Prüfung"


def test_repair_reports_its_five_steps(settings: Settings) -> None:
    recorder = Recorder()
    with Index(settings, HashingEmbedder(), write=True) as index:
        repair_index(index, recorder)
    recorder.check_counts_up()
    assert list(dict.fromkeys(recorder.labels)) == [
        "Abgleich mit dem Manifest",
        "Stichwortindex",
        "Latente Terme",
        "Satzvektoren",
        "Prüfung",
    ]
    assert recorder.calls[-1] == ("Prüfung", 5, 5)


def test_backup_and_restore_count_their_steps(settings: Settings, tmp_path: Path) -> None:
    backed_up, restored = Recorder(), Recorder()
    backup_index(settings, HashingEmbedder(), tmp_path / "sicherung", backed_up)
    restore_index(settings, HashingEmbedder(), tmp_path / "sicherung", restored)
    for recorder in (backed_up, restored):
        recorder.check_counts_up()
    assert backed_up.calls[-1][2] == 7 and "Chroma-Dateien kopieren" in backed_up.labels
    assert restored.calls[-1] == ("Prüfung", 3, 3)


def test_nested_operations_keep_the_outer_count() -> None:
    recorder = Recorder()
    steps = Steps(recorder, 2)
    steps.start("Kopie prüfen")
    inner = steps.nested()
    assert inner is not None
    inner("Vektoren schreiben", 40, 50)  # the inner count does not move the outer one
    steps.advance()
    steps.finish()
    assert recorder.calls == [
        ("Kopie prüfen", 0, 2),
        ("Kopie prüfen: Vektoren schreiben", 0, 2),
        ("Kopie prüfen: Vektoren schreiben", 1, 2),
        ("Kopie prüfen: Vektoren schreiben", 2, 2),
    ]
    assert Steps(None, 3).nested() is None


def test_eval_counts_one_step_per_question() -> None:
    recorder = Recorder()
    steps = Steps(recorder, len(QUESTIONS))
    steps.start("hybrid")
    judge_configuration(FixedConfiguration("hybrid", ["a", "b", "c"]), QUESTIONS, steps=steps)
    recorder.check_counts_up()
    assert [done for _, done, _ in recorder.calls] == list(range(len(QUESTIONS) + 1))


def run_cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    # rich takes stderr for a terminal (https://force-color.org/ and rich's TTY_* variables).
    env.update(
        ASSISTANT_DATA_DIR=str(settings.data_dir),
        ASSISTANT_INDEX_NAME=settings.index_name,
        TTY_COMPATIBLE="1",
        TTY_INTERACTIVE="1",
    )
    command = [sys.executable, "-m", "kommunal", *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)


def test_rebuild_draws_a_bar_on_a_terminal_and_none_with_json(
    corpus_index_template: Path, tmp_path: Path
) -> None:
    corpus = Settings(data_dir=copy_corpus_index(corpus_index_template, tmp_path), index_name="corpus")
    shown = run_cli(corpus, "rebuild")
    assert shown.returncode == 0, shown.stderr
    assert "Neuaufbau: Prüfung" in shown.stderr, shown.stderr  # the last frame, drawn on stop
    quiet = run_cli(corpus, "rebuild", "--json")
    assert quiet.returncode == 0, quiet.stderr
    assert json.loads(quiet.stdout)["ok"] is True
    assert "Neuaufbau" not in quiet.stderr and "\x1b[" not in quiet.stderr, quiet.stderr
