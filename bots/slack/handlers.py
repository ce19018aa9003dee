"""What the bot does with @mentions, direct messages, thread follow-ups and ``/agenda-frage``.

Each listener is registered as a bolt *lazy* listener (see :mod:`bots.slack.app`): bolt
acknowledges the request at once and runs these methods on its thread pool afterwards, so
Slack gets its HTTP 200 within 3 seconds however long the answer takes.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bots.slack import messages
from bots.slack.blocks import answer_messages, text_message
from bots.slack.channel_policy import Access, ChannelPolicy
from bots.slack.conversation import earlier_questions, question_text
from bots.slack.formatting import escape
from bots.slack.responder import ThreadResponder, post
from bots.slack.slash_command import SlashCommand, read_slash_command
from bots.slack.state import BotState

log = logging.getLogger(__name__)

# Message subtypes that are a person writing; edits, joins, deletions and bot posts are not.
_HUMAN_SUBTYPES = (None, "thread_broadcast", "file_share")


class QuestionHandlers:
    """Listeners for questions; registered on the bolt app by :func:`bots.slack.app.create_slack_app`."""

    def __init__(self, policy: ChannelPolicy, state: BotState, responder: ThreadResponder) -> None:
        self.policy = policy
        self.state = state
        self.responder = responder

    # --- events -------------------------------------------------------------------------

    def on_mention(self, event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """``app_mention``: answer in the message's thread with the channel's document sets."""
        if _is_bot_message(event):
            return
        access = self.policy.access(event["channel"], event.get("user"), direct=False)
        self._answer_message(event, access, context, client)

    def on_message(self, event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
        """``message``: direct messages, and follow-ups in threads the bot answered (unless mentions-only)."""
        if _is_bot_message(event) or event.get("subtype") not in _HUMAN_SUBTYPES:
            return
        channel, user = event["channel"], event.get("user")
        if event.get("channel_type") == "im":
            self._answer_message(event, self.policy.access(channel, user, direct=True), context, client)
            return
        thread_ts = event.get("thread_ts")
        mentioned = context.bot_user_id and f"<@{context.bot_user_id}" in (event.get("text") or "")
        if not thread_ts or thread_ts == event.get("ts") or mentioned:
            return  # top-level chatter, or an @mention that app_mention answers
        access = self.policy.access(channel, user, direct=False)
        if access.mentions_only or not self.state.is_bot_thread(channel, thread_ts):
            return
        self._answer_message(event, access, context, client)

    def _answer_message(
        self, event: dict[str, Any], access: Access, context: BoltContext, client: WebClient
    ) -> None:
        channel, ts = event["channel"], event["ts"]
        if not self.state.claim(f"message:{channel}:{ts}"):
            return  # the same message came as another event type (or from another instance)
        thread_ts = event.get("thread_ts") or ts
        try:
            question = question_text(event.get("text", ""))
            if not question:
                post(client, channel, thread_ts, text_message(messages.EMPTY_QUESTION))
                return
            earlier: list[str] = []
            if event.get("thread_ts"):
                earlier = earlier_questions(client, channel, thread_ts, ts, context.bot_user_id)
        except Exception as exc:  # noqa: BLE001 - never silence
            self.responder.report_error(client, channel, thread_ts, exc)
            return
        self.responder.answer(
            client,
            channel=channel,
            thread_ts=thread_ts,
            question=question,
            access=access,
            user=event.get("user", ""),
            earlier=earlier,
        )

    # --- slash command ------------------------------------------------------------------

    def on_ask_command(self, command: dict[str, Any], client: WebClient, respond: Any) -> None:
        """``/agenda-frage``: the question is posted in the channel and answered in its thread."""
        slash = read_slash_command(self.policy, command, respond, messages.ASK_USAGE)
        if slash is None:
            return
        try:
            thread_ts = slash.open_thread(client, messages.asked_by)
        except SlackApiError as exc:
            error = exc.response.get("error")
            log.info("cannot post in channel=%s (%s); answering privately", slash.channel, error)
            self._answer_privately(slash, respond)
            return
        self.responder.answer(
            client,
            channel=slash.channel,
            thread_ts=thread_ts,
            question=slash.text,
            access=slash.access,
            user=slash.user,
        )

    def _answer_privately(self, slash: SlashCommand, respond: Any) -> None:
        """Where the bot may not post (a DM between people, a channel it is not in): via response_url."""
        try:
            answer = self.responder.assistant.ask(slash.text, slash.access)
            self.responder.remember(answer, slash.text, slash.channel, "")
            pages = answer_messages(answer)
            pages[0].text = f"{messages.NOT_IN_CHANNEL}\n{pages[0].text}"
            for page in pages:
                respond(**page.as_kwargs(), response_type="ephemeral", replace_original=False)
        except Exception as exc:  # noqa: BLE001 - never silence
            log.exception("private answer failed channel=%s", slash.channel)
            respond(text=escape(messages.friendly_error(exc)))


def _is_bot_message(event: dict[str, Any]) -> bool:
    return bool(event.get("bot_id")) or event.get("subtype") == "bot_message"
