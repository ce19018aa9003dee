"""Fixtures that build real files of every supported format (and broken ones) in tmp_path."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


@pytest.fixture
def limits() -> dict[str, int]:
    """The size limits passed to load_document in these tests."""
    return {"max_bytes": MAX_BYTES, "max_unpacked_bytes": MAX_UNPACKED_BYTES}


@pytest.fixture
def docx_file(tmp_path: Path) -> Path:
    """A DOCX with title property, headings, body text, a bulleted list and a table."""
    import docx

    document = docx.Document()
    document.core_properties.title = "Digitale Agenda Musterstadt"
    document.add_heading("Digitale Agenda der Stadt Musterstadt", level=1)
    document.add_paragraph(
        "Die Digitalisierung der Verwaltung ist für Bürgerinnen und Bürger ein großes Thema."
    )
    document.add_heading("Handlungsfelder", level=2)
    document.add_paragraph("Digitale Verwaltung", style="List Bullet")
    document.add_paragraph("Bildung und Teilhabe", style="List Bullet")
    document.add_paragraph("Offene Daten", style="List Bullet 2")
    table = document.add_table(rows=2, cols=2)
    for row, values in zip(table.rows, [("Maßnahme", "Jahr"), ("Open-Data-Portal", "2024")], strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    document.add_paragraph("Schlussbemerkung über Straßenbeleuchtung.")
    path = tmp_path / "agenda.docx"
    document.save(str(path))
    return path


@pytest.fixture
def odt_file(tmp_path: Path) -> Path:
    """An ODT with dc:title, text:h headings, paragraphs, a nested list and a table."""
    from odf import dc
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text="Smart-City-Strategie Musterdorf"))
    document.text.addElement(H(outlinelevel=1, text="Smart-City-Strategie"))
    document.text.addElement(P(text="Die Gemeinde Musterdorf stärkt ihre Bürgerbeteiligung."))
    document.text.addElement(H(outlinelevel=2, text="Maßnahmen"))
    outer = List()
    first = ListItem()
    first.addElement(P(text="Glasfaserausbau"))
    inner = List()
    inner_item = ListItem()
    inner_item.addElement(P(text="Förderantrag stellen"))
    inner.addElement(inner_item)
    first.addElement(inner)
    outer.addElement(first)
    second = ListItem()
    second.addElement(P(text="Digitale Schule"))
    outer.addElement(second)
    document.text.addElement(outer)
    table = Table(name="Zeitplan")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for values in (("Schritt", "Quartal"), ("Ausschreibung", "Q3")):
        row = TableRow()
        for value in values:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    path = tmp_path / "strategie.odt"
    document.save(str(path))
    return path


def _pdf_bytes() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setTitle("Digitale Agenda Musterstadt")
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(72, 800, "Digitale Agenda der Stadt Musterstadt")
    pdf.setFont("Helvetica", 11)
    y = 770
    for line in (
        "Die Digitali-",
        "sierung der Verwaltung ist für Bürgerinnen und Bürger",
        "ein großes Thema. Smart-City-Projekte und E-",
        "Government gehören zusammen.",
    ):
        pdf.drawString(72, y, line)
        y -= 14
    y -= 14
    for line in (
        "Der zweite Absatz nennt den Bürger-",
        "und Unternehmensservice sowie die Öffnung der Daten.",
    ):
        pdf.drawString(72, y, line)
        y -= 14
    pdf.showPage()
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(72, 800, "Handlungsfelder")
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 770, "- Digitale Verwaltung")
    pdf.drawString(72, 756, "- Offene Daten")
    pdf.drawString(72, 728, "Ein Absatz auf Seite zwei über Straßen und Plätze.")
    pdf.save()
    return buffer.getvalue()


@pytest.fixture
def pdf_file(tmp_path: Path) -> Path:
    """A two-page PDF with headings, a hyphenated line break, real hyphens and a list."""
    path = tmp_path / "agenda.pdf"
    path.write_bytes(_pdf_bytes())
    return path


@pytest.fixture
def encrypted_pdf(tmp_path: Path) -> Path:
    """A PDF that needs the user password "secret"."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(_pdf_bytes())).pages:
        writer.add_page(page)
    writer.encrypt("secret")
    path = tmp_path / "geheim.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    return path


@pytest.fixture
def corrupt_pdf(tmp_path: Path) -> Path:
    """The first half of a valid PDF."""
    data = _pdf_bytes()
    path = tmp_path / "kaputt.pdf"
    path.write_bytes(data[: len(data) // 2])
    return path


HTML_PAGE = """<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8">
<title>Digitale Agenda | Stadt Musterstadt</title>
<meta property="og:title" content="Digitale Agenda der Stadt Musterstadt">
<meta property="og:url" content="https://www.musterstadt.de/digitale-agenda">
<link rel="canonical" href="https://www.musterstadt.de/digitale-agenda"></head>
<body>
<div id="cookie-banner">Wir verwenden Cookies. <button>Alle akzeptieren</button></div>
<header><nav><ul><li><a href="/">Startseite</a></li><li><a href="/rathaus">Rathaus</a></li>
<li><a href="/buerger">Bürgerservice</a></li></ul></nav></header>
<main><article>
<h1>Digitale Agenda der Stadt Musterstadt</h1>
<p>Die Stadt Musterstadt hat im Jahr 2023 eine Digitale Agenda beschlossen. Sie beschreibt, wie die
Verwaltung und die Stadtgesellschaft die Digitalisierung gemeinsam gestalten wollen.</p>
<h2>Handlungsfelder</h2>
<p>Die Agenda gliedert sich in fünf Handlungsfelder, die jeweils mit konkreten Maßnahmen hinterlegt sind:</p>
<ul><li>Digitale Verwaltung und Infrastruktur</li><li>Bildung und digitale Teilhabe</li>
<li>Mobilität und Umwelt</li></ul>
<h2>Beteiligung</h2>
<p>Bürgerinnen und Bürger konnten sich in mehreren Werkstätten und online an der Erarbeitung beteiligen.
Über 800 Beiträge sind eingegangen und flossen in die Maßnahmen ein.</p>
<div class="share">Teilen auf <a href="#">Facebook</a> | <a href="#">Twitter</a></div>
</article></main>
<footer><p>© 2024 Stadt Musterstadt</p>
<a href="/impressum">Impressum</a> <a href="/datenschutz">Datenschutz</a></footer>
</body></html>
"""


@pytest.fixture
def html_file(tmp_path: Path) -> Path:
    """A municipal web page with cookie banner, navigation, share links and footer."""
    path = tmp_path / "agenda.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    return path


MARKDOWN = """---
title: Digitalstrategie Musterstadt
doc_type: strategie
municipality: Musterstadt
date: 2023-05-04
handlungsfelder: [verwaltung, bildung]
---
# Digitalstrategie

Die **Digitalstrategie** beschreibt [unsere Ziele](https://example.org) für die Jahre 2023 bis 2027.

Umsetzung und Förderung
-----------------------

- Glasfaser für alle Ortsteile
- Digitale Schule
  - Tablets für Grundschulen

| Maßnahme | Jahr |
|---|---|
| WLAN im Rathaus | 2024 |
"""


@pytest.fixture
def markdown_file(tmp_path: Path) -> Path:
    """Markdown with YAML front matter, ATX and setext headings, nested list, table."""
    path = tmp_path / "strategie.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    return path


PLAIN_TEXT = (
    "Digitale Agenda Musterstadt\n\n"
    "Die Stadt Musterstadt will die Digitalisierung der Verwaltung für alle Bürgerinnen und Bürger "
    "voranbringen und gemeinsam mit der Stadtgesellschaft gestalten.\n\n"
    "Handlungsfelder\n"
    "• Digitale Verwaltung\n"
    "• Straßenbeleuchtung und Energie\n"
    "    Intelligente Straßenlaternen sparen Energie und erhöhen die Sicherheit.\n\n"
    "Die Umsetzung beginnt im Jahr 2024 und wird jährlich überprüft und fortgeschrieben.\n"
)


@pytest.fixture
def txt_utf8_bom(tmp_path: Path) -> Path:
    """Plain text in UTF-8 with a byte-order mark."""
    path = tmp_path / "agenda-utf8.txt"
    path.write_bytes(PLAIN_TEXT.encode("utf-8-sig"))
    return path


@pytest.fixture
def txt_cp1252(tmp_path: Path) -> Path:
    """Plain text in Windows-1252 (äöüß and „quotes“ as single bytes)."""
    path = tmp_path / "agenda-cp1252.txt"
    path.write_bytes((PLAIN_TEXT + "Größe, Übergänge und „Zitate“ – fertig.\n").encode("cp1252"))
    return path


@pytest.fixture
def empty_file(tmp_path: Path) -> Path:
    path = tmp_path / "leer.txt"
    path.write_bytes(b"")
    return path


@pytest.fixture
def binary_txt(tmp_path: Path) -> Path:
    """Random bytes that merely carry a .txt name."""
    path = tmp_path / "binaer.txt"
    path.write_bytes(os.urandom(4096))
    return path


@pytest.fixture
def unsupported_file(tmp_path: Path) -> Path:
    path = tmp_path / "daten.xyz"
    path.write_text("irgendwas", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def docx_zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A .docx whose zip declares ~300 MB of zeros (about 1.3 MB on disk).

    Built in streamed 1 MiB pieces with the fastest deflate level so it takes well under
    a second; session-scoped so it is built once.
    """
    path = tmp_path_factory.mktemp("bomb") / "bombe.docx"
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>Hallo</w:t></w:r></w:p></w:body></w:document>"
    )
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", body)
        with archive.open("word/media/nullen.bin", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(chunk)
    return path
