"""Loaders on real files of every format, metadata, and every kind of bad input."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from assistant.errors import (
    CorruptDocumentError,
    DocumentError,
    EmptyDocumentError,
    EncryptedDocumentError,
    FileTooLargeError,
    SuspiciousArchiveError,
    UnsupportedFormatError,
)
from ingestion.document import LoadedDocument
from ingestion.loaders import SUPPORTED_EXTENSIONS, is_sidecar, load_document
from ingestion.loaders.archive_guard import check_zip_archive
from ingestion.loaders.metadata import split_front_matter
from ingestion.loaders.text import decode_text, parse_plain_text


def _load(path: Path, limits: dict[str, int]) -> LoadedDocument:
    return load_document(path, **limits)


def _kinds(doc: LoadedDocument) -> list[tuple[str, str, int]]:
    return [(block.kind, block.text, block.level) for block in doc.blocks]


# --- formats ---------------------------------------------------------------------------------


def test_docx_headings_lists_table_and_title(docx_file: Path, limits: dict[str, int]) -> None:
    doc = _load(docx_file, limits)

    assert doc.title == "Digitale Agenda Musterstadt"
    assert _kinds(doc) == [
        ("heading", "Digitale Agenda der Stadt Musterstadt", 1),
        (
            "paragraph",
            "Die Digitalisierung der Verwaltung ist für Bürgerinnen und Bürger ein großes Thema.",
            0,
        ),
        ("heading", "Handlungsfelder", 2),
        ("list_item", "Digitale Verwaltung", 1),
        ("list_item", "Bildung und Teilhabe", 1),
        ("list_item", "Offene Daten", 2),
        ("table", "Maßnahme | Jahr\nOpen-Data-Portal | 2024", 0),
        ("paragraph", "Schlussbemerkung über Straßenbeleuchtung.", 0),
    ]


def test_odt_headings_nested_list_table_and_title(odt_file: Path, limits: dict[str, int]) -> None:
    doc = _load(odt_file, limits)

    assert doc.title == "Smart-City-Strategie Musterdorf"
    assert _kinds(doc) == [
        ("heading", "Smart-City-Strategie", 1),
        ("paragraph", "Die Gemeinde Musterdorf stärkt ihre Bürgerbeteiligung.", 0),
        ("heading", "Maßnahmen", 2),
        ("list_item", "Glasfaserausbau", 1),
        ("list_item", "Förderantrag stellen", 2),
        ("list_item", "Digitale Schule", 1),
        ("table", "Schritt | Quartal\nAusschreibung | Q3", 0),
    ]


def test_pdf_pages_headings_and_dehyphenation(pdf_file: Path, limits: dict[str, int]) -> None:
    doc = _load(pdf_file, limits)

    assert doc.title == "Digitale Agenda Musterstadt"
    assert [(block.kind, block.page) for block in doc.blocks] == [
        ("heading", 1),
        ("paragraph", 1),
        ("paragraph", 1),
        ("heading", 2),
        ("list_item", 2),
        ("list_item", 2),
        ("paragraph", 2),
    ]
    first, second = doc.blocks[1].text, doc.blocks[2].text
    assert first == (
        "Die Digitalisierung der Verwaltung ist für Bürgerinnen und Bürger ein großes Thema. "
        "Smart-City-Projekte und E-Government gehören zusammen."
    )
    assert (
        second == "Der zweite Absatz nennt den Bürger- und Unternehmensservice sowie die Öffnung der Daten."
    )
    assert doc.blocks[0].level < doc.blocks[3].level  # 16 pt above 14 pt
    assert doc.blocks[4].text == "Digitale Verwaltung"
    assert "Straßen" in doc.blocks[6].text


def test_html_main_text_without_navigation_and_footer(html_file: Path, limits: dict[str, int]) -> None:
    doc = _load(html_file, limits)
    text = doc.text()

    assert doc.title == "Digitale Agenda der Stadt Musterstadt"
    assert doc.metadata["url"] == "https://www.musterstadt.de/digitale-agenda"
    assert ("heading", "Handlungsfelder", 2) in _kinds(doc)
    assert ("list_item", "Bildung und digitale Teilhabe", 1) in _kinds(doc)
    assert "Über 800 Beiträge" in text
    for boilerplate in ("Startseite", "Bürgerservice", "Cookies", "Impressum", "Teilen auf", "© 2024"):
        assert boilerplate not in text


def test_markdown_front_matter_and_structure(markdown_file: Path, limits: dict[str, int]) -> None:
    doc = _load(markdown_file, limits)

    assert doc.title == "Digitalstrategie Musterstadt"  # front matter beats the first H1
    assert doc.metadata == {
        "title": "Digitalstrategie Musterstadt",
        "doc_type": "strategie",
        "municipality": "Musterstadt",
        "date": "2023-05-04",
        "handlungsfelder": ["verwaltung", "bildung"],
    }
    assert _kinds(doc) == [
        ("heading", "Digitalstrategie", 1),
        ("paragraph", "Die Digitalstrategie beschreibt unsere Ziele für die Jahre 2023 bis 2027.", 0),
        ("heading", "Umsetzung und Förderung", 2),
        ("list_item", "Glasfaser für alle Ortsteile", 1),
        ("list_item", "Digitale Schule", 1),
        ("list_item", "Tablets für Grundschulen", 2),
        ("table", "Maßnahme | Jahr\nWLAN im Rathaus | 2024", 0),
    ]


@pytest.mark.parametrize("fixture", ["txt_utf8_bom", "txt_cp1252"])
def test_txt_encodings_and_structure(
    fixture: str, request: pytest.FixtureRequest, limits: dict[str, int]
) -> None:
    doc = _load(request.getfixturevalue(fixture), limits)

    assert doc.title == "Digitale Agenda Musterstadt"
    assert not doc.blocks[0].text.startswith("\ufeff")
    assert _kinds(doc)[:5] == [
        ("heading", "Digitale Agenda Musterstadt", 1),
        (
            "paragraph",
            "Die Stadt Musterstadt will die Digitalisierung der Verwaltung für alle Bürgerinnen und Bürger "
            "voranbringen und gemeinsam mit der Stadtgesellschaft gestalten.",
            0,
        ),
        ("heading", "Handlungsfelder", 2),
        ("list_item", "Digitale Verwaltung", 1),
        (
            "list_item",
            "Straßenbeleuchtung und Energie\n"
            "Intelligente Straßenlaternen sparen Energie und erhöhen die Sicherheit.",
            1,
        ),
    ]
    text = doc.text()
    assert "Ã" not in text and "\ufffd" not in text
    if fixture == "txt_cp1252":
        assert "Größe, Übergänge und „Zitate“ – fertig." in text


def test_decode_text_prefers_utf8_then_cp1252() -> None:
    assert decode_text("Grüße".encode(), source="x") == "Grüße"
    assert decode_text("Grüße".encode("utf-8-sig"), source="x") == "Grüße"
    assert decode_text("Grüße „so“".encode("cp1252"), source="x") == "Grüße „so“"
    assert decode_text("Straße".encode("utf-16"), source="x") == "Straße"


def test_plain_text_numbered_heading_and_hard_wrapped_paragraphs() -> None:
    blocks, title = parse_plain_text(
        "1. NUR INTEGRIERTE STRATEGIEN FUNKTIONIEREN\n\n"
        "Da die Digitalisierung alle Bereiche der Stadtentwicklung umfasst, muss auch die Strategie "
        "einen integrierten Ansatz verfolgen.\n\n"
        "Dieser Absatz ist hart umbrochen, wie in einer E-Mail, und die\n"
        "Zeilen sind ungefähr gleich lang, damit man die Digitali-\n"
        "sierung gut erkennen kann und alles zusammengefügt wird.\n"
    )
    assert title is None or title.startswith("1.")
    assert blocks[0].kind == "heading" and blocks[0].text == "1. NUR INTEGRIERTE STRATEGIEN FUNKTIONIEREN"
    assert blocks[-1].kind == "paragraph"
    assert "die Zeilen" in blocks[-1].text and "Digitalisierung gut" in blocks[-1].text


def test_txt_front_matter(tmp_path: Path, limits: dict[str, int]) -> None:
    path = tmp_path / "notiz.txt"
    path.write_text(
        "---\ndoc_type: protokoll\nid: p-1\n---\nProtokoll der Sitzung\n\nText.\n", encoding="utf-8"
    )

    doc = _load(path, limits)

    assert doc.metadata == {"doc_type": "protokoll", "id": "p-1"}
    assert "doc_type" not in doc.text()


# --- metadata ----------------------------------------------------------------------------------


@pytest.mark.parametrize("sidecar_name", ["agenda.docx.meta.yaml", "agenda.meta.yaml"])
def test_sidecar_overrides_document_properties(
    docx_file: Path, sidecar_name: str, limits: dict[str, int]
) -> None:
    sidecar = docx_file.with_name(sidecar_name)
    sidecar.write_text(
        "title: Digitale Agenda 2030\nmunicipality: Musterstadt\ndoc_sets: [agenden]\n", encoding="utf-8"
    )

    doc = _load(docx_file, limits)

    assert doc.title == "Digitale Agenda 2030"
    assert doc.metadata == {
        "title": "Digitale Agenda 2030",
        "municipality": "Musterstadt",
        "doc_sets": ["agenden"],
    }
    assert is_sidecar(sidecar)
    assert not is_sidecar(docx_file)


def test_sidecar_overrides_front_matter(markdown_file: Path, limits: dict[str, int]) -> None:
    markdown_file.with_name("strategie.md.meta.yaml").write_text("doc_type: konzept\n", encoding="utf-8")

    doc = _load(markdown_file, limits)

    assert doc.metadata["doc_type"] == "konzept"
    assert doc.metadata["municipality"] == "Musterstadt"


def test_invalid_sidecar_yaml_names_the_sidecar(docx_file: Path, limits: dict[str, int]) -> None:
    sidecar = docx_file.with_name("agenda.docx.meta.yaml")
    sidecar.write_text("title: [nicht geschlossen\n", encoding="utf-8")

    with pytest.raises(DocumentError) as info:
        _load(docx_file, limits)

    assert str(sidecar) in str(info.value)
    assert "YAML" in info.value.message


def test_invalid_front_matter_names_the_file(tmp_path: Path, limits: dict[str, int]) -> None:
    path = tmp_path / "kaputt.md"
    path.write_text("---\ntitle: a: b: c\n---\n# Text\n", encoding="utf-8")

    with pytest.raises(DocumentError) as info:
        _load(path, limits)

    assert str(path) in str(info.value)


def test_front_matter_needs_mapping_lines() -> None:
    text = "---\nNur ein Trennstrich am Anfang.\n\n---\n"
    assert split_front_matter(text, source="x") == ({}, text)


def test_sidecar_is_not_a_document(docx_file: Path, limits: dict[str, int]) -> None:
    sidecar = docx_file.with_name("agenda.meta.yaml")
    sidecar.write_text("title: x\n", encoding="utf-8")

    with pytest.raises(UnsupportedFormatError):
        _load(sidecar, limits)


# --- bad input ---------------------------------------------------------------------------------


def test_encrypted_pdf(encrypted_pdf: Path, limits: dict[str, int]) -> None:
    with pytest.raises(EncryptedDocumentError) as info:
        _load(encrypted_pdf, limits)
    assert str(encrypted_pdf) in str(info.value)
    assert "passwortgeschützt" in info.value.message


def test_corrupt_pdf(corrupt_pdf: Path, limits: dict[str, int]) -> None:
    with pytest.raises(CorruptDocumentError) as info:
        _load(corrupt_pdf, limits)
    assert str(corrupt_pdf) in str(info.value)


def test_empty_file(empty_file: Path, limits: dict[str, int]) -> None:
    with pytest.raises(EmptyDocumentError) as info:
        _load(empty_file, limits)
    assert str(empty_file) in str(info.value)


def test_whitespace_only_file_is_empty(tmp_path: Path, limits: dict[str, int]) -> None:
    path = tmp_path / "leerzeilen.md"
    path.write_text("\n\n   \n", encoding="utf-8")
    with pytest.raises(EmptyDocumentError):
        _load(path, limits)


def test_binary_junk_named_txt(binary_txt: Path, limits: dict[str, int]) -> None:
    with pytest.raises(CorruptDocumentError) as info:
        _load(binary_txt, limits)
    assert str(binary_txt) in str(info.value)


def test_unsupported_extension_lists_supported_ones(unsupported_file: Path, limits: dict[str, int]) -> None:
    with pytest.raises(UnsupportedFormatError) as info:
        _load(unsupported_file, limits)
    assert str(unsupported_file) in str(info.value)
    for extension in SUPPORTED_EXTENSIONS:
        assert extension in info.value.message


def test_file_over_size_limit(pdf_file: Path) -> None:
    with pytest.raises(FileTooLargeError) as info:
        load_document(pdf_file, max_bytes=100, max_unpacked_bytes=10**9)
    assert str(pdf_file) in str(info.value)


def test_missing_file(tmp_path: Path, limits: dict[str, int]) -> None:
    missing = tmp_path / "fehlt.pdf"
    with pytest.raises(DocumentError) as info:
        _load(missing, limits)
    assert str(missing) in str(info.value)


def test_docx_zip_bomb_is_refused_before_unpacking(docx_zip_bomb: Path, limits: dict[str, int]) -> None:
    assert docx_zip_bomb.stat().st_size < 3 * 1024 * 1024
    with pytest.raises(SuspiciousArchiveError) as info:
        _load(docx_zip_bomb, limits)
    assert str(docx_zip_bomb) in str(info.value)


def test_archive_guard_total_size_limit(odt_file: Path) -> None:
    with pytest.raises(SuspiciousArchiveError):
        check_zip_archive(odt_file, max_unpacked_bytes=100)
    check_zip_archive(odt_file, max_unpacked_bytes=10**7)


def test_docx_that_is_not_a_zip(tmp_path: Path, limits: dict[str, int]) -> None:
    path = tmp_path / "falsch.docx"
    path.write_text("Das ist gar kein Word-Dokument.", encoding="utf-8")
    with pytest.raises(CorruptDocumentError) as info:
        _load(path, limits)
    assert str(path) in str(info.value)


def test_zip_that_is_not_a_docx(tmp_path: Path, limits: dict[str, int]) -> None:
    path = tmp_path / "archiv.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "kein Office-Dokument")
    with pytest.raises(CorruptDocumentError) as info:
        _load(path, limits)
    assert str(path) in str(info.value)


def test_password_protected_docx_is_reported_as_encrypted(tmp_path: Path, limits: dict[str, int]) -> None:
    # Encrypted OOXML is an OLE compound file with an "EncryptionInfo" stream, not a zip.
    path = tmp_path / "geschuetzt.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le"))
    with pytest.raises(EncryptedDocumentError) as info:
        _load(path, limits)
    assert str(path) in str(info.value)


def test_password_protected_odt_is_reported_as_encrypted(odt_file: Path, limits: dict[str, int]) -> None:
    path = odt_file.with_name("geschuetzt.odt")
    with zipfile.ZipFile(odt_file) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "META-INF/manifest.xml":
                data = data.replace(b"/>", b"><manifest:encryption-data/></manifest:file-entry>", 1)
            target.writestr(member, data)
    with pytest.raises(EncryptedDocumentError):
        _load(path, limits)
