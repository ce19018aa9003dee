"""The LLM draft writer: a chat model writes each part as prose from that part's passages only.

Per part, the passages that the extractive choice found (the same on-topic evidence) are sent,
numbered and delimited exactly as for answers (:func:`assistant.generation.chat_messages.build_messages`),
with the German drafting prompt in ``prompts/draft_de.txt``. The reply goes through the same
checks as answers: links the sources do not contain are removed, citations to unknown sources
dropped (:func:`assistant.generation.citations.check_citations`), and each paragraph without a
citation is reported. Part-local numbers are then rewritten to the draft's global numbering.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.drafting.base import DraftContext, WrittenPart, choose_statements
from assistant.drafting.extractive import OPEN, extract_part, gap_part
from assistant.drafting.gather import PartEvidence
from assistant.drafting.measures import FIELDS
from assistant.drafting.models import DraftBlock, DraftPart
from assistant.generation.base import NOTHING_FOUND
from assistant.generation.chat_messages import build_messages, says_nothing_found
from assistant.generation.chat_model import create_chat_model, translate_error
from assistant.generation.citations import allowed_urls, check_citations, neutralise_output
from assistant.text.citation_markers import CITATION_MARKER, renumber_markers
from assistant.types import Citation, Source

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.config import Settings

log = logging.getLogger(__name__)

PROMPT_FILE = Path(__file__).parent / "prompts" / "draft_de.txt"
_FIELDS_LINE = re.compile(r"^\s*(?:[-*•]\s*)?(?:\*\*)?Priorität(?:\*\*)?\s*:", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")


@lru_cache(maxsize=1)
def draft_system_prompt() -> str:
    """The German drafting prompt, with the exact abstention sentence filled in."""
    return PROMPT_FILE.read_text(encoding="utf-8").replace("{nothing_found}", NOTHING_FOUND).strip()


class LLMDraftWriter:
    """Prose per part from the part's passages, checked like answers, numbered for the whole draft."""

    mode = "llm"

    def __init__(
        self,
        chat_model: BaseChatModel,
        *,
        max_source_chars: int = 1500,
        timeout_s: float | None = None,
        endpoint: str | None = None,
    ) -> None:
        self.chat_model = chat_model
        self.max_source_chars = max_source_chars
        self.timeout_s = timeout_s
        self.endpoint = endpoint

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> LLMDraftWriter:
        """A writer for the server and model named in ``settings`` (the answers' client)."""
        return cls(
            create_chat_model(settings),
            timeout_s=settings.llm_timeout_s,
            endpoint=settings.llm_base_url,
            **kwargs,
        )

    def write(self, evidence: PartEvidence, index: int, context: DraftContext) -> WrittenPart:
        spec = evidence.spec
        statements = [] if evidence.gap else choose_statements(evidence, index, context)
        if not statements:
            return WrittenPart(gap_part(spec))
        chunks = list({s.passage.chunk.chunk_id: s.passage.chunk for s in statements}.values())
        local = [Source.from_chunk(n, chunk) for n, chunk in enumerate(chunks, start=1)]
        messages = build_messages(
            self._task(evidence, context), local, self.max_source_chars, with_examples=False
        )
        messages[0] = ("system", draft_system_prompt())
        try:
            reply = self.chat_model.invoke(messages)
        except Exception as exc:
            error = translate_error(exc, timeout_s=self.timeout_s, endpoint=self.endpoint)
            if error is None:
                raise
            log.warning(
                "llm draft call failed: endpoint=%s error=%s cause=%r", self.endpoint, error.code, exc
            )
            raise error from exc
        text = reply.text.strip()
        if not text or says_nothing_found(text):
            return WrittenPart(gap_part(spec))
        check = check_citations(neutralise_output(text, allowed_urls(local)), local)
        global_numbers = {
            s.n: context.numbering.number(chunks[s.n - 1]) for s in local if s.n in check.cited_numbers
        }
        body = renumber_markers(check.text, global_numbers.__getitem__)
        blocks = parse_blocks(body, measures=spec.measures)
        citations = [
            Citation(n=global_numbers[c.n], chunk_id=c.chunk_id, doc_id=c.doc_id, sentence=c.sentence)
            for c in check.citations
        ]
        warnings = [f"{spec.title}: {w}" for w in check.warnings()]
        uncited = sum(1 for b in blocks if b.kind != "note" and not CITATION_MARKER.search(b.text))
        if uncited:
            warnings.append(f"{spec.title}: {uncited} Absatz/Absätze ohne Quellenangabe")
        if not global_numbers:
            # The part has evidence, but the model cited none of it: its text cannot be checked, so
            # the reader gets the cited statements instead of a false "no evidence" gap.
            fallback = extract_part(spec, statements, context)
            fallback.warnings.extend(
                [
                    *warnings,
                    f"{spec.title}: Das Sprachmodell hat keine Quelle zitiert; dieser Teil ist "
                    "eine Materialsammlung aus den Quellen.",
                ]
            )
            return fallback
        part = DraftPart(key=spec.key, title=spec.title, blocks=blocks, numbered=spec.numbered)
        return WrittenPart(part, citations, warnings)

    def _task(self, evidence: PartEvidence, context: DraftContext) -> str:
        from assistant.drafting.structure import load_structure

        request = context.request
        words = context.words if context.words else int(80 + 60 * (request.length or 1.0))
        notes = f" Hinweise des Autors: {request.notes}" if request.notes else ""
        kind = load_structure().types[request.doc_type].title
        form = ""
        if "stichpunkte" in (request.form or ()):
            form = " Schreibe Stichpunkte (jede Zeile beginnt mit „- “), keinen Fließtext."
        if evidence.spec.numbered:
            form += " Schreibe eine nummerierte Liste (1., 2., …)."
        return (
            f"Schreibe den Teil „{evidence.spec.title}“ des Dokuments „{kind}: {request.topic}“ für "
            f"{request.profile.describe()}. {evidence.spec.instruction}{form} Umfang: höchstens "
            f"{words} Wörter.{notes}"
        )


def parse_blocks(text: str, *, measures: bool = False) -> list[DraftBlock]:
    """Paragraphs and list items of the model's text; in measure lists the "Priorität: …" line
    becomes the fields of the measure above it."""
    blocks: list[DraftBlock] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(DraftBlock(kind="paragraph", text=" ".join(paragraph)))
            paragraph.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if measures and _FIELDS_LINE.match(stripped) and blocks and blocks[-1].kind == "measure":
            blocks[-1].fields = _fields(stripped)
            continue
        if _ITEM.match(stripped):
            flush()
            item = _ITEM.sub("", stripped).replace("**", "")
            if measures:
                blocks.append(DraftBlock(kind="measure", text=item, fields={name: OPEN for name in FIELDS}))
            else:
                blocks.append(DraftBlock(kind="item", text=item))
            continue
        paragraph.append(stripped)
    flush()
    return blocks


def _fields(line: str) -> dict[str, str]:
    found = {name: OPEN for name in FIELDS}
    line = re.sub(r"^\s*[-*•]\s*", "", line).replace("**", "")
    for piece in re.split(r"[;·|]", line):
        name, _, value = piece.partition(":")
        name = name.strip()
        for canonical in FIELDS:
            if name.lower().startswith(canonical.lower()[:8]) and value.strip():
                found[canonical] = value.strip()
    return found
