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

    A document without a footnotes part (python-docx's default template) gets a new one. A
    template's own part is kept for its separators, without the template's footnotes (their
    references went with its body text); its footnote styles are used where it defines them.
    """

    def __init__(self, document: Document) -> None:
        part = document.part
        existing = [
            rel
            for rel in part.rels.values()
            if rel.reltype == RELATIONSHIP_TYPE.FOOTNOTES and not rel.is_external
        ]
        self._footnotes: BaseOxmlElement = parse_xml(_SEPARATORS)
        for rel in existing:
            kept = _separators_of(rel.target_part.blob)
            self._footnotes = kept if kept is not None else self._footnotes
            del part.rels[rel.rId]  # replaced by the part below, under the same name
        footnotes_part = XmlPart(
            PackURI(FOOTNOTES_PARTNAME), CONTENT_TYPE.WML_FOOTNOTES, self._footnotes, part.package
        )
        part.relate_to(footnotes_part, RELATIONSHIP_TYPE.FOOTNOTES)
        self._text_style, self._reference_style = self._add_styles(document)
        self._declare_separators(document)
        # Separators are -1 and 0 in Word's files, 0 and 1 in some older ones.
        self._next_id = 1 + max((int(f.get(qn("w:id"), "0")) for f in self._footnotes), default=0)

    @staticmethod
    def _add_styles(document: Document) -> tuple[str, str]:
        """The ids of the footnote text and reference styles, added where the document lacks them
        (a German Word template names them "footnote text" but gives them other ids)."""
        styles = document.styles.element
        ids = []
        for xml in _STYLES:
            style = parse_xml(xml)
            own = styles.get_by_name(style.name_val)
            if own is None and styles.get_by_id(style.styleId) is None:
                styles.append(style)
            ids.append(own.styleId if own is not None else style.styleId)
        return ids[0], ids[1]

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

        reference = _styled_run(self._reference_style)
        ref = OxmlElement("w:footnoteReference")
        ref.set(qn("w:id"), str(footnote_id))
        reference.append(ref)
        paragraph._p.append(reference)

        footnote = OxmlElement("w:footnote")
        footnote.set(qn("w:id"), str(footnote_id))
        p = OxmlElement("w:p")
        p_pr = OxmlElement("w:pPr")
        p_style = OxmlElement("w:pStyle")
        p_style.set(qn("w:val"), self._text_style)
        p_pr.append(p_style)
        p.append(p_pr)
        own_mark = _styled_run(self._reference_style)
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
        run = _styled_run(self._reference_style)
        run.append(_text(","))
        paragraph._p.append(run)


def _separators_of(blob: bytes) -> BaseOxmlElement | None:
    """A template's footnotes part with only its separator footnotes (ids -1 and 0 by Word's
    convention, marked by ``w:type``); None when it has no separators to keep."""
    footnotes = parse_xml(blob)
    for footnote in footnotes.findall(qn("w:footnote")):
        if footnote.get(qn("w:type")) in (None, "normal"):
            footnotes.remove(footnote)
    return footnotes if len(footnotes) else None


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
