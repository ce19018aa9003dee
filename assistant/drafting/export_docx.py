"""A draft as a Word document (python-docx): real heading styles, citations as Word footnotes,
the source list, the coverage report as the final table, and the document properties."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.drafting import export_content as content
from assistant.types import Source

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

    from assistant.drafting.docx_footnotes import DocxFootnotes
    from assistant.drafting.models import Draft


def render_docx(draft: Draft, *, created: datetime | None = None, template: Path | None = None) -> bytes:
    """The draft as DOCX bytes, in the styles of ``template`` (``ASSISTANT_DOCX_TEMPLATE``, a
    .dotx or .docx whose own text is left out) or of python-docx's default template.

    "Title" for the draft's title, "Heading 1" per part and for "Quellen"; every [n] in the text
    becomes a Word footnote, numbered by Word (one per citation, as Word does), whose text is
    the source: title, page/section, URL. The source list keeps the numbers [n] the coverage
    table refers to; the table follows it. ``created`` (default: now) goes into the document
    properties.
    """
    from assistant.drafting.docx_footnotes import DocxFootnotes
    from assistant.drafting.docx_template import new_document
    from assistant.drafting.drafter import label_for

    document = new_document(template)
    _set_properties(document, draft, created or datetime.now(UTC))
    footnotes = DocxFootnotes(document)
    sources = {s.n: s for s in draft.sources}

    document.add_heading(draft.title, level=0)
    document.add_paragraph().add_run(label_for(draft.mode)).italic = True
    document.add_paragraph(content.profile_line(draft.request))
    for part in draft.parts:
        document.add_heading(part.title, level=1)
        for block in part.blocks:
            if block.kind == "paragraph":
                _add_cited(document.add_paragraph(), block.text, sources, footnotes)
            elif block.kind == "note":
                _add_cited(document.add_paragraph(), block.text, sources, footnotes, italic=True)
            elif block.kind == "measure":
                paragraph = document.add_paragraph(style="List Bullet")
                _add_cited(paragraph, block.text, sources, footnotes, bold=True)
                if block.fields:
                    document.add_paragraph(content.fields_line(block), style="List Continue")
            else:
                _add_cited(document.add_paragraph(style="List Bullet"), block.text, sources, footnotes)
    document.add_heading(content.SOURCES_TITLE, level=1)
    for source in draft.sources:
        document.add_paragraph(content.source_line(source))
    if not draft.sources:
        document.add_paragraph().add_run("Keine Quellen zitiert.").italic = True
    _add_coverage_table(document, draft)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _set_properties(document: Document, draft: Draft, created: datetime) -> None:
    properties = document.core_properties
    properties.title = draft.title
    properties.subject = content.subject(draft)
    properties.keywords = content.keywords(draft)
    properties.comments = draft.request.notes
    properties.category = "Entwurf"
    properties.identifier = draft.draft_id
    properties.language = "de-DE"
    # python-docx's template carries its own author and 2013 dates; the draft is made now.
    properties.author = content.AUTHOR
    properties.last_modified_by = content.AUTHOR
    properties.created = created
    properties.modified = created
    properties.revision = 1


def _add_cited(
    paragraph: Paragraph,
    text: str,
    sources: dict[int, Source],
    footnotes: DocxFootnotes,
    *,
    bold: bool = False,
    italic: bool = False,
) -> None:
    previous: str | Source = ""
    for segment in content.cited_segments(text, sources):
        if isinstance(segment, Source):
            if isinstance(previous, Source):
                footnotes.add_separator(paragraph)
            footnotes.add(paragraph, content.footnote_text(segment))
        else:
            run = paragraph.add_run(segment)
            run.bold = bold or None
            run.italic = italic or None
        previous = segment


def _add_coverage_table(document: Document, draft: Draft) -> None:
    """The coverage report; its first row is the caption, so the source list stays the last
    paragraphs of the document (no heading of its own)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rows = content.coverage_rows(draft.coverage)
    table = document.add_table(rows=2 + len(rows), cols=len(content.COVERAGE_HEADER))
    table.style = "Table Grid"
    caption = table.rows[0].cells[0].merge(table.rows[0].cells[-1])
    caption.paragraphs[0].add_run(content.COVERAGE_TITLE).bold = True
    for cell, text in zip(table.rows[1].cells, content.COVERAGE_HEADER, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    for row, values in zip(table.rows[2:], rows, strict=True):
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    for row in table.rows[:2]:
        # Caption and header repeat on every page the table spans.
        header = OxmlElement("w:tblHeader")
        row._tr.get_or_add_trPr().append(header)
    description = OxmlElement("w:tblCaption")
    description.set(qn("w:val"), content.COVERAGE_TITLE)
    table._tbl.tblPr.append(description)
