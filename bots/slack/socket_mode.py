"""Socket Mode: the bot opens a WebSocket to Slack, so no public URL or open port is needed.

Typical behind a municipal firewall: only outgoing HTTPS to slack.com is required. Needs the
app-level token (``xapp-…``, scope ``connections:write``) besides the bot token.
"""

from __future__ import annotations

from slack_bolt.adapter.socket_mode import SocketModeHandler

from assistant.config import Settings
from assistant.errors import ConfigError
from bots.slack.app import create_slack_app
from bots.slack.assistant_access import AssistantProvider


def socket_mode_handler(settings: Settings, assistant_provider: AssistantProvider) -> SocketModeHandler:
    """A handler whose ``start()`` blocks and serves until interrupted (``connect()`` returns at once)."""
    app = create_slack_app(settings, assistant_provider)  # checks the bot token and channel file first
    if settings.slack_app_token is None:
        raise ConfigError(
            "ASSISTANT_SLACK_APP_TOKEN fehlt: für Socket Mode das App-Level-Token (xapp-…, Scope "
            "connections:write) eintragen, oder mit --http den HTTP-Modus verwenden (siehe docs/slack.md)."
        )
    return SocketModeHandler(app, settings.slack_app_token.get_secret_value())
