"""Answering in a thread: placeholder first, then the answer, or a friendly error — never silence."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from assistant.conversation import Turn
from assistant.feedback import FeedbackSource
from assistant.types import Answer
from bots.slack import messages
from bots.slack.assistant_access import AssistantAccess
from bots.slack.blocks import SlackMessage, answer_messages, text_message
from bots.slack.channel_policy import Access
from bots.slack.formatting import escape
from bots.slack.state import BotState

log = logging.getLogger(__name__)


def post(client: WebClient, channel: str, thread_ts: str | None, message: SlackMessage, **extra: Any) -> str:
    """``chat.postMessage`` without link previews; returns the new message's ts."""
    response = client.chat_postMessage(
        channel=channel,
        thread_ts=thread_ts,
        unfurl_links=False,
        unfurl_media=False,
        **message.as_kwargs(),
        **extra,
    )
    return str(response["ts"])


class Placeholder:
    """The "⏳ …" message in a thread while the bot works; removed once the result is posted."""

    def __init__(self, client: WebClient, channel: str, thread_ts: str, text: str) -> None:
        self.client, self.channel = client, channel
        self.ts: str | None = None
        try:
            self.ts = post(client, channel, thread_ts, SlackMessage(text=text))
        except SlackApiError as exc:  # progress is a courtesy; the answer still comes
            log.warning("placeholder not posted channel=%s error=%s", channel, exc)

    def remove(self) -> None:
        if self.ts is None:
            return
        try:
            self.client.chat_delete(channel=self.channel, ts=self.ts)
        except SlackApiError as exc:
            log.warning("placeholder not removed channel=%s ts=%s error=%s", self.channel, self.ts, exc)
        self.ts = None


class ThreadResponder:
    """Posts answers into Slack threads and remembers them for feedback and follow-ups."""

    def __init__(self, assistant: AssistantAccess, state: BotState) -> None:
        self.assistant = assistant
        self.state = state

    def answer(
        self,
        client: WebClient,
        *,
        channel: str,
        thread_ts: str,
        question: str,
        access: Access,
        user: str,
        earlier: Sequence[str] = (),
    ) -> None:
        """Answer ``question`` in the thread (``earlier``: the thread's earlier questions, so a
        follow-up is understood); any failure becomes a German message there."""
        placeholder = Placeholder(client, channel, thread_ts, messages.SEARCHING)
        try:
            answer = self.assistant.ask(question, access, history=[Turn(q) for q in earlier])
            # Remembered before posting: a 👍 or a follow-up can come the moment the answer shows.
            # A follow-up is kept as answered („… (Kessbach, openDesk)“): feedback then stands alone.
            self.remember(answer, answer.interpreted_as or question, channel, thread_ts)
            self.state.remember_thread(channel, thread_ts)
            for message in answer_messages(answer):
                post(client, channel, thread_ts, message)
            log.info(
                "answered channel=%s thread=%s user=%s answer_id=%s abstained=%s sources=%d",
                channel,
                thread_ts,
                user,
                answer.answer_id,
                answer.abstained,
                len(answer.sources),
            )
        except Exception as exc:  # noqa: BLE001 - the user must hear about every failure
            self.report_error(client, channel, thread_ts, exc)
        finally:
            placeholder.remove()

    def remember(self, answer: Answer, question: str, channel: str, thread_ts: str) -> None:
        """Keep what a 👍/👎 on this answer needs: question, answer text, cited sources."""
        self.state.save_answer(
            answer.answer_id,
            question=question,
            answer=answer.answer,
            sources=[FeedbackSource(doc_id=s.doc_id, title=s.title, text=s.text) for s in answer.sources],
            channel=channel,
            thread_ts=thread_ts,
        )

    @staticmethod
    def report_error(client: WebClient, channel: str, thread_ts: str | None, exc: BaseException) -> None:
        """Log the error with its traceback and tell the thread in German what happened."""
        log.exception("slack request failed channel=%s thread=%s", channel, thread_ts, exc_info=exc)
        try:
            post(client, channel, thread_ts, text_message(escape(messages.friendly_error(exc))))
        except Exception:  # noqa: BLE001 - Slack itself is failing; the log is all that is left
            log.exception("could not post the error message channel=%s thread=%s", channel, thread_ts)
