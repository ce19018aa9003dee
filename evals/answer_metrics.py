"""Answer-level metrics over plain dicts: abstention, citation validity, draft coverage.

They take the JSON shapes ``ask`` and ``draft`` return, so they work on saved outputs too:

    {"answer": "Text mit Belegen [1].", "abstained": false,
     "citations": [{"n": 1, "chunk_id": ..., "doc_id": ..., "text": ...}],
     "sources": [{"n": 1, "doc_id": ..., "source": ..., "title": ..., "text": ...}]}

Only ``n``, ``doc_id`` and ``text`` are read from citations and sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from assistant.text.citation_markers import CITATION_MARKER
from evals.relevance import DEFAULT_MIN_OVERLAP, EvidenceMatcher, content_tokens, normalise_text

MARKER = CITATION_MARKER
DEFAULT_CITATION_OVERLAP = 0.5


@dataclass(frozen=True)
class AbstentionScores:
    """How well the assistant says "I don't know" exactly when it should.

    precision: of the abstentions, the share on unanswerable questions;
    recall: of the unanswerable questions, the share it abstained on.
    Both are 0.0 (not undefined) when their denominator is 0; the counts say why.
    """

    precision: float
    recall: float
    f1: float
    true_abstentions: int
    false_abstentions: int
    missed_abstentions: int
    answered: int

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


def abstention_scores(pairs: Iterable[tuple[bool, bool]]) -> AbstentionScores:
    """Scores from ``(question_is_unanswerable, answer_abstained)`` pairs."""
    tp = fp = fn = tn = 0
    for unanswerable, abstained in pairs:
        if abstained and unanswerable:
            tp += 1
        elif abstained:
            fp += 1
        elif unanswerable:
            fn += 1
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return AbstentionScores(precision, recall, f1, tp, fp, fn, tn)


def split_sentences(text: str) -> list[str]:
    """German sentence segmentation (sentencex); markers stay with their sentence."""
    from sentencex import segment

    return [s.strip() for s in segment("de", text) if s.strip()]


@dataclass(frozen=True)
class CitationCheck:
    """One ``[n]`` marker in one sentence and whether it holds."""

    sentence: str
    n: int
    exists: bool
    overlap: float
    valid: bool


@dataclass(frozen=True)
class CitationValidity:
    """Share of citation markers that point to a listed source whose text backs the sentence."""

    validity: float
    markers: int
    valid: int
    missing_sources: int
    sentences_with_markers: int
    checks: tuple[CitationCheck, ...]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["checks"] = [asdict(c) for c in self.checks]
        return data


def _texts_by_number(answer: Mapping[str, Any]) -> dict[int, str]:
    texts: dict[int, str] = {}
    for entry in list(answer.get("citations") or []) + list(answer.get("sources") or []):
        n, text = entry.get("n"), entry.get("text")
        if isinstance(n, int) and isinstance(text, str) and n not in texts:
            texts[n] = text
    return texts


def sentence_overlap(sentence: str, passage: str) -> float:
    """Share of the sentence's content tokens (markers removed) found in the passage."""
    tokens = content_tokens(normalise_text(MARKER.sub(" ", sentence)))
    if not tokens:
        return 1.0  # nothing checkable: a marker alone does not make a claim
    return len(tokens & content_tokens(normalise_text(passage))) / len(tokens)


def citation_validity(
    answer: Mapping[str, Any], min_overlap: float = DEFAULT_CITATION_OVERLAP
) -> CitationValidity:
    """Check every ``[n]`` in an extractive answer.

    A marker is valid when source ``n`` exists (in ``sources`` or ``citations``) and at least
    ``min_overlap`` of the content tokens of the sentence carrying it occur in that source's
    text. An answer without markers scores 1.0 with ``markers == 0``: abstentions cite nothing,
    so callers should look at ``markers`` before reading ``validity``.
    """
    texts = _texts_by_number(answer)
    checks: list[CitationCheck] = []
    sentences = 0
    for sentence in split_sentences(str(answer.get("answer") or "")):
        numbers = [int(n) for n in MARKER.findall(sentence)]
        if numbers:
            sentences += 1
        for n in numbers:
            exists = n in texts
            overlap = sentence_overlap(sentence, texts[n]) if exists else 0.0
            checks.append(
                CitationCheck(sentence, n, exists, round(overlap, 4), exists and overlap >= min_overlap)
            )
    valid = sum(c.valid for c in checks)
    return CitationValidity(
        validity=valid / len(checks) if checks else 1.0,
        markers=len(checks),
        valid=valid,
        missing_sources=sum(not c.exists for c in checks),
        sentences_with_markers=sentences,
        checks=tuple(checks),
    )


def cited_passages(result: Mapping[str, Any], text_field: str = "answer") -> list[Mapping[str, Any]]:
    """Citations and sources whose number the text actually cites (all citations if it has no markers)."""
    cited = {int(n) for n in MARKER.findall(str(result.get(text_field) or result.get("text") or ""))}
    entries = list(result.get("citations") or []) + list(result.get("sources") or [])
    if not cited:
        return list(result.get("citations") or [])
    return [e for e in entries if e.get("n") in cited]


@dataclass(frozen=True)
class DraftCoverage:
    """Share of must-cover points whose evidence appears in a cited source passage."""

    coverage: float
    covered: tuple[str, ...]
    missing: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def draft_coverage(
    must_cover: Sequence[Mapping[str, Any]],
    passages: Sequence[Mapping[str, Any]],
    min_overlap: float = DEFAULT_MIN_OVERLAP,
) -> DraftCoverage:
    """Which ``must_cover`` points (``{"point", "doc_id", "evidence"}``) the cited ``passages`` cover.

    ``passages`` are dicts with ``doc_id`` and ``text`` — use :func:`cited_passages` on a draft
    result to get only what the draft cites. Matching is :mod:`evals.relevance`'s rule.
    """
    covered: list[str] = []
    missing: list[str] = []
    for item in must_cover:
        matcher = EvidenceMatcher(str(item["doc_id"]), str(item["evidence"]), min_overlap)
        hit = any(matcher.covered_by(str(p.get("doc_id")), str(p.get("text") or "")) for p in passages)
        (covered if hit else missing).append(str(item.get("point") or item["evidence"]))
    total = len(covered) + len(missing)
    return DraftCoverage(
        coverage=len(covered) / total if total else 1.0, covered=tuple(covered), missing=tuple(missing)
    )
