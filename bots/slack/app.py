"""The bolt app: listeners wired to handlers, duplicate deliveries dropped, Slack 429s waited out.

Used by both transports: :mod:`bots.slack.socket_mode` (a WebSocket, no public URL) and
:mod:`bots.slack.http_mode` (the Events API on the FastAPI app).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler

from assistant.config import Settings
from assistant.errors import ConfigError
from assistant.feedback import FeedbackStore
from bots.slack.assistant_access import AssistantAccess, AssistantProvider
from bots.slack.blocks import FEEDBACK_DOWN, FEEDBACK_MODAL, FEEDBACK_UP
from bots.slack.channel_policy import ChannelPolicy
from bots.slack.drafts import DraftHandlers
from bots.slack.feedback import FeedbackHandlers
from bots.slack.handlers import QuestionHandlers
from bots.slack.responder import ThreadResponder
from bots.slack.state import BotState

log = logging.getLogger(__name__)

ASK_COMMAND = "/agenda-frage"
DRAFT_COMMAND = "/agenda-entwurf"
RATE_LIMIT_RETRIES = 3


def web_client(settings: Settings) -> WebClient:
    """The Web API client: waits ``Retry-After`` on 429 and retries dropped connections."""
    if settings.slack_bot_token is None:
        raise ConfigError(
            "ASSISTANT_SLACK_BOT_TOKEN fehlt: das Bot-Token (xoxb-…) der Slack-App eintragen "
            "(siehe docs/slack.md)."
        )
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_base_url or WebClient.BASE_URL,
        timeout=30,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


def create_slack_app(
    settings: Settings,
    assistant_provider: AssistantProvider,
    *,
    policy: ChannelPolicy | None = None,
) -> App:
    """A bolt ``App`` answering questions with ``assistant_provider()``'s assistant.

    Reads the channel configuration from ``settings.slack_channels_file`` unless ``policy`` is
    given. No Slack call happens here: the token is checked on the first request.
    """
    if policy is None:
        policy = ChannelPolicy.load(settings.slack_channels_file, default_sets=settings.default_doc_sets)
    state = BotState.for_settings(settings)
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    app = App(
        client=web_client(settings),
        signing_secret=secret,
        token_verification_enabled=False,
        name="kommunal-assistant",
    )
    app.use(_deduplicate(state))
    app.error(_log_error)

    responder = ThreadResponder(AssistantAccess(assistant_provider), state)
    questions = QuestionHandlers(policy, state, responder)
    feedback = FeedbackHandlers(state, FeedbackStore.for_settings(settings))
    drafts = DraftHandlers(policy, responder)

    # Every listener acknowledges at once and works lazily: Slack wants its 200 within 3 s.
    app.event("app_mention")(ack=_ack, lazy=[questions.on_mention])
    app.event("message")(ack=_ack, lazy=[questions.on_message])
    app.command(ASK_COMMAND)(ack=_ack, lazy=[questions.on_ask_command])
    app.command(DRAFT_COMMAND)(ack=_ack, lazy=[drafts.on_draft_command])
    app.action(FEEDBACK_UP)(ack=_ack, lazy=[feedback.on_button])
    app.action(FEEDBACK_DOWN)(ack=_ack, lazy=[feedback.on_button])
    app.view_submission(FEEDBACK_MODAL)(ack=_ack, lazy=[feedback.on_modal_submit])
    app.view_closed(FEEDBACK_MODAL)(ack=_ack, lazy=[feedback.on_modal_closed])
    return app


def _ack(ack: Ack) -> None:
    ack()


def _deduplicate(state: BotState) -> Callable[..., BoltResponse | None]:
    """Global middleware: an Events API delivery whose event_id was seen gets 200 and nothing else."""

    def deduplicate_events(
        body: dict[str, Any], next_: Callable[[], None], request: Any
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not state.claim(f"event:{event_id}"):
            retry = (request.headers.get("x-slack-retry-num") or [None])[0]
            log.info("duplicate delivery ignored event_id=%s retry=%s", event_id, retry)
            return BoltResponse(status=200, body="")
        next_()
        return None

    return deduplicate_events


def _log_error(error: Exception, body: dict[str, Any]) -> None:
    log.error("slack listener failed type=%s error=%r", body.get("type"), error, exc_info=error)
