"""👍/👎 on an answer: stored through :mod:`assistant.feedback` with its question and sources.

👍 is stored at once. 👎 opens a small modal asking what was wrong; submitting it stores the
rating with the comment, closing it stores the rating without one. ``kommunal-assistant
feedback export`` turns the 👎 into candidate eval cases.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from assistant.feedback import Feedback, FeedbackStore, Rating
from bots.slack import messages
from bots.slack.blocks import COMMENT_BLOCK, COMMENT_INPUT, FEEDBACK_UP, feedback_modal
from bots.slack.state import BotState

log = logging.getLogger(__name__)


class FeedbackHandlers:
    """Listeners for the feedback buttons and the comment modal."""

    def __init__(self, state: BotState, store: FeedbackStore) -> None:
        self.state = state
        self.store = store

    def on_button(self, body: dict[str, Any], action: dict[str, Any], client: WebClient) -> None:
        """A click on 👍 or 👎 under an answer."""
        answer_id = str(action.get("value", ""))
        user = body["user"]["id"]
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id", "")
        thread_ts = container.get("thread_ts") or (body.get("message") or {}).get("thread_ts", "")
        if action.get("action_id") == FEEDBACK_UP:
            self._store_and_thank(client, answer_id, "up", "", user, channel, thread_ts)
            return
        try:
            client.views_open(
                trigger_id=body["trigger_id"], view=feedback_modal(answer_id, channel, thread_ts)
            )
        except SlackApiError as exc:  # the modal is a nicety: keep the 👎 without a comment
            log.warning("feedback modal not opened answer_id=%s error=%s", answer_id, exc)
            self._store_and_thank(client, answer_id, "down", "", user, channel, thread_ts)

    def on_modal_submit(self, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """The 👎 modal was sent: store the rating with the comment."""
        comment = (
            view.get("state", {}).get("values", {}).get(COMMENT_BLOCK, {}).get(COMMENT_INPUT, {}).get("value")
        )
        meta = json.loads(view.get("private_metadata") or "{}")
        self._store_and_thank(
            client,
            meta.get("answer_id", ""),
            "down",
            comment or "",
            body["user"]["id"],
            meta.get("channel", ""),
            meta.get("thread_ts", ""),
        )

    def on_modal_closed(self, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        """The 👎 modal was closed without sending: the rating still counts."""
        meta = json.loads(view.get("private_metadata") or "{}")
        self._store_and_thank(
            client,
            meta.get("answer_id", ""),
            "down",
            "",
            body["user"]["id"],
            meta.get("channel", ""),
            "",
            thank=False,
        )

    def _store_and_thank(
        self,
        client: WebClient,
        answer_id: str,
        rating: Rating,
        comment: str,
        user: str,
        channel: str,
        thread_ts: str,
        *,
        thank: bool = True,
    ) -> None:
        saved = self.state.answer(answer_id)
        if saved is None:
            log.warning("feedback for unknown answer_id=%s user=%s", answer_id, user)
            text = messages.FEEDBACK_UNKNOWN_ANSWER
        else:
            if self.state.claim(f"feedback:{answer_id}:{user}:{rating}"):
                self.store.add(
                    Feedback(
                        answer_id=answer_id,
                        rating=rating,
                        comment=comment[:4000],
                        question=saved.question[:4000],
                        answer=saved.answer,
                        sources=saved.sources,
                        channel=f"slack:{saved.channel}" if saved.channel else "slack",
                        user=user,
                    )
                )
                log.info("feedback stored answer_id=%s rating=%s user=%s", answer_id, rating, user)
            text = messages.FEEDBACK_THANKS
        if thank and channel:
            try:
                client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts or None)
            except SlackApiError as exc:
                log.warning("feedback thanks not posted channel=%s error=%s", channel, exc)
