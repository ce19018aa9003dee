"""Block Kit messages of the bot: answer, numbered sources, 👍/👎 buttons, the comment modal.

Built with ``slack_sdk.models.blocks`` (which also validates Slack's per-block limits). A long
answer becomes several messages, each under 50 blocks; the buttons go on the last one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from assistant.text.links import allowed_urls
from assistant.types import Answer, Source
from bots.slack import messages
from bots.slack.formatting import (
    BLOCKS_PER_MESSAGE,
    MESSAGE_CHAR_LIMIT,
    escape,
    link,
    safe_mrkdwn,
    split_lines,
    split_text,
)

FEEDBACK_UP = "feedback_up"
FEEDBACK_DOWN = "feedback_down"
FEEDBACK_MODAL = "feedback_comment"
COMMENT_BLOCK = "comment"
COMMENT_INPUT = "comment_input"
_FALLBACK_CHARS = 300


@dataclass
class SlackMessage:
    """Arguments of one ``chat.postMessage``: blocks and the notification fallback text."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def as_kwargs(self) -> dict[str, Any]:
        return {"text": self.text, "blocks": [b.to_dict() for b in self.blocks]}


def answer_messages(answer: Answer) -> list[SlackMessage]:
    """The answer text, its warnings, the numbered source list and the feedback buttons."""
    text = safe_mrkdwn(answer.answer, allowed_urls(answer.sources))
    blocks: list[Block] = [_section(piece) for piece in split_text(text)]
    if answer.related_note:  # a follow-up: say what it was read as, right under the answer
        blocks.append(
            ContextBlock(elements=[MarkdownTextObject(text=f"↪ {escape(answer.related_note)}"[:2000])])
        )
    if answer.warnings:
        notes = " · ".join(escape(w) for w in answer.warnings)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"⚠️ {notes}"[:2000])]))
    blocks.extend(source_blocks(answer.sources))
    blocks.append(feedback_buttons(answer.answer_id))
    return _paginate(blocks, fallback=text)


def source_blocks(sources: list[Source]) -> list[Block]:
    """The sources as a numbered list: title (linked when a URL exists), type, section."""
    if not sources:
        return []
    lines = [messages.SOURCES_HEADING] + [source_line(s) for s in sources]
    return [_section(text) for text in split_lines(lines)]


def source_line(source: Source) -> str:
    """``1. <url|Titel> (domain) – Praxisbeispiel, S. 3, Abschnitt``."""
    kind = messages.DOC_TYPE_LABELS.get(source.doc_type, source.doc_type)
    details = ", ".join(part for part in (kind, source.location) if part)
    return f"{source.n}. {link(source.url, source.title or source.doc_id)} – {escape(details)}"


def feedback_buttons(answer_id: str) -> ActionsBlock:
    return ActionsBlock(
        block_id="feedback",
        elements=[
            ButtonElement(text=messages.FEEDBACK_UP, action_id=FEEDBACK_UP, value=answer_id),
            ButtonElement(text=messages.FEEDBACK_DOWN, action_id=FEEDBACK_DOWN, value=answer_id),
        ],
    )


def text_message(text: str) -> SlackMessage:
    """A plain message (already safe mrkdwn), split into section blocks when long."""
    return SlackMessage(text=_fallback(text), blocks=[_section(piece) for piece in split_text(text)])


def feedback_modal(answer_id: str, channel: str, thread_ts: str) -> View:
    """Modal asking what was wrong; submitting or closing it stores the 👎."""
    return View(
        type="modal",
        callback_id=FEEDBACK_MODAL,
        notify_on_close=True,
        private_metadata=json.dumps({"answer_id": answer_id, "channel": channel, "thread_ts": thread_ts}),
        title=PlainTextObject(text=messages.FEEDBACK_MODAL_TITLE[:24]),
        submit=PlainTextObject(text=messages.FEEDBACK_MODAL_SUBMIT),
        close=PlainTextObject(text=messages.FEEDBACK_MODAL_CLOSE),
        blocks=[
            InputBlock(
                block_id=COMMENT_BLOCK,
                optional=True,
                label=PlainTextObject(text=messages.FEEDBACK_MODAL_LABEL),
                hint=PlainTextObject(text=messages.FEEDBACK_MODAL_HINT),
                element=PlainTextInputElement(action_id=COMMENT_INPUT, multiline=True, max_length=3000),
            )
        ],
    )


def _section(text: str) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=text))


def _paginate(blocks: list[Block], fallback: str) -> list[SlackMessage]:
    """Group blocks into messages of at most 50 blocks and MESSAGE_CHAR_LIMIT characters."""
    pages: list[list[Block]] = [[]]
    size = 0
    for block in blocks:
        length = len(json.dumps(block.to_dict(), ensure_ascii=False))
        if pages[-1] and (len(pages[-1]) >= BLOCKS_PER_MESSAGE or size + length > MESSAGE_CHAR_LIMIT):
            pages.append([])
            size = 0
        pages[-1].append(block)
        size += length
    first = _fallback(fallback)
    return [SlackMessage(text=first if i == 0 else "…", blocks=page) for i, page in enumerate(pages)]


def _fallback(text: str) -> str:
    """Notification text: the beginning of the message, cut at a word and never inside ``&amp;``."""
    pieces = split_text(text, _FALLBACK_CHARS)
    return pieces[0] if pieces else "…"
