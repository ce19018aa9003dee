"""Slack bot: answers and drafts in the threads where the staff already talk.

Start with ``kommunal-assistant slack`` (Socket Mode) or ``--http`` (Events API); the API
mounts :func:`bots.slack.http_mode.slack_router`. See docs/slack.md.
"""
