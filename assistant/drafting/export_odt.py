"""A draft as an OpenDocument text (odfpy), with outline headings like the DOCX export."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from assistant.drafting.markdown import fields_line, profile_line, source_line
from assistant.drafting.structure import SOURCES_TITLE

if TYPE_CHECKING:
    from assistant.drafting.models import Draft


def render_odt(draft: Draft) -> bytes:
    """The draft as ODT bytes: "Heading 1" per part (outline level 1), list items for statements."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, List, ListItem, P

    from assistant.drafting.drafter import label_for

    document = OpenDocumentText()
    styles = {}
    for name, size, weight, style in (
        ("Title", "20pt", "bold", "normal"),
        ("Heading 1", "15pt", "bold", "normal"),
        ("Emphasis", "11pt", "normal", "italic"),
        ("Strong", "11pt", "bold", "normal"),
    ):
        styles[name] = Style(name=name.replace(" ", "_20_"), displayname=name, family="paragraph")
        styles[name].addElement(TextProperties(fontsize=size, fontweight=weight, fontstyle=style))
        document.styles.addElement(styles[name])

    def bullets(texts: list[tuple[str, Style | None]]) -> List:
        items = List()
        for text, style in texts:
            item = ListItem()
            item.addElement(P(text=text, stylename=style) if style else P(text=text))
            items.addElement(item)
        return items

    body = document.text
    body.addElement(H(outlinelevel=1, stylename=styles["Title"], text=draft.title))
    body.addElement(P(text=label_for(draft.mode), stylename=styles["Emphasis"]))
    body.addElement(P(text=profile_line(draft.request)))
    for part in draft.parts:
        body.addElement(H(outlinelevel=2, stylename=styles["Heading 1"], text=part.title))
        listed: list[tuple[str, Style | None]] = []
        for block in part.blocks:
            if block.kind in ("item", "measure"):
                listed.append((block.text, styles["Strong"] if block.kind == "measure" else None))
                if block.fields:
                    listed.append((fields_line(block), None))
                continue
            if listed:
                body.addElement(bullets(listed))
                listed = []
            style = styles["Emphasis"] if block.kind == "note" else None
            body.addElement(P(text=block.text, stylename=style) if style else P(text=block.text))
        if listed:
            body.addElement(bullets(listed))
    body.addElement(H(outlinelevel=2, stylename=styles["Heading 1"], text=SOURCES_TITLE))
    for source in draft.sources:
        body.addElement(P(text=source_line(source)))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()
