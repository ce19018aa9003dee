"""Seconds per page of text recognition (ocrmypdf, German) on full pages of real German text.

    python -m bench.ocr_pages [--pages 4] [--source corpus/strategy]

Renders the text of the Markdown/text files under SOURCE as full A4 pages (200 dpi, 11-pt-like
type, 45 lines a page) into an image-only PDF (with the OCR test's renderer), runs it through
:func:`ingestion.loaders.ocr.run_ocr` with the settings' options, and prints seconds per page and
the share of the rendered words found in the recognised text. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
import textwrap
import time
from pathlib import Path

from assistant.config import Settings
from ingestion.loaders.ocr import OcrOptions, ocr_command, run_ocr
from tests.ingestion.test_ocr import scanned_pdf

ROOT = Path(__file__).resolve().parent.parent
LINES_PER_PAGE = 45


def page_lines(source: Path, pages: int) -> list[list[str]]:
    """Wrapped lines of the files under ``source``, cut into ``pages`` pages."""
    files = [path for path in sorted(source.rglob("*")) if path.suffix in {".md", ".txt"}]
    text = " ".join(path.read_text(encoding="utf-8") for path in files)
    words = re.sub(r"[#*|`>_\[\]()]+", " ", text).split()
    lines = textwrap.wrap(" ".join(words), width=62)
    return [lines[i * LINES_PER_PAGE : (i + 1) * LINES_PER_PAGE] for i in range(pages)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--source", type=Path, default=ROOT / "corpus" / "strategy")
    args = parser.parse_args()
    if ocr_command() is None:
        raise SystemExit("ocrmypdf or tesseract-ocr-deu missing: apt-get install ocrmypdf tesseract-ocr-deu")
    from pypdf import PdfReader

    pages = page_lines(args.source, args.pages)
    options = OcrOptions.from_settings(Settings())
    with tempfile.TemporaryDirectory() as folder:
        scan, out = Path(folder) / "scan.pdf", Path(folder) / "ocr.pdf"
        scanned_pdf(scan, pages, font_size=32, line_height=44)
        started = time.perf_counter()
        seconds = run_ocr(scan, out, pages=len(pages), options=options)
        wall = time.perf_counter() - started
        recognised = " ".join(page.extract_text() for page in PdfReader(out).pages).split()
    rendered = [word for lines in pages for line in lines for word in line.split()]
    found = set(recognised)
    share = sum(1 for word in rendered if word in found) / max(1, len(rendered))
    print(f"ocr command: {' '.join(ocr_command() or ())}")
    print(f"load average: {os.getloadavg()[0]:.2f}")
    print(f"pages: {len(pages)}, words rendered: {len(rendered)}")
    print(f"ocr seconds: {seconds:.2f} total, {seconds / len(pages):.2f} per page (wall {wall:.2f})")
    print(f"rendered words found in the recognised text: {share:.1%}")


if __name__ == "__main__":
    main()
