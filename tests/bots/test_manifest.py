"""The Slack app manifest and the example channel file stay true to what the app registers."""

from __future__ import annotations

from pathlib import Path

import yaml

from bots.slack.app import ASK_COMMAND, DRAFT_COMMAND
from bots.slack.channel_policy import Access, ChannelPolicy

SLACK_DIR = Path(__file__).resolve().parents[2] / "bots" / "slack"


def test_manifest_declares_commands_events_and_scopes_the_bot_uses() -> None:
    manifest = yaml.safe_load((SLACK_DIR / "manifest.yaml").read_text(encoding="utf-8"))
    commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert commands == {ASK_COMMAND, DRAFT_COMMAND}
    events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert {"app_mention", "message.im", "message.channels"} <= events
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"app_mentions:read", "chat:write", "commands", "files:write", "im:history"} <= scopes
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["settings"]["socket_mode_enabled"] is True


def test_example_channel_file_is_valid() -> None:
    policy = ChannelPolicy.load(SLACK_DIR / "channels.example.yaml", default_sets=["oeffentlich"])
    assert policy.access("C0123ABCD") == Access(frozenset({"oeffentlich", "intern"}))
    assert policy.access("C0456EFGH") == Access(frozenset({"oeffentlich"}), mentions_only=True)
    assert policy.access("CUNLISTED") == Access(frozenset({"oeffentlich"}))
    assert policy.access("D1", "U0789IJKL") == Access(frozenset({"oeffentlich", "intern"}))
    assert policy.access("D1", "UOTHER") == Access(frozenset({"oeffentlich"}))
