"""DOCX drafts in a town's own Word template (ASSISTANT_DOCX_TEMPLATE): its styles, page setup and
header carry over, its own text does not, and the citations are still real footnotes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Pt, RGBColor

from assistant.config import Settings
from assistant.drafting import Draft, render_docx
from assistant.errors import ConfigError
from tests.drafting.test_export import cited_sources, docx_footnotes, draft  # noqa: F401 - fixture

CORPORATE_BLUE = RGBColor(0x00, 0x5A, 0x9C)
TEMPLATE_TEXT = "Vorlagentext der Stadt Musterhausen, bitte ersetzen"
LETTERHEAD = "Stadt Musterhausen · Amt für Digitalisierung"
TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def corporate_docx(path: Path, *, drop_styles: tuple[str, ...] = ()) -> Path:
    """A template as a town makes one: Heading 1 in its font and colour, a letterhead, sample text."""
    document = Document()
    heading = document.styles["Heading 1"]
    heading.font.name = "Arial"
    heading.font.size = Pt(20)
    heading.font.color.rgb = CORPORATE_BLUE
    document.sections[0].header.paragraphs[0].text = LETTERHEAD
    document.sections[0].left_margin = Pt(90)
    document.add_heading("Musterüberschrift", level=1)
    document.add_paragraph(TEMPLATE_TEXT)
    for name in drop_styles:  # Word saves only the styles a document uses
        element = document.styles[name].element
        element.getparent().remove(element)
    document.save(str(path))
    return path


def as_dotx(docx: Path, target: Path) -> Path:
    """The same package declared as a Word template (.dotx), as Word saves one."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                assert DOCUMENT_MAIN.encode() in data
                data = data.replace(DOCUMENT_MAIN.encode(), TEMPLATE_MAIN.encode())
            out.writestr(item, data)
    return target


def body_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


@pytest.mark.parametrize("kind", ["docx", "dotx"])
def test_draft_in_template_carries_its_styles_and_footnotes(draft: Draft, tmp_path: Path, kind: str) -> None:  # noqa: F811
    template = corporate_docx(tmp_path / "vorlage.docx")
    if kind == "dotx":
        template = as_dotx(template, tmp_path / "vorlage.dotx")
        with pytest.raises(ValueError, match="not a Word file"):
            Document(str(template))  # python-docx alone refuses a template

    document, footnotes = docx_footnotes(render_docx(draft, template=template))

    heading = document.styles["Heading 1"]
    assert (heading.font.name, heading.font.size, heading.font.color.rgb) == ("Arial", Pt(20), CORPORATE_BLUE)
    part_headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert [p.text for p in part_headings][:3] == [part.title for part in draft.parts]
    assert document.sections[0].header.paragraphs[0].text == LETTERHEAD
    assert document.sections[0].left_margin == Pt(90)
    text = body_text(document)
    assert TEMPLATE_TEXT not in text and "Musterüberschrift" not in text
    assert draft.title in text

    assert len(own_notes(footnotes)) == len(cited_sources(draft))
    # The footnote style the notes use is defined in the document.
    assert document.styles.element.get_by_id(note_style(footnotes[-1])) is not None


def test_without_template_the_default_stays(draft: Draft) -> None:  # noqa: F811
    document, footnotes = docx_footnotes(render_docx(draft))
    heading = document.styles["Heading 1"]
    assert heading.font.color.rgb != CORPORATE_BLUE and heading.font.name is None
    assert len(own_notes(footnotes)) == len(cited_sources(draft))


def test_template_with_footnotes_keeps_only_the_drafts(draft: Draft, tmp_path: Path) -> None:  # noqa: F811
    # A document with footnotes of its own as template: a draft rendered earlier.
    template = tmp_path / "mit-fussnoten.docx"
    template.write_bytes(render_docx(draft))
    draft.parts = draft.parts[:1]  # fewer citations than the template has notes
    document, footnotes = docx_footnotes(render_docx(draft, template=template))
    notes = own_notes(footnotes)
    assert len(notes) == len(cited_sources(draft)) < len(own_notes(docx_footnotes(template.read_bytes())[1]))
    ids = [int(f.get(f"{W}id")) for f in footnotes]
    assert len(ids) == len(set(ids))
    referenced = {int(r.get(f"{W}id")) for r in document.element.body.iter(f"{W}footnoteReference")}
    assert referenced == {int(f.get(f"{W}id")) for f in notes}


def test_sparse_template_gets_the_styles_it_lacks(draft: Draft, tmp_path: Path) -> None:  # noqa: F811
    template = corporate_docx(tmp_path / "knapp.docx", drop_styles=("List Bullet", "Table Grid"))
    assert "List Bullet" not in Document(str(template)).styles
    document, _ = docx_footnotes(render_docx(draft, template=template))
    assert any(p.style.name == "List Bullet" for p in document.paragraphs)
    assert document.tables[-1].style.name == "Table Grid"
    assert document.styles["Heading 1"].font.color.rgb == CORPORATE_BLUE


def test_template_with_other_footnote_style_ids_uses_its_own(draft: Draft, tmp_path: Path) -> None:  # noqa: F811
    # German Word names the style "footnote text" but gives it the id "Funotentext".
    german = Document()
    style = german.styles.add_style("footnote text", 1)
    style.element.set(f"{W}styleId", "Funotentext")
    style.font.size = Pt(8)
    template = tmp_path / "deutsch.docx"
    german.save(str(template))
    document, footnotes = docx_footnotes(render_docx(draft, template=template))
    assert {note_style(f) for f in own_notes(footnotes)} == {"Funotentext"}
    assert [s.name for s in document.styles].count("footnote text") == 1


def test_missing_template_is_a_settings_error_naming_it(tmp_path: Path, monkeypatch) -> None:
    missing = tmp_path / "fehlt.dotx"
    monkeypatch.setenv("ASSISTANT_DOCX_TEMPLATE", str(missing))
    with pytest.raises(ConfigError, match=rf"ASSISTANT_DOCX_TEMPLATE.*die Datei {missing} gibt es nicht"):
        Settings()
    monkeypatch.setenv("ASSISTANT_DOCX_TEMPLATE", str(tmp_path / "vorlage.pdf"))
    with pytest.raises(ConfigError, match=r"ASSISTANT_DOCX_TEMPLATE.*\.dotx oder \.docx"):
        Settings()
    monkeypatch.setenv("ASSISTANT_DOCX_TEMPLATE", "")
    assert Settings().docx_template is None


def test_unreadable_template_is_refused_naming_the_file(draft: Draft, tmp_path: Path) -> None:  # noqa: F811
    broken = tmp_path / "kaputt.dotx"
    broken.write_bytes(b"keine Word-Datei")
    assert Settings(docx_template=broken).docx_template == broken  # only its name and existence are checked
    with pytest.raises(
        ConfigError, match=rf"Word-Vorlage {broken} \(ASSISTANT_DOCX_TEMPLATE\) ist keine lesbare"
    ):
        render_docx(draft, template=broken)


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def own_notes(footnotes: list) -> list:
    """The footnotes that are notes (not Word's separators, which carry a ``w:type``)."""
    return [f for f in footnotes if f.get(f"{W}type") in (None, "normal")]


def note_style(footnote) -> str:
    return footnote.find(f"{W}p/{W}pPr/{W}pStyle").get(f"{W}val")
