"""The default draft writer: a Materialsammlung of cited key statements, ordered by the outline.

Needs no LLM. Each part quotes the best on-topic sentences of its evidence (see
:func:`assistant.drafting.base.choose_statements`), each with its [n]; measures carry the
priority, responsible actors and time frame their passage states ("offen" otherwise). The author
writes the final prose from it; the draft says so at the top.
"""

from __future__ import annotations

from assistant.drafting.base import DraftContext, Statement, WrittenPart, choose_statements
from assistant.drafting.gather import PartEvidence
from assistant.drafting.length import block_words
from assistant.drafting.measures import FIELDS, measure_fields, measure_title, unit_row
from assistant.drafting.models import DraftBlock, DraftPart
from assistant.drafting.structure import NO_EVIDENCE, PartSpec
from assistant.text.tables import describe_row, is_row_pairs, row_fields
from assistant.types import Citation

OPEN = "offen"
LABEL = (
    "Materialsammlung: wörtliche Kernaussagen aus den Quellen, nach der Gliederung geordnet. "
    "Bitte zu eigenem Text verarbeiten und die offenen Angaben ergänzen."
)


class ExtractiveDraftWriter:
    """Cited extracts per part, or the honest note that the documents say nothing about it."""

    mode = "extractive"

    def write(self, evidence: PartEvidence, index: int, context: DraftContext) -> WrittenPart:
        spec = evidence.spec

        def words(statement: Statement) -> int:
            return block_words(measure_block(statement, 0) if spec.measures else item_block(statement, 0))

        statements = [] if evidence.gap else choose_statements(evidence, index, context, cost=words)
        if not statements:
            return WrittenPart(gap_part(spec))
        return extract_part(spec, statements, context)


def extract_part(spec: PartSpec, statements: list[Statement], context: DraftContext) -> WrittenPart:
    """The chosen statements as cited list items (or measures), numbered for the whole draft."""
    blocks, citations = [], []
    for statement in statements:
        n = context.numbering.number(statement.passage.chunk)
        block = measure_block(statement, n) if spec.measures else item_block(statement, n)
        blocks.append(block)
        chunk = statement.passage.chunk
        citations.append(
            Citation(n=n, chunk_id=chunk.chunk_id, doc_id=chunk.doc_id, sentence=statement.sentence.text)
        )
    part = DraftPart(key=spec.key, title=spec.title, blocks=blocks, numbered=spec.numbered)
    return WrittenPart(part, citations)


def gap_block() -> DraftBlock:
    return DraftBlock(kind="note", text=NO_EVIDENCE)


def gap_part(spec: PartSpec) -> DraftPart:
    """A part the documents say nothing about: the honest note, never generic text."""
    return DraftPart(key=spec.key, title=spec.title, blocks=[gap_block()], gap=True, numbered=spec.numbered)


def item_block(statement: Statement, n: int) -> DraftBlock:
    """One quoted statement; a table row is written out with its column names."""
    text = statement.sentence.text
    row = row_fields(text, statement.passage.chunk.text)
    if row is not None and not is_row_pairs(text):
        text = describe_row(row)
    return DraftBlock(kind="item", text=f"{text} [{n}]")


def measure_block(statement: Statement, n: int) -> DraftBlock:
    """A measure with Priorität, Verantwortlich and Zeitrahmen as its passage states them."""
    text = statement.sentence.text
    passage_text = statement.passage.chunk.text
    row = unit_row(text, passage_text)
    title = measure_title(row) if row else None
    found = measure_fields(text, passage_text)
    fields = {name: found.get(name, OPEN) for name in FIELDS}
    return DraftBlock(kind="measure", text=f"{title or text} [{n}]", fields=fields)
