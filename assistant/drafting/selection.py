"""Choosing a part's statements from all of its queries at once: rank fusion, then MMR.

A part is searched with many queries (its aspects, the author's sub-topics, case studies). Taking
the best sentence of each query in turn lets only the first few queries speak when a part has
more queries than statements, and lets one long document fill a part. Instead, the sentences of
all queries are pooled: a sentence's relevance is the reciprocal-rank fusion of its ranks in the
queries that found it (each query's best sentence counts the same, whatever the query's score
scale). The statements are then chosen one by one by maximal marginal relevance: relevance minus
penalties for what the draft already has: the same passage, the same document (in this part and,
less, in earlier parts), and a sub-topic (query) that an earlier pick already serves.

Written by hand: the candidates are a few dozen sentences and the redundancy is structural
(passage, document, query), not an embedding similarity that a library MMR would expect.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assistant.checks import check_bounds
from assistant.generation.evidence import ScoredSentence
from assistant.types import Passage

_NEAR_DUPLICATE = 0.7
"""Token Jaccard above which two sentences say the same (as in the extractive answerer)."""


@dataclass(frozen=True)
class Candidate:
    """A sentence one or more of a part's queries found, with its fused relevance (1.0: a query's best)."""

    sentence: ScoredSentence
    passage: Passage
    queries: frozenset[int]
    relevance: float

    @property
    def chunk_id(self) -> str:
        return self.passage.chunk.chunk_id

    @property
    def doc_id(self) -> str:
        return self.passage.chunk.doc_id


@dataclass(frozen=True)
class SelectionWeights:
    """Fusion and the penalties of maximal marginal relevance (in units of a query's best sentence)."""

    rrf_k: int = 3
    """Rank offset of the fusion: small, because a query yields only a dozen on-topic sentences."""
    agreement: float = 0.2
    """At most this much is added to a sentence's best reciprocal rank when further queries find it."""
    same_passage: float = 1.0
    """A passage already cited (in this part or an earlier one): quote another unless the cited one
    is clearly better; a draft is a multi-source summary, so breadth of sources counts."""
    same_document: float = 0.3
    """Per statement this part already takes from the same document."""
    earlier_document: float = 0.1
    """A document an earlier part already cites."""
    served_queries: float = 0.25
    """A sentence whose queries an earlier pick of this part already serves (no new sub-topic)."""
    preferred: float = 1.0
    """Bonus for a statement of the kind the part asks for (measures in Maßnahmen)."""
    role: float = 0.0
    """Bonus for a sentence that fits the part's role (recommends in „Empfehlung“, names a step
    in „Nächste Schritte“): a preference among on-topic sentences, not a filter. Off: 0.3 gave
    the tuning set one point (69/84) and cost the held-out set one (49/66); the role still
    chooses each part's opening sentence and what is read next to its evidence."""
    per_word: float = 0.01
    """Per word a statement takes in the draft: within a length limit, a short statement leaves
    room for another source."""

    def __post_init__(self) -> None:
        check_bounds("rrf_k", self.rrf_k, ge=0)


def pool_candidates(
    query_sentences: Sequence[tuple[Sequence[ScoredSentence], Sequence[Passage]]],
    *,
    rrf_k: int = SelectionWeights.rrf_k,
    agreement: float = SelectionWeights.agreement,
) -> list[Candidate]:
    """One candidate per distinct sentence of all queries, by reciprocal-rank fusion, best first.

    ``query_sentences`` holds per query its on-topic sentences (best first) and the passages
    their ``passage_rank`` indexes. The same sentence found by several queries (same passage,
    same position) is one candidate.
    """
    ranks: dict[tuple[str, int], list[float]] = {}
    best: dict[tuple[str, int], tuple[ScoredSentence, Passage]] = {}
    found_by: dict[tuple[str, int], set[int]] = {}
    for qi, (sentences, passages) in enumerate(query_sentences):
        for rank, sentence in enumerate(sentences):
            passage = passages[sentence.passage_rank]
            key = (passage.chunk.chunk_id, sentence.position)
            ranks.setdefault(key, []).append(1.0 / (rrf_k + rank + 1))
            found_by.setdefault(key, set()).add(qi)
            if key not in best or sentence.score > best[key][0].score:
                best[key] = (sentence, passage)
    # The best reciprocal rank, plus at most ``agreement`` for the further queries that found the
    # sentence: a plain sum would let generic sentences that every query finds crowd out each
    # sub-topic's best sentence. 1.0 is a query's best sentence.
    first = 1.0 / (rrf_k + 1)
    candidates = []
    for key, rr in ranks.items():
        sentence, passage = best[key]
        others = min(1.0, (sum(rr) - max(rr)) / first)
        relevance = max(rr) / first + agreement * others
        candidates.append(Candidate(sentence, passage, frozenset(found_by[key]), relevance))
    return sorted(
        candidates, key=lambda c: (-c.relevance, -c.sentence.score, c.chunk_id, c.sentence.position)
    )


def select_diverse(
    candidates: Sequence[Candidate],
    budget: int,
    *,
    taken: Sequence[ScoredSentence] = (),
    cited_passages: set[str] | None = None,
    cited_documents: set[str] | None = None,
    preferred: Callable[[Candidate], bool] | None = None,
    fits: Callable[[Candidate], bool] | None = None,
    weights: SelectionWeights | None = None,
    cost: Callable[[Candidate], int] | None = None,
    max_cost: int | None = None,
    lead: Candidate | None = None,
) -> list[Candidate]:
    """Up to ``budget`` candidates by maximal marginal relevance, in the order chosen.

    ``taken`` are sentences quoted elsewhere in the draft (never repeated, nor near-duplicates);
    ``cited_passages`` / ``cited_documents`` what earlier parts cite; ``preferred`` marks the
    statements the part asks for, ``fits`` those that fit its role (a smaller bonus). A sentence
    is never chosen twice. With ``cost`` (words of a candidate) and ``max_cost`` (the part's
    words), candidates are chosen while they fit: the first may take up to one and a half times
    the words, later ones only what is left (plus 10 %). ``lead`` is taken first when it fits:
    the part's opening statement on its subject.
    """
    check_bounds("budget", budget, ge=0)
    if max_cost is not None and cost is None:
        raise ValueError("max_cost needs cost: pass the function that counts a candidate's words.")
    w = weights or SelectionWeights()
    used = 0
    passages = set(cited_passages or ())
    earlier_documents = set(cited_documents or ())
    part_documents: Counter[str] = Counter()
    served: set[int] = set()
    quoted = [s.tokens for s in taken]
    chosen: list[Candidate] = []
    remaining = list(candidates)
    while remaining and len(chosen) < budget:
        remaining = [c for c in remaining if not any(_similar(c.sentence.tokens, t) for t in quoted)]
        fitting = remaining
        if max_cost is not None and cost is not None:
            room = max(max_cost * 1.5, 25) if not chosen else (max_cost - used) * 1.1
            fitting = [c for c in remaining if cost(c) <= room]
            if not fitting and not chosen:
                fitting = sorted(remaining, key=cost)[:1]
        if not fitting:
            break
        if not chosen and lead is not None and lead in fitting:
            pick = lead
        else:
            values = [
                c.relevance
                - w.same_passage * (c.chunk_id in passages)
                - w.same_document * part_documents[c.doc_id]
                - w.earlier_document * (c.doc_id in earlier_documents)
                - w.served_queries * (bool(chosen) and c.queries <= served)
                + w.preferred * (preferred is not None and preferred(c))
                + w.role * (fits is not None and fits(c))
                - w.per_word * (cost(c) if cost is not None else 0)
                for c in fitting
            ]
            pick = fitting[values.index(max(values))]  # the first maximum: the fused order breaks ties
        chosen.append(pick)
        remaining.remove(pick)
        quoted.append(pick.sentence.tokens)
        passages.add(pick.chunk_id)
        part_documents[pick.doc_id] += 1
        served |= pick.queries
        if cost is not None:
            used += cost(pick)
        if max_cost is not None and used >= max_cost:
            break
    return chosen


def _similar(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    return len(a & b) / len(a | b) > _NEAR_DUPLICATE
