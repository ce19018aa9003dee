"""Dataset validation names file, line and field."""

import json

import pytest

from evals.dataset import DatasetError, check_doc_ids, load_draft_requests, load_questions

GOOD = {
    "id": "q1",
    "question": "Wann ist der Glasfaserausbau fertig?",
    "type": "factual",
    "handlungsfeld": "verwaltung",
    "tags": [],
    "paraphrased": False,
    "expected": [{"doc_id": "a", "evidence": "bis 2027"}],
    "answer_points": ["2027"],
    "unanswerable": False,
}


def write(tmp_path, rows):
    path = tmp_path / "set.jsonl"
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
        encoding="utf-8",
    )
    return path


def test_good_lines_load_and_blank_lines_are_skipped(tmp_path):
    unanswerable = {
        **GOOD,
        "id": "q2",
        "type": "unanswerable",
        "unanswerable": True,
        "expected": [],
        "handlungsfeld": "Digitale Souveränität",
    }
    questions = load_questions(write(tmp_path, [GOOD, "", unanswerable]))
    assert [q.id for q in questions] == ["q1", "q2"]
    assert questions[1].handlungsfeld == "souveraenitaet"
    assert questions[1].group_handlungsfeld == "souveraenitaet"


def test_every_bad_line_is_named_with_its_field(tmp_path):
    rows = [
        GOOD,
        "{not json",
        {**GOOD, "id": "q3", "type": "faktisch"},
        {**GOOD, "id": "q4", "expected": [{"doc_id": "a"}]},
        {**GOOD, "id": "q5", "unanswerable": True},
        {**GOOD},  # duplicate id
        {**GOOD, "id": "q7", "handlungsfeld": "mobilitaet"},
    ]
    path = write(tmp_path, rows)
    with pytest.raises(DatasetError) as info:
        load_questions(path)
    problems = info.value.problems
    assert problems[0].startswith(f"{path}:2: (line): not valid JSON")
    assert any(p.startswith(f"{path}:3: type:") for p in problems)
    assert any(p.startswith(f"{path}:4: expected.0.evidence:") for p in problems)
    assert any(p.startswith(f"{path}:5: (line):") and "unanswerable is true" in p for p in problems)
    assert any(p.startswith(f"{path}:6: id: duplicate id 'q1'") for p in problems)
    assert any(
        p.startswith(f"{path}:7: handlungsfeld:") and "Unbekanntes Handlungsfeld" in p for p in problems
    )
    assert str(path) in str(info.value)


def test_draft_requests_need_must_cover(tmp_path):
    good = {
        "id": "d1",
        "type": "draft",
        "section": "Ausgangslage",
        "profile": {"name": "Lindwerder"},
        "request": "Schreibe die Ausgangslage.",
        "must_cover": [{"point": "Breitband", "doc_id": "a", "evidence": "bis 2027"}],
    }
    assert load_draft_requests(write(tmp_path, [good]))[0].must_cover[0].point == "Breitband"
    with pytest.raises(DatasetError, match=":1: must_cover:"):
        load_draft_requests(write(tmp_path, [{**good, "must_cover": []}]))


def test_unknown_doc_ids_are_reported(tmp_path):
    questions = load_questions(write(tmp_path, [GOOD]))
    assert check_doc_ids(questions, {"a"}) == []
    assert check_doc_ids(questions, {"b"}) == ["q1: expected[0].doc_id 'a' is not in the index"]
