"""Generate the binary sample documents (DOCX, ODT, PDF) of the corpus from their source text.

The text of each document lives in a module under ``tools/sample_corpus/sources/`` (see its
``__init__`` for the block format); this script renders it with real structure, so the
loaders see what they would see in documents written by people:

- DOCX via python-docx: ``Title`` and ``Heading 1/2`` styles, list styles, a grid table;
- ODT via odfpy: ``text:h`` headings with outline levels, ``text:list``, ``table:table``;
- PDF via reportlab: a title, section headings, paragraphs, lists and tables.

Next to every generated file it writes the ``<file>.meta.yaml`` sidecar from the module's
``META``. Output is byte-for-byte reproducible (fixed timestamps), so re-running the script
without changing a source leaves ``git status`` clean.

Usage (from the repository root, with the dev extras installed)::

    python tools/sample_corpus/build_binary_documents.py            # build all
    python tools/sample_corpus/build_binary_documents.py --check    # build, then read back and verify
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import io
import logging
import re
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

logger = logging.getLogger("build_binary_documents")

CORPUS_ROOT = Path(__file__).resolve().parents[2] / "corpus"
TOOLS_DIR = Path(__file__).resolve().parent
# Fixed timestamp for document properties and ZIP entries (reproducible output).
FIXED_TIME = dt.datetime(2024, 1, 1, 12, 0, 0)
AUTHOR = "Stadt Lindwerder (fiktives Beispielkorpus)"

Block = tuple[Any, ...]


def load_sources() -> list[ModuleType]:
    """Import every source module listed in ``sources.MODULES``."""
    sys.dont_write_bytecode = True  # keep __pycache__ out of the corpus folder
    if str(TOOLS_DIR) not in sys.path:
        sys.path.insert(0, str(TOOLS_DIR))
    package = importlib.import_module("sources")
    return [importlib.import_module(f"sources.{name}") for name in package.MODULES]


def _title(blocks: Sequence[Block]) -> str:
    for block in blocks:
        if block[0] == "title":
            return str(block[1])
    raise ValueError("Every source needs a ('title', text) block.")


# --------------------------------------------------------------------------- DOCX


def render_docx(blocks: Sequence[Block], target: Path) -> None:
    """Write ``blocks`` as a DOCX with real heading, list and table styles."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    document.styles["Normal"].font.name = "Calibri"
    document.styles["Normal"].font.size = Pt(11)
    props = document.core_properties
    props.title = _title(blocks)
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.language = "de-DE"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.revision = 1

    for block in blocks:
        kind = block[0]
        if kind == "title":
            document.add_heading(block[1], level=0)
        elif kind in ("h1", "h2"):
            document.add_heading(block[1], level=int(kind[1]))
        elif kind == "p":
            document.add_paragraph(block[1])
        elif kind in ("ul", "ol"):
            style = "List Bullet" if kind == "ul" else "List Number"
            for item in block[1]:
                document.add_paragraph(item, style=style)
        elif kind == "table":
            header, rows = block[1], block[2]
            table = document.add_table(rows=1, cols=len(header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, header, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
            document.add_paragraph()
        else:
            raise ValueError(f"Unknown block kind {kind!r}")

    buffer = io.BytesIO()
    document.save(buffer)
    target.write_bytes(_fix_zip_timestamps(buffer.getvalue()))


# --------------------------------------------------------------------------- ODT


def render_odt(blocks: Sequence[Block], target: Path) -> None:
    """Write ``blocks`` as an ODT with ``text:h`` headings, lists and a table."""
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.style import (
        ListLevelProperties,
        ParagraphProperties,
        Style,
        TableColumnProperties,
        TextProperties,
    )
    from odf.table import Table, TableCell, TableColumn, TableHeaderRows, TableRow
    from odf.text import H, List, ListItem, ListLevelStyleBullet, ListLevelStyleNumber, ListStyle, P

    doc = OpenDocumentText()
    doc.meta.addElement(dc.Title(text=_title(blocks)))
    doc.meta.addElement(dc.Creator(text=AUTHOR))
    doc.meta.addElement(dc.Language(text="de-DE"))
    doc.meta.addElement(dc.Date(text=FIXED_TIME.isoformat()))
    doc.meta.addElement(meta.CreationDate(text=FIXED_TIME.isoformat()))
    doc.meta.addElement(meta.Generator(text="tools/sample_corpus/build_binary_documents.py"))

    styles: dict[str, Style] = {}
    for name, size, level in (
        ("Title", "20pt", None),
        ("Heading_20_1", "15pt", 1),
        ("Heading_20_2", "12.5pt", 2),
    ):
        display = {"Title": "Title", "Heading_20_1": "Heading 1", "Heading_20_2": "Heading 2"}[name]
        style = Style(name=name, displayname=display, family="paragraph")
        if level is not None:
            style.setAttribute("defaultoutlinelevel", str(level))
        style.addElement(TextProperties(fontsize=size, fontweight="bold"))
        style.addElement(ParagraphProperties(margintop="0.3cm", marginbottom="0.15cm"))
        doc.styles.addElement(style)
        styles[name] = style
    body_style = Style(name="Text_20_body", displayname="Text body", family="paragraph")
    body_style.addElement(ParagraphProperties(marginbottom="0.2cm"))
    doc.styles.addElement(body_style)
    header_cell = Style(name="TableHeading", family="paragraph")
    header_cell.addElement(TextProperties(fontweight="bold"))
    doc.styles.addElement(header_cell)

    bullets = ListStyle(name="Bullets")
    bullet_level = ListLevelStyleBullet(level=1, bulletchar="•")
    bullet_level.addElement(ListLevelProperties(spacebefore="0.4cm", minlabelwidth="0.5cm"))
    bullets.addElement(bullet_level)
    numbers = ListStyle(name="Numbering")
    number_level = ListLevelStyleNumber(level=1, numformat="1", numsuffix=".")
    number_level.addElement(ListLevelProperties(spacebefore="0.4cm", minlabelwidth="0.6cm"))
    numbers.addElement(number_level)
    doc.automaticstyles.addElement(bullets)
    doc.automaticstyles.addElement(numbers)
    column_style = Style(name="TableColumn", family="table-column")
    column_style.addElement(TableColumnProperties(columnwidth="5cm"))
    doc.automaticstyles.addElement(column_style)

    for index, block in enumerate(blocks):
        kind = block[0]
        if kind == "title":
            doc.text.addElement(P(stylename=styles["Title"], text=block[1]))
        elif kind in ("h1", "h2"):
            level = int(kind[1])
            doc.text.addElement(H(outlinelevel=level, stylename=styles[f"Heading_20_{level}"], text=block[1]))
        elif kind == "p":
            doc.text.addElement(P(stylename=body_style, text=block[1]))
        elif kind in ("ul", "ol"):
            lst = List(stylename=bullets if kind == "ul" else numbers)
            for item in block[1]:
                list_item = ListItem()
                list_item.addElement(P(stylename=body_style, text=item))
                lst.addElement(list_item)
            doc.text.addElement(lst)
        elif kind == "table":
            header, rows = block[1], block[2]
            table = Table(name=f"Tabelle{index}")
            table.addElement(TableColumn(numbercolumnsrepeated=len(header), stylename=column_style))
            header_rows = TableHeaderRows()
            header_rows.addElement(_odt_row(header, TableRow, TableCell, P, header_cell))
            table.addElement(header_rows)
            for row in rows:
                table.addElement(_odt_row(row, TableRow, TableCell, P, body_style))
            doc.text.addElement(table)
        else:
            raise ValueError(f"Unknown block kind {kind!r}")

    buffer = io.BytesIO()
    doc.write(buffer)
    target.write_bytes(_fix_zip_timestamps(buffer.getvalue()))


def _odt_row(cells: Sequence[str], row_cls: Any, cell_cls: Any, p_cls: Any, style: Any) -> Any:
    row = row_cls()
    for text in cells:
        cell = cell_cls(valuetype="string")
        cell.addElement(p_cls(stylename=style, text=text))
        row.addElement(cell)
    return row


# --------------------------------------------------------------------------- PDF


def render_pdf(blocks: Sequence[Block], target: Path) -> None:
    """Write ``blocks`` as a tagged-looking PDF: title, headings, paragraphs, lists, tables."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import (
        ListFlowable,
        ListItem,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    sheet = getSampleStyleSheet()
    # Soft hyphens (U+00AD) in the source mark where long words may be split at a line end, as
    # in real PDFs; the loaders must join "Stadt-\ngärtnerei" again.
    body = ParagraphStyle(
        "Body",
        parent=sheet["BodyText"],
        fontName="Helvetica",
        fontSize=10.5,
        leading=14,
        embeddedHyphenation=1,
    )
    cell = ParagraphStyle("Cell", parent=body, fontSize=9.5, leading=12)
    cell_bold = ParagraphStyle("CellBold", parent=cell, fontName="Helvetica-Bold")
    title_style = ParagraphStyle(
        "DocTitle", parent=sheet["Title"], fontName="Helvetica-Bold", fontSize=17, leading=21
    )
    h1 = ParagraphStyle("H1", parent=sheet["Heading1"], fontName="Helvetica-Bold", fontSize=14, leading=18)
    h2 = ParagraphStyle("H2", parent=sheet["Heading2"], fontName="Helvetica-Bold", fontSize=12, leading=15)

    title = _title(blocks)
    story: list[Any] = []
    for block in blocks:
        kind = block[0]
        if kind == "title":
            story.append(Paragraph(escape(block[1]), title_style))
        elif kind == "h1":
            story.append(Paragraph(escape(block[1]), h1))
        elif kind == "h2":
            story.append(Paragraph(escape(block[1]), h2))
        elif kind == "p":
            story.append(Paragraph(escape(block[1]), body))
        elif kind in ("ul", "ol"):
            items = [ListItem(Paragraph(escape(item), body)) for item in block[1]]
            options: dict[str, Any] = (
                {"bulletType": "bullet", "start": "•"} if kind == "ul" else {"bulletType": "1"}
            )
            story.append(ListFlowable(items, bulletFontName="Helvetica", leftIndent=16, **options))
        elif kind == "table":
            header, rows = block[1], block[2]
            data = [[Paragraph(escape(text), cell_bold) for text in header]]
            data += [[Paragraph(escape(text), cell) for text in row] for row in rows]
            width = (A4[0] - 5 * cm) / len(header)
            table = Table(data, colWidths=[width] * len(header), repeatRows=1, hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.extend([Spacer(1, 4), table, Spacer(1, 8)])
        else:
            raise ValueError(f"Unknown block kind {kind!r}")

    def _footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(2.5 * cm, 1.5 * cm, f"{title} – Seite {doc.page}")
        canvas.restoreState()

    template = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=2.5 * cm,
        rightMargin=2.5 * cm,
        topMargin=2.2 * cm,
        bottomMargin=2.5 * cm,
        title=title,
        author=AUTHOR,
        lang="de-DE",
        invariant=1,
    )
    template.build(story, onFirstPage=_footer, onLaterPages=_footer)


# --------------------------------------------------------------------------- helpers


def _fix_zip_timestamps(data: bytes) -> bytes:
    """Rewrite a ZIP container with fixed entry timestamps (keeps ``mimetype`` first and stored)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def write_sidecar(module: ModuleType, target: Path) -> Path:
    """Write ``<target>.meta.yaml`` from the module's ``META``."""
    sidecar = target.with_name(target.name + ".meta.yaml")
    text = yaml.safe_dump(dict(module.META), allow_unicode=True, sort_keys=False, width=120)
    sidecar.write_text(
        "# Generated by tools/sample_corpus/build_binary_documents.py – edit the source module instead.\n"
        + text,
        encoding="utf-8",
    )
    return sidecar


RENDERERS = {".docx": render_docx, ".odt": render_odt, ".pdf": render_pdf}


def build(module: ModuleType) -> Path:
    """Render one source module to its target file and sidecar; return the target path."""
    target = CORPUS_ROOT / module.TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        renderer = RENDERERS[target.suffix]
    except KeyError:
        raise ValueError(
            f"{module.__name__}: unsupported target {target.suffix!r}; use one of {sorted(RENDERERS)}"
        ) from None
    renderer(module.BLOCKS, target)
    write_sidecar(module, target)
    logger.info("wrote %s (%d bytes)", target.relative_to(CORPUS_ROOT), target.stat().st_size)
    return target


def read_back(path: Path) -> str:
    """Extract the visible text of a generated file with the same libraries the loaders use."""
    if path.suffix == ".docx":
        from docx import Document

        document = Document(str(path))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            parts.extend(c.text for row in table.rows for c in row.cells)
        return "\n".join(parts)
    if path.suffix == ".odt":
        from odf import teletype
        from odf.opendocument import load
        from odf.text import H, P

        doc = load(str(path))
        return "\n".join(
            teletype.extractText(el) for el in doc.getElementsByType(H) + doc.getElementsByType(P)
        )
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    raise ValueError(f"cannot read back {path.suffix}")


def check(module: ModuleType, target: Path) -> list[str]:
    """Every paragraph and list item of the source must read back (whitespace-normalised).

    Words split at a soft hyphen come back as "Stadt-\ngärtnerei"; they are joined before
    comparing and logged, so one can see which words the PDF actually hyphenated.
    """
    raw = read_back(target)
    hyphenated = re.findall(r"\w+-\n\w+", raw)
    if hyphenated:
        logger.info(
            "%s: hyphenated at line ends: %s", target.name, ", ".join(w.replace("\n", "") for w in hyphenated)
        )
    # Line breaks may fall after a soft hyphen ("Stadt-\ngärtnerei") or a real one ("E-\nAkte"),
    # so compare without whitespace and hyphens.
    text = _skeleton(raw)
    problems = []
    for block in module.BLOCKS:
        pieces = (
            [block[1]]
            if block[0] in ("title", "h1", "h2", "p")
            else block[1]
            if block[0] in ("ul", "ol")
            else []
        )
        for piece in pieces:
            if _skeleton(piece) not in text:
                problems.append(f"{target.name}: not found on read-back: {piece[:70]!r}")
    for umlaut in "äöüÄÖÜß":
        if any(umlaut in str(block[1]) for block in module.BLOCKS) and umlaut not in text:
            problems.append(f"{target.name}: umlaut {umlaut!r} lost on read-back")
    return problems


def _skeleton(text: str) -> str:
    return re.sub(r"[\s\-\u00ad]+", "", text)


def main(argv: Sequence[str] | None = None) -> int:
    """Build all documents; with ``--check`` also verify the text reads back intact."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="read every output back and verify its text")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    problems: list[str] = []
    for module in load_sources():
        target = build(module)
        if args.check:
            problems.extend(check(module, target))
    for problem in problems:
        logger.error(problem)
    if args.check and not problems:
        logger.info("read-back check passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
