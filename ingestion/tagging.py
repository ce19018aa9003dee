"""Automatic Handlungsfeld tagging of chunks from a German keyword lexicon.

The lexicon (``handlungsfelder_keywords.yaml`` beside this module) lists weighted terms per
Handlungsfeld. Words match on their German stem (PyStemmer) and, from five letters on, inside
compounds ("Breitbandausbau" hits "breitband"), since German glues its topics into one word
and the stemmer does not split compounds. A lexicon keeps the tagging explainable
(:func:`explain_tags`) and editable by the people who know the domain, with no model to ship.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.handlungsfelder import HANDLUNGSFELDER
from assistant.text.folding import fold_umlauts
from assistant.text.german import stem_words

__all__ = ["Lexicon", "explain_tags", "load_lexicon", "score_handlungsfelder", "tag_handlungsfelder"]

DEFAULT_LEXICON_PATH = Path(__file__).with_name("handlungsfelder_keywords.yaml")

WEIGHTS: dict[str, float] = {"strong": 2.0, "normal": 1.0, "weak": 0.5}
# A field is tagged when its score reaches this (one strong term, or two normal ones) …
MIN_SCORE = 2.0
# … and at least this share of the best field's score, so a long chunk about one field does
# not pick up every other field through incidental words.
MIN_SHARE_OF_BEST = 0.4
MAX_TAGS = 3
# Title and section path describe the whole document or section, not this chunk.
CONTEXT_WEIGHT = 0.5
# Weak terms together add at most this much per field: hints alone never tag a chunk.
WEAK_CAP = 1.0
# A repeated term adds this much per extra occurrence, for at most two extra occurrences.
REPEAT_BONUS = 0.5
MAX_REPEATS_COUNTED = 2
# Terms shorter than this match whole words only: short strings hide inside unrelated words.
MIN_SUBSTRING_LENGTH = 5

_WORD = re.compile(r"[^\W_]+")
_NEUTRAL = ""


@dataclass(frozen=True)
class _Term:
    label: str  # as written in the lexicon, without "="
    field: str  # a Handlungsfeld slug, or "" for neutral words
    weight: float
    folded: str  # lower-case, umlauts spelled out: what substring matching looks for


@dataclass
class Lexicon:
    """Weighted terms per Handlungsfeld, indexed for matching."""

    by_stem: dict[str, list[_Term]] = field(default_factory=lambda: defaultdict(list))
    substrings: list[_Term] = field(default_factory=list)
    phrases: dict[str, list[tuple[tuple[str, ...], _Term]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, raw: str, slug: str, weight: float) -> None:
        """Index one lexicon entry (see the YAML file's header for the syntax)."""
        whole_word = raw.startswith("=")
        label = raw.lstrip("=").strip().lower()
        words = _words(label)
        if not words:
            raise ValueError(f"Lexicon term {raw!r} for {slug or 'neutral'} contains no word.")
        term = _Term(label=label, field=slug, weight=weight, folded=fold_umlauts("".join(words)))
        stems = tuple(stem_words(words))
        if len(words) > 1:
            self.phrases[stems[0]].append((stems, term))
            return
        self.by_stem[stems[0]].append(term)
        if not whole_word and len(term.folded) >= MIN_SUBSTRING_LENGTH:
            self.substrings.append(term)


@dataclass
class _Hit:
    term: _Term
    position: int


def load_lexicon(path: Path = DEFAULT_LEXICON_PATH) -> Lexicon:
    """Read and validate a lexicon file; errors name the file and what to fix."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"Cannot read the Handlungsfeld lexicon {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise ValueError(f"{path}: expected a mapping with a 'fields' key.")
    lexicon = Lexicon()
    for slug, levels in data["fields"].items():
        if slug not in HANDLUNGSFELDER:
            allowed = ", ".join(HANDLUNGSFELDER)
            raise ValueError(f"{path}: unknown Handlungsfeld {slug!r}. Allowed: {allowed}")
        if not isinstance(levels, dict):
            raise ValueError(f"{path}: {slug} must map strong/normal/weak to lists of terms.")
        for level, terms in levels.items():
            if level not in WEIGHTS:
                raise ValueError(f"{path}: {slug}.{level} is not one of {', '.join(WEIGHTS)}.")
            for raw in _term_list(terms, f"{path}: {slug}.{level}"):
                lexicon.add(raw, slug, WEIGHTS[level])
    for raw in _term_list(data.get("neutral") or [], f"{path}: neutral"):
        lexicon.add(raw, _NEUTRAL, 0.0)
    return lexicon


def score_handlungsfelder(text: str, *, context: str = "") -> dict[str, float]:
    """Score every Handlungsfeld with at least one hit; ``context`` counts at a lower weight."""
    scores: dict[str, float] = defaultdict(float)
    weak: dict[str, float] = defaultdict(float)
    for source, factor in ((text, 1.0), (context, CONTEXT_WEIGHT)):
        for term, count in _term_counts(source).items():
            repeats = min(count - 1, MAX_REPEATS_COUNTED)
            points = factor * term.weight * (1 + REPEAT_BONUS * repeats)
            if term.weight < WEIGHTS["normal"]:
                weak[term.field] += points
            else:
                scores[term.field] += points
    for slug, points in weak.items():
        scores[slug] += min(points, WEAK_CAP)
    return dict(scores)


def tag_handlungsfelder(text: str, *, context: str = "") -> list[str]:
    """Handlungsfeld slugs for a chunk, best first: at most three, possibly none.

    ``context`` is the document title and section path; it helps but cannot carry a tag alone
    unless it is strongly on one topic.
    """
    scores = score_handlungsfelder(text, context=context)
    if not scores:
        return []
    best = max(scores.values())
    order = list(HANDLUNGSFELDER)
    ranked = sorted(scores.items(), key=lambda item: (-item[1], order.index(item[0])))
    return [slug for slug, score in ranked if score >= MIN_SCORE and score >= MIN_SHARE_OF_BEST * best][
        :MAX_TAGS
    ]


def explain_tags(text: str, *, context: str = "") -> dict[str, list[str]]:
    """Which lexicon terms fired, per Handlungsfeld, in order of first occurrence."""
    fired: dict[str, list[str]] = {}
    for source in (text, context):
        for term in _term_counts(source):
            labels = fired.setdefault(term.field, [])
            if term.label not in labels:
                labels.append(term.label)
    order = list(HANDLUNGSFELDER)
    return {slug: fired[slug] for slug in sorted(fired, key=order.index)}


@functools.cache
def _default_lexicon() -> Lexicon:
    return load_lexicon()


def _term_counts(text: str) -> dict[_Term, int]:
    """Count the lexicon terms in ``text`` (neutral words absorb their hits and are dropped)."""
    if not text.strip():
        return {}
    lexicon = _default_lexicon()
    words = _words(text)
    stems = stem_words(words)
    hits: list[_Hit] = []
    consumed: set[int] = set()
    # Phrases first: "digitale Verwaltung" is one signal, not "digital" plus "Verwaltung".
    for position, stem in enumerate(stems):
        for phrase, term in lexicon.phrases.get(stem, ()):
            end = position + len(phrase)
            if tuple(stems[position:end]) == phrase and not consumed.intersection(range(position, end)):
                hits.append(_Hit(term, position))
                consumed.update(range(position, end))
    for position, (word, stem) in enumerate(zip(words, stems, strict=True)):
        if position not in consumed:
            hits.extend(_Hit(term, position) for term in _word_terms(word, stem))
    counts: dict[_Term, int] = {}
    for hit in sorted(hits, key=lambda hit: hit.position):
        if hit.term.field != _NEUTRAL:
            counts[hit.term] = counts.get(hit.term, 0) + 1
    return counts


@functools.lru_cache(maxsize=200_000)
def _word_terms(word: str, stem: str) -> tuple[_Term, ...]:
    """The terms one word hits: the longest matching terms only ("bürgeramt" beats "bürger").

    Cached per word: vocabulary repeats across chunks, and the substring scan is the slow part.
    """
    lexicon = _default_lexicon()
    folded = fold_umlauts(word)
    candidates = list(lexicon.by_stem.get(stem, ()))
    candidates.extend(term for term in lexicon.substrings if term.folded in folded)
    if not candidates:
        return ()
    longest = max(len(term.folded) for term in candidates)
    best = [term for term in candidates if len(term.folded) == longest]
    # One hit per field per word, and a neutral word means no field at all.
    if any(term.field == _NEUTRAL for term in best):
        return ()
    by_field: dict[str, _Term] = {}
    for term in best:
        by_field.setdefault(term.field, term)
    return tuple(by_field.values())


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _term_list(value: object, where: str) -> Iterable[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{where} must be a list of strings.")
    return value
