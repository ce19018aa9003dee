"""Zip-bomb guard for office formats (DOCX, ODT) that are zip archives.

The check reads only the zip's central directory, before anything is decompressed. The
declared sizes are a sound bound: Python's ``zipfile`` (used by python-docx and odfpy)
stops decompressing a member at its declared ``file_size`` and then fails the CRC check,
so an archive cannot unpack more than it declares.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from assistant.errors import CorruptDocumentError, EncryptedDocumentError, SuspiciousArchiveError

logger = logging.getLogger(__name__)

__all__ = ["MAX_MEMBERS", "MAX_RATIO", "RATIO_CHECK_MIN_BYTES", "check_zip_archive"]

# Password-protected DOCX files are not zips but OLE compound files holding an
# "EncryptionInfo" stream; legacy .doc files share the OLE signature.
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_ENCRYPTION_MARKER = "EncryptionInfo".encode("utf-16-le")
_ODF_MANIFEST = "META-INF/manifest.xml"

# Office XML compresses ~5–20:1; 100:1 on a member of several megabytes is a bomb.
MAX_RATIO = 100.0
# Small members may compress extremely well (an empty styles part) without being a risk.
RATIO_CHECK_MIN_BYTES = 5 * 1024 * 1024
MAX_MEMBERS = 10_000


def check_zip_archive(path: Path, *, max_unpacked_bytes: int) -> None:
    """Raise if ``path`` is not a readable zip or declares more content than allowed.

    :raises CorruptDocumentError: not a zip file, or a damaged central directory.
    :raises SuspiciousArchiveError: total declared size over ``max_unpacked_bytes``, too many
        members, or a large member with an absurd compression ratio.
    """
    source = str(path)
    _reject_ole_container(path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptDocumentError(
            "Die Datei ist beschädigt oder kein gültiges Office-Dokument (ZIP-Container nicht lesbar).",
            source=source,
        ) from exc

    if len(members) > MAX_MEMBERS:
        raise SuspiciousArchiveError(
            f"Das Dokument enthält ungewöhnlich viele Teile ({len(members)}) und wird "
            "aus Sicherheitsgründen nicht entpackt.",
            source=source,
        )

    total = 0
    for member in members:
        total += member.file_size
        if member.file_size >= RATIO_CHECK_MIN_BYTES:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > MAX_RATIO:
                logger.warning(
                    "suspicious zip member path=%s member=%s size=%d ratio=%.0f",
                    source,
                    member.filename,
                    member.file_size,
                    ratio,
                )
                raise SuspiciousArchiveError(
                    f"Das Dokument enthält einen extrem stark komprimierten Teil "
                    f"({_mb(member.file_size)} bei Kompression {ratio:.0f}:1) und wird aus "
                    "Sicherheitsgründen nicht entpackt (möglicherweise eine ZIP-Bombe).",
                    source=source,
                )
    if total > max_unpacked_bytes:
        raise SuspiciousArchiveError(
            f"Das Dokument würde entpackt {_mb(total)} belegen; erlaubt sind höchstens "
            f"{_mb(max_unpacked_bytes)}. Es wird aus Sicherheitsgründen nicht entpackt.",
            source=source,
        )
    _reject_encrypted_odf(path, members)


def _reject_ole_container(path: Path) -> None:
    """An OLE file with an office extension: encrypted OOXML or a legacy binary document."""
    with path.open("rb") as handle:
        head = handle.read(512 * 1024)
    if not head.startswith(_OLE_SIGNATURE):
        return
    if _OLE_ENCRYPTION_MARKER in head:
        raise EncryptedDocumentError(
            "Das Dokument ist kennwortgeschützt und kann nicht gelesen werden. "
            "Bitte eine Fassung ohne Kennwort ablegen.",
            source=str(path),
        )
    raise CorruptDocumentError(
        "Die Datei ist im alten Office-Binärformat (z. B. .doc) gespeichert, trägt aber eine andere "
        "Endung. Bitte als .docx oder .odt speichern.",
        source=str(path),
    )


def _reject_encrypted_odf(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """ODF files encrypt their parts in place and declare it in the manifest."""
    manifest = next((member for member in members if member.filename == _ODF_MANIFEST), None)
    if manifest is None or manifest.file_size > 1024 * 1024:
        return
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(manifest)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise CorruptDocumentError(
            "Die Datei ist beschädigt (Manifest nicht lesbar).", source=str(path)
        ) from exc
    if b"encryption-data" in data:
        raise EncryptedDocumentError(
            "Das Dokument ist kennwortgeschützt und kann nicht gelesen werden. "
            "Bitte eine Fassung ohne Kennwort ablegen.",
            source=str(path),
        )


def _mb(size: int) -> str:
    """A byte count as German megabytes, e.g. "300,0 MB"."""
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
