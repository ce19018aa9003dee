"""A draft as an OpenDocument text (odfpy): outline headings, citations as footnotes
(``text:note``), the source list, the coverage table and the document properties, like the DOCX."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from assistant.drafting import export_content as content
from assistant.types import Source

if TYPE_CHECKING:
    from odf.element import Element
    from odf.opendocument import OpenDocument
    from odf.style import Style

    from assistant.drafting.models import Draft


class _Notes:
    """Footnotes of one ODT, numbered 1, 2, 3 … in order (LibreOffice renumbers on edit)."""

    def __init__(self, style: Style) -> None:
        self.style = style
        self.count = 0

    def note(self, source: Source) -> Element:
        from odf.text import Note, NoteBody, NoteCitation, P

        self.count += 1
        note = Note(id=f"ftn{self.count}", noteclass="footnote")
        note.addElement(NoteCitation(text=str(self.count)))
        body = NoteBody()
        body.addElement(P(stylename=self.style, text=content.footnote_text(source)))
        note.addElement(body)
        return note


def render_odt(draft: Draft, *, created: datetime | None = None) -> bytes:
    """The draft as ODT bytes: "Heading 1" per part (outline level 2 below the title), list
    items for statements, one footnote per [n] whose text is the source (title, page/section,
    URL), the source list and the coverage table. ``created`` (default: now) goes into the
    document properties."""
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, List, ListItem, P, Span

    from assistant.drafting.drafter import label_for

    document = OpenDocumentText()
    _set_properties(document, draft, created or datetime.now(UTC))
    styles = {}
    for name, size, weight, style in (
        ("Title", "20pt", "bold", "normal"),
        ("Heading 1", "15pt", "bold", "normal"),
        ("Emphasis", "11pt", "normal", "italic"),
        ("Strong", "11pt", "bold", "normal"),
        ("Footnote", "10pt", "normal", "normal"),
    ):
        styles[name] = Style(name=name.replace(" ", "_20_"), displayname=name, family="paragraph")
        styles[name].addElement(TextProperties(fontsize=size, fontweight=weight, fontstyle=style))
        document.styles.addElement(styles[name])
    superscript = Style(name="Superscript", displayname="Superscript", family="text")
    superscript.addElement(TextProperties(textposition="super 58%"))
    document.styles.addElement(superscript)
    notes = _Notes(styles["Footnote"])
    sources = {s.n: s for s in draft.sources}

    def cited(text: str, style: Style | None = None) -> Element:
        paragraph = P(stylename=style) if style else P()
        previous: str | Source = ""
        for segment in content.cited_segments(text, sources):
            if isinstance(segment, Source):
                if isinstance(previous, Source):
                    # Two notes in a row read "2,3", as in the DOCX.
                    paragraph.addElement(Span(stylename=superscript, text=","))
                paragraph.addElement(notes.note(segment))
            else:
                paragraph.addText(segment)
            previous = segment
        return paragraph

    def bullets(texts: list[tuple[str, Style | None]]) -> List:
        items = List()
        for text, style in texts:
            item = ListItem()
            item.addElement(cited(text, style))
            items.addElement(item)
        return items

    body = document.text
    body.addElement(H(outlinelevel=1, stylename=styles["Title"], text=draft.title))
    body.addElement(P(text=label_for(draft.mode), stylename=styles["Emphasis"]))
    body.addElement(P(text=content.profile_line(draft.request)))
    for part in draft.parts:
        body.addElement(H(outlinelevel=2, stylename=styles["Heading 1"], text=part.title))
        listed: list[tuple[str, Style | None]] = []
        for block in part.blocks:
            if block.kind in ("item", "measure"):
                listed.append((block.text, styles["Strong"] if block.kind == "measure" else None))
                if block.fields:
                    listed.append((content.fields_line(block), None))
                continue
            if listed:
                body.addElement(bullets(listed))
                listed = []
            body.addElement(cited(block.text, styles["Emphasis"] if block.kind == "note" else None))
        if listed:
            body.addElement(bullets(listed))
    body.addElement(H(outlinelevel=2, stylename=styles["Heading 1"], text=content.SOURCES_TITLE))
    for source in draft.sources:
        body.addElement(P(text=content.source_line(source)))
    if not draft.sources:
        body.addElement(P(text="Keine Quellen zitiert.", stylename=styles["Emphasis"]))
    body.addElement(P(text=content.COVERAGE_TITLE, stylename=styles["Strong"]))
    body.addElement(_coverage_table(draft, styles["Strong"]))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _set_properties(document: OpenDocument, draft: Draft, created: datetime) -> None:
    from odf import dc, meta

    stamp = created.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")
    document.meta.addElement(dc.Title(text=draft.title))
    document.meta.addElement(dc.Subject(text=content.subject(draft)))
    if draft.request.notes:
        document.meta.addElement(dc.Description(text=draft.request.notes))
    document.meta.addElement(dc.Language(text="de-DE"))
    document.meta.addElement(dc.Creator(text=content.AUTHOR))
    document.meta.addElement(dc.Date(text=stamp))
    document.meta.addElement(meta.InitialCreator(text=content.AUTHOR))
    document.meta.addElement(meta.CreationDate(text=stamp))
    document.meta.addElement(meta.Keyword(text=content.keywords(draft)))


def _coverage_table(draft: Draft, header_style: Style) -> Element:
    from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
    from odf.text import P

    def row(values: tuple[str, ...], style: Style | None = None) -> TableRow:
        table_row = TableRow()
        for value in values:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value, stylename=style) if style else P(text=value))
            table_row.addElement(cell)
        return table_row

    table = Table(name=content.COVERAGE_TITLE)
    table.addElement(TableColumn(numbercolumnsrepeated=len(content.COVERAGE_HEADER)))
    header = TableHeaderRows()
    header.addElement(row(content.COVERAGE_HEADER, header_style))
    table.addElement(header)
    for values in content.coverage_rows(draft.coverage):
        table.addElement(row(values))
    return table
