"""A slash command as its handlers see it: the text, the channel's access, and the thread it opens.

``/agenda-frage`` and ``/agenda-entwurf`` both post the request in the channel (``<@U…> fragt: …``)
and answer in that message's thread; where the bot may not post, Slack answers the post with an
error and the handler replies privately instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bots.slack import messages
from bots.slack.blocks import text_message
from bots.slack.channel_policy import Access, ChannelPolicy
from bots.slack.conversation import question_metadata
from bots.slack.formatting import escape
from bots.slack.responder import post


@dataclass(frozen=True)
class SlashCommand:
    """What a user asked with a slash command, and where."""

    text: str
    access: Access
    channel: str
    user: str

    def open_thread(self, client: WebClient, header: Callable[[str, str], str]) -> str:
        """Post the request as ``header(user, escaped text)`` and return the ts of its thread.

        Raises :class:`~slack_sdk.errors.SlackApiError` where the bot may not post."""
        message = text_message(header(self.user, escape(self.text)))
        return post(client, self.channel, None, message, metadata=question_metadata(self.text))


def read_slash_command(
    policy: ChannelPolicy, command: dict[str, Any], respond: Any, usage: str
) -> SlashCommand | None:
    """The command, or None after telling the user why not (usage help for an empty command, the
    mentions-only note for a restricted channel)."""
    text = (command.get("text") or "").strip()
    if not text:
        respond(text=usage)
        return None
    channel, user = command["channel_id"], command["user_id"]
    access = policy.access(channel, user)
    if access.mentions_only:
        respond(text=messages.MENTIONS_ONLY)
        return None
    return SlashCommand(text, access, channel, user)
