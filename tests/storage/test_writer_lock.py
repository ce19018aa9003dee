"""Writers against a Chroma server queue on a PostgreSQL advisory lock when the state is shared there."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from assistant.config import Settings
from assistant.errors import IndexLockedError
from assistant.index.lock import DatabaseLock, IndexLock, open_index_lock

HOLD = """
import sys, time
from assistant.index.lock import DatabaseLock
lock = DatabaseLock(sys.argv[1], "default", timeout_s=5, purpose="ingest")
print("locked", flush=True)
time.sleep(600)
"""


def test_a_second_writer_is_refused_with_the_holder_named_and_then_queues(postgres_url):
    first = DatabaseLock(postgres_url, "default", purpose="ingest")
    started = time.monotonic()
    with pytest.raises(IndexLockedError, match=r"PID \d+ ingest"):
        DatabaseLock(postgres_url, "default", timeout_s=0.5, purpose="rebuild")
    assert time.monotonic() - started < 5
    other_index = DatabaseLock(postgres_url, "zweiter", timeout_s=0.5)  # indexes lock separately
    other_index.release()
    first.release()
    DatabaseLock(postgres_url, "default", timeout_s=0.5).release()


def test_a_killed_writer_releases_the_lock_at_once(postgres_url):
    holder = subprocess.Popen([sys.executable, "-c", HOLD, postgres_url], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(IndexLockedError):
            DatabaseLock(postgres_url, "default", timeout_s=0.3)
        holder.kill()  # SIGKILL: no cleanup runs in the writer
        holder.wait(10)
        lock = DatabaseLock(postgres_url, "default", timeout_s=10)
        lock.release()
    finally:
        holder.kill()


def test_which_lock_an_index_open_takes(tmp_path, postgres_url):
    embedded = open_index_lock(Settings(data_dir=tmp_path, database_url=postgres_url), write=False)
    assert isinstance(embedded, IndexLock)  # embedded Chroma is one process's, whatever the database
    embedded.release()
    server = Settings(data_dir=tmp_path, chroma_url="http://127.0.0.1:9", database_url=postgres_url)
    assert open_index_lock(server, write=False) is None
    writer = open_index_lock(server, write=True)
    assert isinstance(writer, DatabaseLock)
    writer.release()
    files = open_index_lock(Settings(data_dir=tmp_path, chroma_url="http://127.0.0.1:9"), write=True)
    assert isinstance(files, IndexLock) and files.path.name == "write.lock"
    files.release()
