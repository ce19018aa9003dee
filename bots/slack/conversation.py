"""Turning Slack messages into questions: mentions removed, a thread's earlier questions read.

A follow-up such as „Und wie viel hat das gekostet?“ means nothing to retrieval on its own.
The earlier questions of the thread (what people asked, not what the bot answered) go with it
to the core's :mod:`assistant.conversation`, which decides whether it is a follow-up and what
it refers to, as it does for the API and chat front ends.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger(__name__)

QUESTION_EVENT = "agenda_question"
"""Message metadata type marking a question the bot posted for a user (slash command)."""
MAX_EARLIER_QUESTIONS = 2
MAX_QUESTION_CHARS = 1500
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_OTHER_CONTROL = re.compile(r"<[!#][^>]*>")


def question_metadata(question: str) -> dict[str, Any]:
    """Metadata for a message the bot posts on behalf of a user, so follow-ups know the question."""
    return {"event_type": QUESTION_EVENT, "event_payload": {"question": question[:MAX_QUESTION_CHARS]}}


def question_text(text: str) -> str:
    """A message's text as a plain question: mentions and control sequences gone, links as text."""
    text = _MENTION.sub(" ", text or "")
    text = _SLACK_LINK.sub(lambda m: m.group(2) or m.group(1), text)
    text = _OTHER_CONTROL.sub(" ", text)
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return re.sub(r"\s+", " ", text).strip()


def is_from_bot(message: dict[str, Any], bot_user_id: str | None) -> bool:
    """Messages of any bot (this one included) are never questions."""
    return bool(message.get("bot_id")) or (bot_user_id is not None and message.get("user") == bot_user_id)


def earlier_questions(
    client: WebClient, channel: str, thread_ts: str, before_ts: str, bot_user_id: str | None
) -> list[str]:
    """What people asked in this thread before ``before_ts`` (oldest first), from conversations.replies.

    A thread that cannot be read (missing scope, deleted) gives no context rather than no answer.
    """
    try:
        response = client.conversations_replies(
            channel=channel, ts=thread_ts, limit=50, include_all_metadata=True
        )
    except SlackApiError as exc:
        log.warning("thread history unavailable channel=%s thread=%s error=%s", channel, thread_ts, exc)
        return []
    questions = []
    for message in response.get("messages") or []:
        if float(message.get("ts", 0)) >= float(before_ts):
            continue
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == QUESTION_EVENT:
            text = str((metadata.get("event_payload") or {}).get("question", ""))
        elif is_from_bot(message, bot_user_id) or message.get("subtype") not in (None, "thread_broadcast"):
            continue
        else:
            text = question_text(message.get("text", ""))
        if text:
            questions.append(text)
    return questions[-MAX_EARLIER_QUESTIONS:]
