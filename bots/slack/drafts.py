"""``/agenda-entwurf``: a draft section of a Digitale Agenda, posted as files in a thread.

The request is read by :func:`assistant.drafting.parse_request`; the draft comes from
``Assistant.draft`` with the channel's document sets. While it is made, one message in the
thread tells which part is being worked on („⏳ Entwurf wird erstellt … Teil 2 von 5: Maßnahmen
(Belege werden gesucht)“), updated with ``chat.update`` when a part starts its evidence search
and again when it starts being written. Then the thread gets the draft as a Markdown and a DOCX
file, and the progress message becomes the draft's summary: coverage (sources per part, gaps),
the numbered sources, warnings and the 👍/👎 buttons.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject

from assistant.errors import AssistantError
from assistant.text.folding import fold
from assistant.types import Answer
from bots.slack import messages
from bots.slack.blocks import SlackMessage, feedback_buttons, source_blocks, text_message
from bots.slack.channel_policy import ChannelPolicy
from bots.slack.formatting import escape, split_text
from bots.slack.responder import Placeholder, ThreadResponder, post
from bots.slack.slash_command import read_slash_command

if TYPE_CHECKING:
    from assistant.drafting import Draft
    from assistant.drafting.progress import DraftProgress

log = logging.getLogger(__name__)


class DraftHandlers:
    """Listener for the draft slash command."""

    def __init__(self, policy: ChannelPolicy, responder: ThreadResponder) -> None:
        self.policy = policy
        self.responder = responder

    def on_draft_command(self, command: dict[str, Any], client: WebClient, respond: Any) -> None:
        from assistant.drafting import parse_request

        slash = read_slash_command(self.policy, command, respond, messages.DRAFT_USAGE)
        if slash is None:
            return
        text, channel = slash.text, slash.channel
        try:
            request = parse_request(text)
        except (AssistantError, ValueError) as exc:  # the request itself is unclear: say why
            respond(text=escape(getattr(exc, "message", None) or str(exc)))
            return
        try:
            thread_ts = slash.open_thread(client, messages.draft_requested_by)
        except SlackApiError as exc:
            log.info("cannot post draft in channel=%s (%s)", channel, exc.response.get("error"))
            respond(text=messages.NOT_IN_CHANNEL_DRAFT)
            return
        placeholder = Placeholder(client, channel, thread_ts, messages.DRAFTING)
        progress = ProgressMessage(client, channel, placeholder)
        try:
            draft = self.responder.assistant.draft(request, slash.access, progress=progress)
            _upload(client, channel, thread_ts, draft, self.responder.assistant.docx(draft))
            # Remembered before it shows: a 👍 can come the moment the buttons are there.
            self.responder.remember(draft_as_answer(text, draft), text, channel, thread_ts)
            first, *rest = draft_messages(draft)
            if not progress.replace_with(first):
                post(client, channel, thread_ts, first)
            for message in rest:
                post(client, channel, thread_ts, message)
            log.info("draft posted channel=%s thread=%s draft_id=%s", channel, thread_ts, draft.draft_id)
        except Exception as exc:  # noqa: BLE001 - never silence
            self.responder.report_error(client, channel, thread_ts, exc)
        finally:
            placeholder.remove()


class ProgressMessage:
    """The placeholder, updated as each part of the draft starts a phase, then the draft itself."""

    def __init__(self, client: WebClient, channel: str, placeholder: Placeholder) -> None:
        self.client, self.channel, self.placeholder = client, channel, placeholder

    def __call__(self, step: DraftProgress) -> None:
        """A progress hook for ``Assistant.draft``: one update per part and phase (at its start)."""
        if step.status == "started":
            self._update(SlackMessage(text=escape(messages.draft_progress(step.describe()))))

    def replace_with(self, message: SlackMessage) -> bool:
        """Turn the progress message into ``message``; False when there is none or Slack refused."""
        if not self._update(message):
            return False
        self.placeholder.ts = None  # it is the draft now: not to be removed
        return True

    def _update(self, message: SlackMessage) -> bool:
        if self.placeholder.ts is None:
            return False
        try:
            self.client.chat_update(channel=self.channel, ts=self.placeholder.ts, **message.as_kwargs())
        except SlackApiError as exc:  # progress is a courtesy; the draft still comes
            log.warning("draft progress not updated channel=%s error=%s", self.channel, exc)
            return False
        return True


def draft_messages(draft: Draft) -> list[SlackMessage]:
    """Intro, coverage, warnings, numbered sources and feedback buttons (the text is in the file)."""
    intro = escape(messages.draft_intro(draft.title, draft.mode))
    intro += "\n" + escape(
        messages.draft_coverage(
            draft.coverage.total_sources, draft.coverage.total_documents, draft.coverage.gaps
        )
    )
    blocks: list[Block] = list(text_message(intro).blocks)
    if draft.warnings:
        notes = " · ".join(escape(str(w)) for w in draft.warnings)
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"⚠️ {notes}"[:2000])]))
    blocks.extend(source_blocks(list(draft.sources)))
    blocks.append(feedback_buttons(draft.draft_id))
    pages = [blocks[i : i + 50] for i in range(0, len(blocks), 50)]
    return [SlackMessage(text=split_text(intro, 300)[0], blocks=page) for page in pages]


def draft_as_answer(request_text: str, draft: Draft) -> Answer:
    """The draft in the shape feedback remembers (an Answer with the draft's id, text and sources)."""
    return Answer(
        answer_id=draft.draft_id,
        question=request_text,
        answer=draft.markdown,
        abstained=False,
        mode=draft.mode,
        sources=list(draft.sources),
    )


def _upload(client: WebClient, channel: str, thread_ts: str, draft: Draft, docx: bytes) -> None:
    """The draft as Markdown (readable in Slack) and DOCX (to edit in Word/LibreOffice) in the thread."""
    folded = fold(draft.title)
    name = "entwurf-" + (re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60] or "abschnitt")
    uploads: list[dict[str, Any]] = [
        {"filename": f"{name}.md", "content": draft.markdown, "title": f"{draft.title} (Markdown)"},
        {"filename": f"{name}.docx", "content": docx, "title": f"{draft.title} (DOCX)"},
    ]
    client.files_upload_v2(file_uploads=uploads, channel=channel, thread_ts=thread_ts)
