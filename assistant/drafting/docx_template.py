"""The Word document a DOCX draft is written into: python-docx's default, or a town's own template.

A corporate template (``ASSISTANT_DOCX_TEMPLATE``, a ``.dotx`` or ``.docx``) gives the draft its
styles, page setup, headers and footers; its own body text is left out. python-docx opens only
the document content type, so a ``.dotx`` is re-labelled in memory (the file is not changed).
Styles the exporter uses but the template does not define (Word saves only styles in use) are
copied from python-docx's default template, so a sparse template still renders.
"""

from __future__ import annotations

import copy
import io
import logging
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.errors import ConfigError

if TYPE_CHECKING:
    from docx.document import Document

log = logging.getLogger(__name__)

__all__ = ["TEMPLATE_SUFFIXES", "USED_STYLES", "new_document"]

TEMPLATE_SUFFIXES = frozenset({".docx", ".dotx"})
USED_STYLES = ("Title", "Heading 1", "List Bullet", "List Continue", "Table Grid")
"""Styles :func:`assistant.drafting.export_docx.render_docx` writes with."""

_CONTENT_TYPES = "[Content_Types].xml"
_TEMPLATE_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
_DOCUMENT_MAIN = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_SETTING = "ASSISTANT_DOCX_TEMPLATE"


def new_document(template: Path | None = None) -> Document:
    """An empty document to write a draft into: python-docx's default, or ``template`` emptied.

    :raises ConfigError: the template cannot be read or is no Word document (German, naming it).
    """
    from docx import Document as open_document

    if template is None:
        return open_document()
    if template.suffix.lower() not in TEMPLATE_SUFFIXES:
        raise _template_error(template, "ist keine Word-Vorlage (erwartet .dotx oder .docx)")
    try:
        data = template.read_bytes()
    except OSError as exc:
        raise _template_error(template, f"kann nicht gelesen werden ({exc.strerror or exc})") from exc
    try:
        document = open_document(io.BytesIO(_as_document_package(data)))
    except Exception as exc:  # noqa: BLE001 - zipfile, lxml and python-docx raise many types
        raise _template_error(template, f"ist keine lesbare Word-Datei ({type(exc).__name__})") from exc
    _clear_body(document)
    _add_missing_styles(document)
    log.debug("docx template opened path=%s", template)
    return document


def _template_error(template: Path, problem: str) -> ConfigError:
    return ConfigError(f"Die Word-Vorlage {template} ({_SETTING}) {problem}.")


def _as_document_package(data: bytes) -> bytes:
    """The package with a template's main part declared as a document's (python-docx refuses
    the template content type); a ``.docx`` comes back unchanged."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        content_types = source.read(_CONTENT_TYPES)
        if _TEMPLATE_MAIN not in content_types:
            return data
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                content = source.read(item.filename)
                if item.filename == _CONTENT_TYPES:
                    content = content.replace(_TEMPLATE_MAIN, _DOCUMENT_MAIN)
                target.writestr(item, content)
    return buffer.getvalue()


def _clear_body(document: Document) -> None:
    """Remove the template's own text and tables; the final section properties stay."""
    from docx.oxml.ns import qn

    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def _add_missing_styles(document: Document) -> None:
    """Copy the styles the exporter uses, and the styles they are based on, from python-docx's
    default template where the template lacks them. A copied style loses its list numbering:
    its numbering id would point into the template's own, different list definitions."""
    from docx import Document as open_document
    from docx.oxml.ns import qn
    from docx.styles import BabelFish

    styles = document.styles.element
    defaults = open_document().styles.element
    wanted = [BabelFish.ui2internal(name) for name in USED_STYLES]
    while wanted:
        name = wanted.pop()
        if styles.get_by_name(name) is not None:
            continue
        default = defaults.get_by_name(name)
        if default is None or styles.get_by_id(default.styleId) is not None:
            continue  # an id clash with another style of the template: keep the template's
        style = copy.deepcopy(default)
        for numbering in style.iter(qn("w:numPr")):
            numbering.getparent().remove(numbering)
        styles.append(style)
        log.debug("docx template lacks style %r: copied from the default template", name)
        based_on = defaults.get_by_id(style.basedOn_val) if style.basedOn_val else None
        if based_on is not None:
            wanted.append(based_on.name_val)
