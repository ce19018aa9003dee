"""A part's role read next to its evidence: the recommendation or the first step a document gives
right after the passages that treat the topic.

A document that weighs two approaches recommends one in its next section („Langfristig empfehlen
wir Ihnen …“ under „Balancierte Herangehensweise …“); a case study names its first step in its
lessons. The part's queries rarely rank that chunk: it shares few words with the topic, and the
retriever keeps only a few passages per document. So for a part with a role (``role`` in
structure.yaml, :mod:`assistant.drafting.sentence_roles`), the chunks next to the part's on-topic
passages, in the same document, are read once more, and their sentences that fit the role become
one more query of the part. Only sentences that fit the role count: the neighbour is on topic by
its place in the document, not by its words.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.drafting.on_topic import names_several_fields
from assistant.drafting.part_evidence import GatherSettings, QueryEvidence
from assistant.drafting.sentence_roles import fits_role, refers_to_publication
from assistant.generation.evidence import Analyzer, QueryTerms, score_sentences
from assistant.text.tables import is_header_row
from assistant.types import Chunk, Passage

__all__ = ["ROLE_NEIGHBOURS", "role_neighbours"]

ROLE_NEIGHBOURS = "role_neighbour"
"""Key in ``Passage.scores`` of a chunk read for the part's role next to an on-topic passage."""


def role_neighbours(
    role: str | None,
    query: str,
    terms: QueryTerms,
    queries: list[QueryEvidence],
    analyzer: Analyzer,
    document_chunks: Callable[[str], list[Chunk]] | None,
    settings: GatherSettings,
) -> QueryEvidence | None:
    """The role-fitting sentences of the chunks next to the part's on-topic passages, or None.

    ``queries`` are the part's queries so far; a neighbour is a chunk of the same document within
    ``settings.role_neighbours`` positions of a passage with on-topic sentences. The documents
    are read in the order of their best such passage, at most ``settings.role_passages`` chunks;
    each neighbour scores as its anchor passage.
    """
    if role not in settings.role_reading or document_chunks is None or settings.role_passages <= 0:
        return None
    anchors: dict[str, list[Passage]] = {}
    for q in queries:
        for rank in sorted({s.passage_rank for s in q.sentences}):
            anchors.setdefault(q.passages[rank].chunk.doc_id, []).append(q.passages[rank])
    order = sorted(anchors, key=lambda doc: (-max(p.score for p in anchors[doc]), doc))
    found: dict[str, Passage] = {}
    for doc_id in order:
        for chunk in document_chunks(doc_id):
            near = [
                a
                for a in anchors[doc_id]
                if abs(a.chunk.position - chunk.position) <= settings.role_neighbours
            ]
            if not near or chunk.chunk_id in found:
                continue
            if any(fits_role(role, line) for line in chunk.text.splitlines()):
                score = max(a.score for a in near)
                found[chunk.chunk_id] = Passage(chunk=chunk, score=score, scores={ROLE_NEIGHBOURS: 1.0})
        if len(found) >= settings.role_passages:
            break
    passages = sorted(found.values(), key=lambda p: (-p.score, p.chunk.chunk_id))[: settings.role_passages]
    sentences = [
        s
        for s in score_sentences(terms, passages, analyzer)
        if fits_role(role, s.text)
        and not refers_to_publication(s.text)
        and not is_header_row(s.text, passages[s.passage_rank].chunk.text)
        and not names_several_fields(s.text)
    ]
    return QueryEvidence(query, query, passages, sentences) if sentences else None
