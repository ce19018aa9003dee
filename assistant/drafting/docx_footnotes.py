"""Real Word footnotes for a python-docx document.

python-docx (1.2) reads and writes no footnotes, so this module builds what Word itself writes
with its OPC/XML layer: the ``word/footnotes.xml`` part with the separator (id -1) and
continuation separator (id 0) footnotes, its relationship from ``document.xml`` (the package
writes the content-type override for the part), the footnote ids in ``settings.xml``, the
built-in styles "footnote text" / "footnote reference", and a ``w:footnoteReference`` run per
footnote in the text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.text.paragraph import Paragraph

FOOTNOTES_PARTNAME = "/word/footnotes.xml"
TEXT_STYLE_ID = "FootnoteText"
REFERENCE_STYLE_ID = "FootnoteReference"

_SEPARATORS = f"""
<w:footnotes {nsdecls("w", "r")}>
  <w:footnote w:type="separator" w:id="-1">
    <w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:r><w:separator/></w:r></w:p>
  </w:footnote>
  <w:footnote w:type="continuationSeparator" w:id="0">
    <w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:r><w:continuationSeparator/></w:r></w:p>
  </w:footnote>
</w:footnotes>
"""

_STYLES = (
    f"""<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{TEXT_STYLE_ID}">
      <w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/>
      <w:unhideWhenUsed/>
      <w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>
      <w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>
    </w:style>""",
    f"""<w:style {nsdecls("w")} w:type="character" w:styleId="{REFERENCE_STYLE_ID}">
      <w:name w:val="footnote reference"/><w:basedOn w:val="DefaultParagraphFont"/>
      <w:uiPriority w:val="99"/><w:unhideWhenUsed/>
      <w:rPr><w:vertAlign w:val="superscript"/></w:rPr>
    </w:style>""",
)

# Children of w:settings that the schema puts after w:footnotePr (Word rejects other orders).
_SETTINGS_AFTER_FOOTNOTE_PR = (
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema",
    "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown",
    "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags",
    "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


class DocxFootnotes:
    """The footnotes of one document; :meth:`add` puts a footnote at the end of a paragraph.

    Made for a new document (python-docx's default template has no footnotes part); a
    document that already has one is refused rather than merged.
    """

    def __init__(self, document: Document) -> None:
        part = document.part
        if any(rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES for rel in part.rels.values()):
            raise ValueError("The document already has footnotes; DocxFootnotes only writes new ones.")
        self._footnotes: BaseOxmlElement = parse_xml(_SEPARATORS)
        footnotes_part = XmlPart(
            PackURI(FOOTNOTES_PARTNAME), CONTENT_TYPE.WML_FOOTNOTES, self._footnotes, part.package
        )
        part.relate_to(footnotes_part, RELATIONSHIP_TYPE.FOOTNOTES)
        self._add_styles(document)
        self._declare_separators(document)
        self._next_id = 1

    @staticmethod
    def _add_styles(document: Document) -> None:
        styles = document.styles.element
        for xml in _STYLES:
            style = parse_xml(xml)
            if styles.get_by_id(style.get(qn("w:styleId"))) is None:
                styles.append(style)

    @staticmethod
    def _declare_separators(document: Document) -> None:
        # Word writes the ids of the separator footnotes into the settings as well.
        settings = document.settings.element
        if settings.find(qn("w:footnotePr")) is None:
            footnote_pr = parse_xml(
                f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
            )
            settings.insert_element_before(footnote_pr, *_SETTINGS_AFTER_FOOTNOTE_PR)

    def add(self, paragraph: Paragraph, text: str) -> int:
        """Append a footnote reference to ``paragraph`` with ``text`` as the footnote; its id.

        Word numbers the footnotes (1, 2, 3 …). Not a custom mark such as "[3]"
        (``w:customMarkFollows``): LibreOffice 7.4 shows such a mark twice in the text.
        """
        footnote_id = self._next_id
        self._next_id += 1

        reference = _styled_run(REFERENCE_STYLE_ID)
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(footnote_id))
        reference.append(ref)
        paragraph._p.append(reference)

        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), str(footnote_id))
        p = OxmlElement("w:p")
        p_pr = OxmlElement("w:pPr")
        p_style = OxmlElement("w:pStyle")
        p_style.set(qn("w:val"), TEXT_STYLE_ID)
        p_pr.append(p_style)
        p.append(p_pr)
        own_mark = _styled_run(REFERENCE_STYLE_ID)
        own_mark.append(OxmlElement("w:footnoteRef"))
        p.append(own_mark)
        body = OxmlElement("w:r")
        body.append(_text(" " + text))
        p.append(body)
        footnote.append(p)
        self._footnotes.append(footnote)
        return footnote_id

    def add_separator(self, paragraph: Paragraph) -> None:
        """A superscript comma between two footnote references that follow each other ("²,³")."""
        run = _styled_run(REFERENCE_STYLE_ID)
        run.append(_text(","))
        paragraph._p.append(run)


def _styled_run(style_id: str) -> BaseOxmlElement:
    run = OxmlElement("w:r")
    r_pr = OxmlElement("w:rPr")
    r_style = OxmlElement("w:rStyle")
    r_style.set(qn("w:val"), style_id)
    r_pr.append(r_style)
    run.append(r_pr)
    return run


def _text(value: str) -> BaseOxmlElement:
    t = OxmlElement("w:t")
    t.text = value
    t.set(qn("xml:space"), "preserve")
    return t
