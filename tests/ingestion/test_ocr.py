"""Scanned PDFs: read by ocrmypdf where its tools are installed, refused with an install hint where not.

The scan is made here: German text drawn into an image with Pillow, saved as an image-only PDF.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from assistant.config import Settings
from assistant.errors import DocumentError, EmptyDocumentError
from assistant.service import Assistant
from assistant.types import OCR_SOURCE_NOTE, Source
from ingestion.loaders import load_document
from ingestion.loaders.ocr import OCR_NOTE, OcrOptions, ocr_command
from ingestion.pipeline import Ingestor

needs_ocr = pytest.mark.skipif(
    ocr_command() is None,
    reason="ocrmypdf or tesseract-ocr-deu missing (apt-get install ocrmypdf tesseract-ocr-deu)",
)

PAGES = [
    [
        "Beschlussvorlage Glasfaserausbau",
        "",
        "Der Gemeinderat beschließt den Ausbau der",
        "Glasfaserversorgung in allen Ortsteilen.",
        "Die Planung kostet 14.500 Euro und beginnt",
        "im Frühjahr mit der Bürgerbeteiligung.",
    ],
    [
        "Anlage: Zeitplan",
        "",
        "Die Ausschreibung der Tiefbauarbeiten folgt",
        "nach dem Beschluss über die Förderung.",
    ],
]


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for candidate in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(candidate, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def scanned_pdf(
    path: Path, pages: list[list[str]] = PAGES, *, font_size: int = 40, line_height: int = 70
) -> Path:
    """An image-only PDF (no text layer) of ``pages`` at 200 dpi, as a scanner writes it
    (bench/ocr_pages.py renders full pages with it)."""
    font = _font(font_size)
    images = []
    for lines in pages:
        image = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
        draw = ImageDraw.Draw(image)
        for number, line in enumerate(lines):
            draw.text((150, 160 + line_height * number), line, fill=0, font=font)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", resolution=200.0, save_all=True, append_images=images[1:])
    path.write_bytes(buffer.getvalue())
    return path


def test_the_rendered_scan_has_no_text_layer(tmp_path: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(scanned_pdf(tmp_path / "scan.pdf"))
    assert len(reader.pages) == 2
    assert all(not page.extract_text().strip() for page in reader.pages)


def test_scan_with_ocr_off_is_refused_naming_the_extra_and_packages(tmp_path: Path, limits) -> None:
    options = OcrOptions.from_settings(Settings(data_dir=tmp_path, ocr_enabled="off"))
    scan = scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(EmptyDocumentError) as caught:
        load_document(scan, **limits, ocr=options)
    message = caught.value.message
    assert caught.value.source == str(scan)
    assert "Scan ohne Texterkennung" in message
    assert "ASSISTANT_OCR_ENABLED=off" in message
    for hint in ("kommunal-assistant[ocr]", "ocrmypdf", "tesseract-ocr-deu"):
        assert hint in message


def test_scan_loaded_without_ocr_options_names_the_extra(tmp_path: Path, limits) -> None:
    with pytest.raises(EmptyDocumentError, match=r"kommunal-assistant\[ocr\].*tesseract-ocr-deu"):
        load_document(scanned_pdf(tmp_path / "scan.pdf"), **limits)


@needs_ocr
def test_a_pdf_with_text_is_not_recognised_again(pdf_file: Path, limits) -> None:
    document = load_document(pdf_file, **limits, ocr=OcrOptions(mode="on"))
    assert document.ocr is False
    assert not any(w.startswith(OCR_NOTE) for w in document.warnings)


@needs_ocr
def test_scan_over_the_page_limit_is_refused(tmp_path: Path, limits) -> None:
    options = OcrOptions.from_settings(Settings(data_dir=tmp_path, ocr_max_pages=1))
    with pytest.raises(DocumentError, match=r"2 Seiten.*höchstens 1 \(ASSISTANT_OCR_MAX_PAGES\)"):
        load_document(scanned_pdf(tmp_path / "scan.pdf"), **limits, ocr=options)


@needs_ocr
def test_ocr_past_its_timeout_is_stopped(tmp_path: Path, limits) -> None:
    options = OcrOptions.from_settings(Settings(data_dir=tmp_path, ocr_timeout_s=0.05))
    with pytest.raises(DocumentError, match=r"abgebrochen \(ASSISTANT_OCR_TIMEOUT_S\)"):
        load_document(scanned_pdf(tmp_path / "scan.pdf"), **limits, ocr=options)


@needs_ocr
def test_scan_is_ingested_by_ocr_searchable_and_marked(tmp_path: Path) -> None:
    from assistant.embeddings import create_embedder
    from assistant.index import Index

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    scanned_pdf(corpus / "beschlussvorlage-glasfaser.pdf")
    settings = Settings(data_dir=tmp_path / "data", ocr_enabled="on")
    embedder = create_embedder(settings)
    with Index(settings, embedder, write=True) as index:
        report = Ingestor(index, settings).run([corpus])
        again = Ingestor(index, settings).run([corpus])
        chunks = list(index.manifest.all_chunks())

    [result] = report.files
    assert result.status == "ok", result.reason
    assert result.ocr is True
    assert any(w.startswith(f"{OCR_NOTE} (2 Seiten, ") for w in result.warnings)
    assert report.to_json_dict()["files"][0]["ocr"] is True
    # An unchanged scan is not recognised again, and its report still says how it was read.
    assert again.files[0].status == "unchanged" and again.files[0].ocr is True

    text = " ".join(chunk.text for chunk in chunks)
    assert "Glasfaserversorgung" in text and "Tiefbauarbeiten" in text
    assert chunks and all(chunk.ocr for chunk in chunks)
    assert chunks[0].page == 1  # pages are kept: the recognised PDF is read by the ordinary loader

    with Assistant.open(settings, embedder=embedder) as assistant:
        hits = assistant.search("Wann beginnt die Ausschreibung der Tiefbauarbeiten?", k=3)
    assert hits and "Tiefbauarbeiten" in hits[0].chunk.text
    assert hits[0].to_result()["ocr"] is True
    source = Source.from_chunk(1, hits[0].chunk)
    assert source.ocr is True
    assert source.location.endswith(OCR_SOURCE_NOTE)
    assert source.location.startswith("S. 1")
