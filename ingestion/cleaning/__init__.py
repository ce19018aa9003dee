"""Cleaning: normalise characters, drop web boilerplate and placeholder text.

:func:`clean_document` returns a cleaned copy of a :class:`LoadedDocument`; what it
removed is reported in ``warnings`` (English, for maintainers, each naming the file).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace

from ingestion.cleaning.boilerplate import boilerplate_rule, strip_boilerplate
from ingestion.cleaning.normalize import normalize_text
from ingestion.cleaning.placeholder import find_placeholder_spans, remove_placeholders
from ingestion.document import Block, LoadedDocument

logger = logging.getLogger(__name__)

__all__ = ["clean_document"]

SNIPPET_CHARS = 60


def clean_document(doc: LoadedDocument) -> LoadedDocument:
    """A cleaned copy of ``doc``: normalised text, no boilerplate, no placeholder text.

    Blocks that end up empty are dropped. The input document is not modified.
    """
    source = str(doc.path)
    warnings = list(doc.warnings)

    blocks = [replace(block, text=normalize_text(block.text)) for block in doc.blocks]
    blocks = [block for block in blocks if block.text]

    blocks, removals = strip_boilerplate(blocks)
    if removals:
        rules = Counter(removal.rule for removal in removals)
        summary = ", ".join(f"{rule}: {count}" for rule, count in sorted(rules.items()))
        warnings.append(f"boilerplate removed from {source}: {len(removals)} lines ({summary})")
        logger.info("boilerplate removed path=%s lines=%d rules=%s", source, len(removals), summary)

    blocks, findings = remove_placeholders(blocks)
    for finding in findings:
        warnings.append(
            f"placeholder text ({finding.kind}: {finding.name}) removed from {source}: "
            f"'{_snippet(finding.snippet)}' ({finding.blocks} block{'s' if finding.blocks != 1 else ''})"
        )
        logger.warning(
            "placeholder text removed path=%s text=%s blocks=%d", source, finding.name, finding.blocks
        )

    blocks = _drop_empty(blocks)
    if doc.blocks and not blocks:
        warnings.append(f"no content left in {source} after cleaning")
        logger.warning("no content left after cleaning path=%s", source)

    # A declared title (front matter, sidecar) is kept; a guessed one may be boilerplate, and
    # then the first remaining heading stands in for it.
    if doc.title and doc.metadata.get("title"):
        title: str | None = normalize_text(doc.title)
    else:
        title = _clean_title(doc.title)
        if doc.title and title is None and blocks and blocks[0].kind == "heading":
            title = blocks[0].text
    return replace(
        doc,
        blocks=blocks,
        title=title,
        metadata=dict(doc.metadata),
        warnings=warnings,
    )


def _drop_empty(blocks: list[Block]) -> list[Block]:
    return [block for block in blocks if any(char.isalnum() for char in block.text)]


def _clean_title(title: str | None) -> str | None:
    """The title, unless it is itself boilerplate ("Webcontent-Anzeige") or filler text."""
    if not title:
        return None
    text = normalize_text(title)
    if not text or boilerplate_rule(text) is not None or find_placeholder_spans(text):
        return None
    return text


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"
