"""DOCX and ODT exports: Word heading styles, one footnote per citation (Word's and ODF's own
footnotes), the source list, the coverage table, document properties, and LibreOffice reading it."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from lxml import etree

from assistant.config import Settings
from assistant.drafting import Draft, DraftBlock, DraftPart, DraftRequest, render_docx, render_odt
from assistant.drafting.drafter import coverage_report
from assistant.drafting.export_content import COVERAGE_HEADER, COVERAGE_TITLE, coverage_rows, footnote_text
from assistant.drafting.markdown import render_markdown, source_line
from assistant.drafting.structure import SOURCES_TITLE
from assistant.embeddings import create_embedder
from assistant.index import Index
from assistant.service import Assistant
from assistant.types import Source

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARKER = re.compile(r"\[(\d+)\]")
CREATED = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)


def source(
    n: int, title: str, *, url: str | None = None, page: int | None = None, section: str = ""
) -> Source:
    location = ", ".join(x for x in (f"S. {page}" if page else "", section) if x)
    return Source(
        n=n,
        chunk_id=f"chunk-{n}",
        doc_id=f"doc-{n}",
        source=url or f"corpus/case_studies/dokument-{n}.pdf",
        title=title,
        doc_type="case_study",
        text="…",
        location=location,
        page=page,
        section=section,
        url=url,
    )


@pytest.fixture
def draft() -> Draft:
    """A small draft with every block kind, a citation pair, a repeated source and a gap."""
    sources = [
        source(1, "Leitfaden Open Source", url="https://example.org/leitfaden", page=4, section="Lizenzen"),
        source(2, "Fallstudie Lindwerder", section="Ausgangslage"),
    ]
    parts = [
        DraftPart(
            key="ausgangslage",
            title="Ausgangslage",
            blocks=[
                DraftBlock(kind="paragraph", text="Die Kommune setzt auf offene Software [1]."),
                DraftBlock(kind="item", text="Lizenzkosten sinken [1][2]."),
            ],
        ),
        DraftPart(
            key="massnahmen",
            title="Maßnahmen",
            blocks=[
                DraftBlock(kind="measure", text="Pilot offener Arbeitsplatz [2]", fields={"Priorität": "A"})
            ],
        ),
        DraftPart(
            key="beteiligung",
            title="Beteiligung der Akteure",
            gap=True,
            blocks=[DraftBlock(kind="note", text="Zu diesem Teil finden sich keine Belege.")],
        ),
    ]
    request = DraftRequest(
        section="souveraenitaet",
        profile={"name": "Gemeinde Auenried", "inhabitants": 8200},
        notes="Open Source, Datenhoheit",
    )
    title = "Digitale Souveränität – Gemeinde Auenried"
    return Draft(
        draft_id="d0c5",
        title=title,
        request=request,
        mode="extractive",
        markdown=render_markdown(title, request, "Materialsammlung", parts, sources),
        parts=parts,
        sources=sources,
        coverage=coverage_report(parts, sources),
    )


def cited_sources(draft: Draft) -> list[Source]:
    """The source of every [n] in the draft's text, in reading order: one footnote each."""
    by_number = {s.n: s for s in draft.sources}
    return [by_number[int(n)] for part in draft.parts for b in part.blocks for n in MARKER.findall(b.text)]


def docx_footnotes(content: bytes) -> tuple[Document, list[etree._Element]]:
    """The document as python-docx reads it and the footnotes of its footnotes part."""
    document = Document(io.BytesIO(content))
    rels = [r for r in document.part.rels.values() if r.reltype == RELATIONSHIP_TYPE.FOOTNOTES]
    assert len(rels) == 1, "document.xml relates to one footnotes part"
    part = rels[0].target_part
    assert str(part.partname) == "/word/footnotes.xml"
    return document, etree.fromstring(part.blob).findall(f"{W}footnote")


def text_of(element: etree._Element) -> str:
    return "".join(element.itertext())


def test_docx_has_one_word_footnote_per_citation(draft: Draft) -> None:
    content = render_docx(draft, created=CREATED)
    document, footnotes = docx_footnotes(content)

    separators = [(f.get(f"{W}id"), f.get(f"{W}type")) for f in footnotes[:2]]
    assert separators == [("-1", "separator"), ("0", "continuationSeparator")]
    notes = footnotes[2:]
    expected = cited_sources(draft)
    assert len(notes) == len(expected) == 4
    assert [text_of(n).strip() for n in notes] == [footnote_text(s) for s in expected]
    assert footnote_text(expected[0]) == (
        "Leitfaden Open Source, S. 4, Lizenzen – https://example.org/leitfaden"
    )
    assert all(n.find(f".//{W}footnoteRef") is not None for n in notes), "Word numbers them"

    body = document.element.body
    references = [r.get(f"{W}id") for r in body.iter(f"{W}footnoteReference")]
    assert references == [n.get(f"{W}id") for n in notes] == ["1", "2", "3", "4"]
    # The markers became the references; two in a row are separated by a superscript comma.
    cited = [p.text for p in document.paragraphs if "Software" in p.text or "Lizenzkosten" in p.text]
    assert cited == ["Die Kommune setzt auf offene Software.", "Lizenzkosten sinken,."]

    styles = {s.style_id for s in document.styles}
    assert {"FootnoteText", "FootnoteReference"} <= styles
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        types = package.read("[Content_Types].xml").decode()
        settings = package.read("word/settings.xml").decode()
    assert 'PartName="/word/footnotes.xml"' in types and "footnotes+xml" in types
    assert '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>' in settings


def test_docx_headings_sources_coverage_table_and_properties(draft: Draft) -> None:
    document = Document(io.BytesIO(render_docx(draft, created=CREATED)))

    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert styled[0] == ("Title", draft.title)
    assert [t for s, t in styled if s == "Heading 1"] == [p.title for p in draft.parts] + [SOURCES_TITLE]
    assert not any(s == "Normal" and t in {p.title for p in draft.parts} for s, t in styled)
    sources_at = styled.index(("Heading 1", SOURCES_TITLE))
    assert [t for _, t in styled[sources_at + 1 :]] == [source_line(s) for s in draft.sources]

    table = document.tables[-1]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == [COVERAGE_TITLE] * len(COVERAGE_HEADER)  # the merged caption row
    assert tuple(cells[1]) == COVERAGE_HEADER
    assert [tuple(r) for r in cells[2:]] == coverage_rows(draft.coverage)
    assert cells[2] == ["Ausgangslage", "2", "2", "[1], [2]"]
    assert cells[4] == ["Beteiligung der Akteure", "0", "0", "keine Belege"]
    assert cells[-1][0] == "Gesamt" and "Beteiligung der Akteure" in cells[-1][3]

    properties = document.core_properties
    assert properties.title == draft.title
    assert properties.subject == "Entwurf: Digitale Souveränität"
    assert properties.created == properties.modified == CREATED
    assert properties.author != "python-docx" and properties.language == "de-DE"
    assert properties.comments == "Open Source, Datenhoheit"


def odt_notes(content: bytes) -> tuple[object, list[object]]:
    from odf import opendocument
    from odf.text import Note

    document = opendocument.load(io.BytesIO(content))
    return document, document.getElementsByType(Note)


def test_odt_has_one_footnote_per_citation_and_the_coverage_table(draft: Draft) -> None:
    from odf import dc, teletype
    from odf.namespaces import TEXTNS
    from odf.table import TableRow
    from odf.text import H, NoteBody, NoteCitation

    document, notes = odt_notes(render_odt(draft, created=CREATED))

    expected = cited_sources(draft)
    assert len(notes) == len(expected)
    assert {n.getAttrNS(TEXTNS, "note-class") for n in notes} == {"footnote"}
    citations = [teletype.extractText(n.getElementsByType(NoteCitation)[0]) for n in notes]
    assert citations == ["1", "2", "3", "4"]
    bodies = [teletype.extractText(n.getElementsByType(NoteBody)[0]) for n in notes]
    assert bodies == [footnote_text(s) for s in expected]

    headings = [teletype.extractText(h) for h in document.getElementsByType(H)]
    assert headings == [draft.title, *(p.title for p in draft.parts), SOURCES_TITLE]
    rows = [[teletype.extractText(c) for c in r.childNodes] for r in document.getElementsByType(TableRow)]
    assert tuple(rows[0]) == COVERAGE_HEADER
    assert [tuple(r) for r in rows[1:]] == coverage_rows(draft.coverage)
    assert teletype.extractText(document.meta.getElementsByType(dc.Title)[0]) == draft.title
    assert (
        teletype.extractText(document.meta.getElementsByType(dc.Subject)[0])
        == "Entwurf: Digitale Souveränität"
    )


@pytest.fixture(scope="module")
def corpus_draft(corpus_index_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Draft:
    """A real extractive draft over corpus/, written once for this module."""
    data_dir = tmp_path_factory.mktemp("export-index") / "data"
    shutil.copytree(corpus_index_template, data_dir)
    settings = Settings(data_dir=data_dir, index_name="corpus")
    request = DraftRequest(
        section="souveraenitaet",
        profile={"name": "Gemeinde Auenried", "inhabitants": 8200, "kind": "Gemeinde"},
        notes="Open Source, Datenhoheit bei Verträgen, IT-Sicherheit",
    )
    with Index(settings, create_embedder(settings), write=False, purpose="test") as index:
        return Assistant(index, settings).draft(request)


def test_real_draft_footnotes_name_the_cited_sources(corpus_draft: Draft) -> None:
    expected = cited_sources(corpus_draft)
    assert len(expected) >= len(corpus_draft.sources) >= 5

    document, footnotes = docx_footnotes(render_docx(corpus_draft))
    assert document.core_properties.created > datetime(2025, 1, 1, tzinfo=UTC), "made now"
    notes = footnotes[2:]
    assert len(notes) == len(expected)
    for note, cited in zip(notes, expected, strict=True):
        assert text_of(note).strip() == footnote_text(cited)
        assert cited.title in text_of(note)

    _, odt = odt_notes(render_odt(corpus_draft))
    assert len(odt) == len(expected)


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.skip("LibreOffice (soffice) is not on PATH: apt-get install -y libreoffice-writer-nogui")
    return path


def convert(binary: str, source: Path, target_format: str, out_dir: Path) -> Path:
    """``soffice --headless --convert-to`` with a private profile, so parallel runs do not clash."""
    profile = (out_dir / "lo-profile").as_uri()
    subprocess.run(
        [binary, f"-env:UserInstallation={profile}", "--headless", "--convert-to", target_format,
         "--outdir", str(out_dir), str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    converted = out_dir / f"{source.stem}.{target_format}"
    assert converted.is_file(), f"LibreOffice wrote no {converted.name}"
    return converted


def in_footnotes(expected: str, text: str, continued: int = 60) -> bool:
    """Whether a footnote stands in the PDF text: whole, or with its last ``continued``
    characters elsewhere, where LibreOffice continues a long footnote at the foot of the next
    page (the text extraction then puts the next page's body in between)."""
    if expected in text:
        return True
    return any(
        expected[:cut] in text and expected[cut:] in text
        for cut in range(max(1, len(expected) - continued), len(expected))
    )


def squashed(text: str) -> str:
    # PDF text breaks long footnotes (URLs, paths) over lines; compare without whitespace.
    return re.sub(r"\s+", "", text)


@pytest.mark.slow
def test_footnotes_survive_libreoffice(corpus_draft: Draft, tmp_path: Path) -> None:
    from pypdf import PdfReader

    binary = soffice()
    expected = {footnote_text(s) for s in cited_sources(corpus_draft)}
    docx = tmp_path / "entwurf.docx"
    docx.write_bytes(render_docx(corpus_draft))
    odt = tmp_path / "eigen.odt"
    odt.write_bytes(render_odt(corpus_draft))

    for document in (docx, odt):
        pdf = PdfReader(convert(binary, document, "pdf", tmp_path))
        text = squashed("\n".join(page.extract_text() for page in pdf.pages))
        missing = [t for t in expected if not in_footnotes(squashed(t), text)]
        assert not missing, f"{document.name}: footnotes missing in the PDF: {missing}"
        assert corpus_draft.parts[0].title in "\n".join(page.extract_text() for page in pdf.pages)

    # LibreOffice reads the Word footnotes as footnotes: DOCX -> ODT keeps one note per citation.
    converted = tmp_path / "converted"
    converted.mkdir()
    _, notes = odt_notes(convert(binary, docx, "odt", converted).read_bytes())
    assert len(notes) == len(cited_sources(corpus_draft))
