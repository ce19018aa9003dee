"""A thread's database connections end with the thread (PostgreSQL, where they are counted).

The API's worker threads come and go (anyio retires one after 10 s idle); before this, every new
thread opened connections that stayed open for the life of the process, and one replica under
50 clients used up PostgreSQL's 200 connections after its second burst of load
(``bench/api_load.py --database postgres``). SQLite shares the code, but its file descriptors
are no measure: SQLite's unix VFS defers closing a descriptor while another connection of the
process holds a lock on the file.
"""

from __future__ import annotations

import threading
import time

from assistant.config import Settings
from assistant.storage import open_database

PURPOSE = "connection test"


def open_connections(database_url: str) -> int:
    """Connections the server reports for this test's application name."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as db:
        query = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
        row = db.execute(query, (f"kommunal-assistant {PURPOSE}",)).fetchone()
    return int(row[0]) if row else 0


def wait_for_count(expected: int, database_url: str) -> int:
    """The count once it reached ``expected`` (a server backend exits a moment after the close)."""
    deadline = time.monotonic() + 10
    while (count := open_connections(database_url)) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return count


def test_connections_of_finished_threads_are_closed(tmp_path, postgres_url):
    settings = Settings(data_dir=tmp_path, database_url=postgres_url)
    db = open_database(settings, tmp_path / "unused.sqlite3", purpose=PURPOSE)
    with db.transaction() as tx:
        tx.execute("CREATE TABLE IF NOT EXISTS items (name TEXT PRIMARY KEY)")
    held = threading.Event()
    release = threading.Event()

    def work(name: str, hold: bool = False) -> None:
        with db.transaction() as tx:
            tx.execute("INSERT INTO items (name) VALUES (?)", (name,))
        with db.snapshot():  # the second, snapshot connection of this thread
            assert db.execute("SELECT count(*) FROM items").fetchone()
        if hold:
            held.set()
            release.wait(30)

    # A living thread keeps its two connections (and the main thread its one from the CREATE).
    keeper = threading.Thread(target=work, args=("keeper", True))
    keeper.start()
    assert held.wait(30)
    assert wait_for_count(3, postgres_url) == 3

    for n in range(12):
        thread = threading.Thread(target=work, args=(f"item-{n}",))
        thread.start()
        thread.join()
    release.set()
    keeper.join()
    assert wait_for_count(1, postgres_url) == 1
    assert db.execute("SELECT count(*) FROM items").fetchone() == (13,)
    db.close()
    assert wait_for_count(0, postgres_url) == 0
