"""Markdown of a draft: title, the parts with their cited blocks, and the source list."""

from __future__ import annotations

from assistant.drafting.models import DraftBlock, DraftPart, DraftRequest
from assistant.drafting.structure import SOURCES_TITLE
from assistant.text.folding import fold
from assistant.types import Source


def draft_title(request: DraftRequest) -> str:
    """The draft's heading, e.g. "Digitale Souveränität – Gemeinde Auenried" or "Memo: Sollen wir …?"."""
    from assistant.drafting.structure import DEFAULT_TYPE, GENERIC_TYPE, load_structure

    heading = request.topic
    if request.doc_type not in (DEFAULT_TYPE, GENERIC_TYPE):
        kind = load_structure().types[request.doc_type].title
        heading = heading if fold(kind) in fold(heading) else f"{kind}: {heading}"
    who = request.profile.name
    return f"{heading} – {who}" if who else heading


def profile_line(request: DraftRequest) -> str:
    """German line naming the profile the draft was written for."""
    return f"Entwurf für: {request.profile.describe()}"


def source_line(source: Source) -> str:
    """One entry of the source list: title, document type, page/section, path or URL."""
    where = f"; {source.location}" if source.location else ""
    return f"[{source.n}] {source.title} ({source.doc_type}{where}) – {source.source}"


def fields_line(block: DraftBlock) -> str:
    return " · ".join(f"{name}: {value}" for name, value in block.fields.items())


def bullet(part: DraftPart, block: DraftBlock) -> str:
    """ "1." … for the steps of a numbered part (a Stufenplan), "-" otherwise."""
    if not part.numbered:
        return "-"
    listed = [b for b in part.blocks if b.kind in ("item", "measure")]
    return f"{next(i for i, b in enumerate(listed) if b is block) + 1}."


def render_markdown(
    title: str, request: DraftRequest, label: str, parts: list[DraftPart], sources: list[Source]
) -> str:
    """The whole draft as Markdown (the DOCX/ODT exports follow the same structure)."""
    lines = [f"# {title}", "", f"_{label}_", "", profile_line(request), ""]
    for part in parts:
        lines += [f"## {part.title}", ""]
        for block in part.blocks:
            if block.kind == "paragraph":
                lines += [block.text, ""]
            elif block.kind == "note":
                lines += [f"_{block.text}_", ""]
            elif block.kind == "measure":
                lines.append(f"{bullet(part, block)} **{block.text}**")
                if block.fields:
                    lines.append(f"  {fields_line(block)}")
            else:
                lines.append(f"{bullet(part, block)} {block.text}")
        if lines[-1] != "":
            lines.append("")
    lines += [f"## {SOURCES_TITLE}", ""]
    if sources:
        lines += [source_line(s) for s in sources]
    else:
        lines.append("_Keine Quellen zitiert._")
    return "\n".join(lines).rstrip() + "\n"
