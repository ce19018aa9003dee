"""Drafts as server-sent events: progress per part of the outline, then the same draft as JSON."""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any

import pytest
from fastapi.testclient import TestClient

from assistant.drafting.progress import DraftProgress
from kommunal.api.routes.drafts_stream import DraftCancelledError, progress_then_draft
from tests.api.conftest import AppFactory, Keys
from tests.api.test_ask_search import parse_sse
from tests.fakes import unused_port

REQUEST = {"section": "verwaltung", "profile": {"kind": "Stadt", "inhabitants": 30000}, "length": 1}
MEMO = (
    "Kurzes Memo an den Bürgermeister (halbe Seite): Sollen wir Smart City top-down oder bottom-up angehen?"
)
# What differs between two runs of the same request.
VOLATILE = ("draft_id", "timings")


def stream(client: TestClient, path: str, body: dict[str, Any], token: str) -> list[tuple[str, Any]]:
    with client.stream("POST", path, json=body, headers=Keys.header(token)) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(response.read().decode())
    return [(name, json.loads(data)) for name, data in events]


def assert_progress_per_part(events: list[tuple[str, Any]], titles: list[str]) -> None:
    """Per phase, every part of the outline starts and finishes once, in order."""
    steps = [data for name, data in events if name.startswith("part_")]
    assert all(name == f"part_{data['status']}" for name, data in events if name.startswith("part_"))
    total = len(titles)
    for phase in ("evidence", "writing"):
        of_phase = [s for s in steps if s["phase"] == phase]
        assert [(s["index"], s["status"]) for s in of_phase] == [
            (i, status) for i in range(1, total + 1) for status in ("started", "finished")
        ]
        assert {s["total"] for s in of_phase} == {total}
        assert [s["title"] for s in of_phase if s["status"] == "finished"] == titles
    # Evidence of all parts first (each part's length budget depends on which parts have any).
    assert [s["phase"] for s in steps] == ["evidence"] * 2 * total + ["writing"] * 2 * total
    written = [s for s in steps if s["phase"] == "writing" and s["status"] == "finished"]
    counts = [s["sources"] for s in written]
    assert counts == sorted(counts) and counts[-1] > 0
    first = written[0]
    assert first["message"] == f"Teil 1 von {total}: {first['title']} (wird geschrieben)"


def test_stream_reports_each_part_then_the_same_draft(client: TestClient, keys: Keys) -> None:
    events = stream(client, "/api/v1/drafts/stream", REQUEST, keys.admin)
    names = [name for name, _ in events]
    assert names[-1] == "done" and names.count("done") == 1 and "error" not in names
    final = events[-1][1]
    assert_progress_per_part(events[:-1], [p["title"] for p in final["parts"]])

    plain = client.post("/api/v1/drafts", json=REQUEST, headers=Keys.header(keys.admin))
    assert plain.status_code == 200
    expected = {k: v for k, v in plain.json().items() if k not in VOLATILE}
    assert {k: v for k, v in final.items() if k not in VOLATILE} == expected
    # The streamed draft is kept like any other: its DOCX downloads.
    docx = client.get(f"/api/v1/drafts/{final['draft_id']}/docx", headers=Keys.header(keys.admin))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_free_text_stream_drafts_a_memo_in_its_outline(client: TestClient, keys: Keys) -> None:
    events = stream(client, "/api/v1/drafts/from-text/stream", {"text": MEMO}, keys.reader)
    name, final = events[-1]
    assert name == "done"
    assert final["request"]["type"] == "memo"
    titles = [p["title"] for p in final["parts"]]
    assert titles[:2] == ["Anlass", "Optionen"]
    assert_progress_per_part(events[:-1], titles)


def test_bad_requests_fail_before_the_stream_starts(client: TestClient, keys: Keys) -> None:
    vague = client.post(
        "/api/v1/drafts/from-text/stream", json={"text": "Hallo"}, headers=Keys.header(keys.admin)
    )
    assert vague.status_code == 400
    assert vague.headers["content-type"].startswith("application/problem+json")
    assert "Abschnitt" in vague.json()["detail"]
    too_long = client.post(
        "/api/v1/drafts/stream", json={**REQUEST, "length": 9}, headers=Keys.header(keys.admin)
    )
    assert too_long.status_code == 422
    assert too_long.json()["errors"][0]["field"] == "length"
    anonymous = client.post("/api/v1/drafts/stream", json=REQUEST)
    assert anonymous.status_code == 401


def test_failure_while_writing_is_an_error_event(make_client: AppFactory) -> None:
    dead = f"http://127.0.0.1:{unused_port()}/v1"
    client, keys = make_client(llm_base_url=dead, llm_model="test-model", llm_fallback_extractive=False)
    events = stream(client, "/api/v1/drafts/stream", REQUEST, keys.admin)
    name, problem = events[-1]
    assert name == "error"
    assert problem["status"] == 503 and "nicht erreichbar" in problem["detail"]
    # The evidence was gathered; the first part's writing started and failed.
    steps = [data for name, data in events[:-1]]
    assert steps[-1]["phase"] == "writing" and steps[-1]["status"] == "started" and steps[-1]["index"] == 1
    assert steps[-1]["mode"] == "llm"


def _step(index: int) -> DraftProgress:
    return DraftProgress(
        phase="writing", status="started", index=index, total=99, key="k", title="T", mode="llm", sources=0
    )


def test_closing_the_stream_ends_the_draft_at_the_next_part() -> None:
    ended = threading.Event()
    raised: list[BaseException] = []
    release = threading.Event()

    def run(hook: Any) -> Any:
        try:
            for index in itertools.count(1):
                hook(_step(index))
                release.wait(5)
        except BaseException as exc:
            raised.append(exc)
            raise
        finally:
            ended.set()

    steps = progress_then_draft(run)
    assert next(steps).index == 1
    steps.close()
    release.set()
    assert ended.wait(10)
    assert len(raised) == 1 and isinstance(raised[0], DraftCancelledError)


def test_a_failing_draft_raises_where_the_stream_is_read() -> None:
    def run(hook: Any) -> Any:
        hook(_step(1))
        raise ValueError("kaputt")

    steps = progress_then_draft(run)
    assert next(steps).index == 1
    with pytest.raises(ValueError, match="kaputt"):
        next(steps)
