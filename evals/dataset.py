"""Loading and validating evaluation datasets (JSONL, one JSON object per line).

Two kinds of line, documented in ``evals/datasets/README.md``:

* questions: ``{"id", "question", "type", "handlungsfeld", "tags", "paraphrased",
  "expected": [{"doc_id", "evidence"}], "answer_points", "unanswerable"}``
* drafting requests: ``{"id", "type": "draft", "section", "profile", "request",
  "must_cover": [{"point", "doc_id", "evidence"}]}``

Every problem is reported as ``file:line: field: what is wrong`` and all problems of a file
are collected before raising, so one run shows the whole list.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from assistant.handlungsfelder import resolve_handlungsfeld

QuestionType = Literal[
    "factual", "paraphrase", "list", "multi_doc", "unanswerable", "draft", "followup", "topic_change"
]
QUESTION_TYPES: tuple[str, ...] = ("factual", "paraphrase", "list", "multi_doc", "unanswerable", "draft")
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class DatasetError(ValueError):
    """A dataset file has invalid lines; ``problems`` lists each as ``file:line: field: message``."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        shown = "\n".join(f"  {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{path}: {len(problems)} invalid line(s):\n{shown}{more}")


class ExpectedItem(BaseModel):
    """One piece of evidence a good retrieval must surface."""

    model_config = ConfigDict(extra="forbid")

    doc_id: NonEmpty
    evidence: NonEmpty


class MustCoverItem(ExpectedItem):
    """One point a draft must cover, with the evidence that supports it."""

    point: NonEmpty


class Question(BaseModel):
    """A question with its expected evidence."""

    model_config = ConfigDict(extra="forbid")

    id: NonEmpty
    question: NonEmpty
    type: QuestionType
    handlungsfeld: str | None = None
    tags: list[str] = Field(default_factory=list)
    paraphrased: bool = False
    expected: list[ExpectedItem] = Field(default_factory=list)
    answer_points: list[str] = Field(default_factory=list)
    unanswerable: bool = False
    history: list[NonEmpty] = Field(
        default_factory=list, description="Earlier questions of the conversation, oldest first."
    )

    @field_validator("handlungsfeld")
    @classmethod
    def _known_handlungsfeld(cls, value: str | None) -> str | None:
        return resolve_handlungsfeld(value) if value else None

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if self.unanswerable != (self.type == "unanswerable"):
            raise ValueError(
                f"unanswerable is {str(self.unanswerable).lower()} but type is {self.type!r}; "
                "set unanswerable true exactly for type 'unanswerable'"
            )
        if self.unanswerable and self.expected:
            raise ValueError("expected: an unanswerable question must not list expected evidence")
        if not self.unanswerable and not self.expected:
            raise ValueError("expected: an answerable question needs at least one expected item")
        if self.type in ("followup", "topic_change") and not self.history:
            raise ValueError(f"history: a {self.type!r} question needs the earlier question(s)")
        return self

    @property
    def group_handlungsfeld(self) -> str:
        """The Handlungsfeld used to group metrics ("none" when the question has none)."""
        return self.handlungsfeld or "none"


class DraftRequest(BaseModel):
    """A drafting request with the points the draft must cover."""

    model_config = ConfigDict(extra="forbid")

    id: NonEmpty
    type: Literal["draft"]
    section: NonEmpty
    profile: dict[str, Any] | str | None = None
    request: NonEmpty
    must_cover: list[MustCoverItem] = Field(min_length=1)
    handlungsfeld: str | None = None
    tags: list[str] = Field(default_factory=list)

    @field_validator("handlungsfeld")
    @classmethod
    def _known_handlungsfeld(cls, value: str | None) -> str | None:
        return resolve_handlungsfeld(value) if value else None


Item = TypeVar("Item", "Question", "DraftRequest")


def _where(loc: tuple[int | str, ...]) -> str:
    """A validation error's field path ("must_cover.0.points"), or "(line)" for the whole object."""
    return ".".join(str(part) for part in loc) or "(line)"


def _parse_lines(path: Path, model: type[Item]) -> list[Item]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise DatasetError(path, [f"{path}: file not found"]) from None
    except UnicodeDecodeError as exc:
        raise DatasetError(path, [f"{path}: not UTF-8 ({exc})"]) from None
    items: list[Item] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path}:{number}: (line): not valid JSON: {exc.msg} at column {exc.colno}")
            continue
        if not isinstance(data, dict):
            problems.append(f"{path}:{number}: (line): expected a JSON object, got {type(data).__name__}")
            continue
        try:
            item = model.model_validate(data)
        except ValidationError as exc:
            qid = data.get("id", "?")
            for error in exc.errors():
                message = error["msg"].removeprefix("Value error, ")
                problems.append(f"{path}:{number}: {_where(error['loc'])}: {message} (id {qid!r})")
            continue
        if item.id in seen:
            problems.append(f"{path}:{number}: id: duplicate id {item.id!r} (first on line {seen[item.id]})")
            continue
        seen[item.id] = number
        items.append(item)
    if problems:
        raise DatasetError(path, problems)
    return items


def load_questions(path: str | Path) -> list[Question]:
    """Questions from a JSONL file; raises :class:`DatasetError` listing every bad line."""
    return _parse_lines(Path(path), Question)


def load_draft_requests(path: str | Path) -> list[DraftRequest]:
    """Drafting requests from a JSONL file; raises :class:`DatasetError` listing every bad line."""
    return _parse_lines(Path(path), DraftRequest)


def check_doc_ids(questions: Iterable[Question | DraftRequest], known_doc_ids: set[str]) -> list[str]:
    """Problems for expected items whose ``doc_id`` is not in the index (typos, missing files)."""
    problems = []
    for q in questions:
        name, items = (
            ("must_cover", q.must_cover) if isinstance(q, DraftRequest) else ("expected", q.expected)
        )
        for i, item in enumerate(items):
            if item.doc_id not in known_doc_ids:
                problems.append(f"{q.id}: {name}[{i}].doc_id {item.doc_id!r} is not in the index")
    return problems
