"""A draft as a Word document (python-docx): real heading styles, cited blocks, the source list."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from assistant.drafting.markdown import fields_line, profile_line, source_line
from assistant.drafting.structure import SOURCES_TITLE

if TYPE_CHECKING:
    from assistant.drafting.models import Draft


def render_docx(draft: Draft) -> bytes:
    """The draft as DOCX bytes: Title, "Heading 1" per part and for "Quellen", bullets for statements."""
    from docx import Document

    from assistant.drafting.drafter import label_for

    document = Document()
    document.core_properties.title = draft.title
    document.core_properties.language = "de-DE"
    document.core_properties.subject = "Entwurf Digitale Agenda"
    document.add_heading(draft.title, level=0)
    document.add_paragraph().add_run(label_for(draft.mode)).italic = True
    document.add_paragraph(profile_line(draft.request))
    for part in draft.parts:
        document.add_heading(part.title, level=1)
        for block in part.blocks:
            if block.kind == "paragraph":
                document.add_paragraph(block.text)
            elif block.kind == "note":
                document.add_paragraph().add_run(block.text).italic = True
            elif block.kind == "measure":
                document.add_paragraph(style="List Bullet").add_run(block.text).bold = True
                if block.fields:
                    document.add_paragraph(fields_line(block), style="List Continue")
            else:
                document.add_paragraph(block.text, style="List Bullet")
    document.add_heading(SOURCES_TITLE, level=1)
    for source in draft.sources:
        document.add_paragraph(source_line(source))
    if not draft.sources:
        document.add_paragraph().add_run("Keine Quellen zitiert.").italic = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
