"""A follow-up in a Slack thread is answered about the thread's first question."""

from __future__ import annotations

from tests.bots.conftest import PUBLIC_CHANNEL, message_text

FIRST = "Wie viel spart Kessbach mit openDesk?"
FOLLOW_UP = "Und wie lange wurde vorher getestet?"


def test_a_follow_up_in_a_slack_thread(serve_bot) -> None:  # noqa: ANN001 - fixture factory
    bot = serve_bot()
    ts, _ = bot.mention(PUBLIC_CHANNEL, FIRST)
    bot.wait_for_answer(PUBLIC_CHANNEL, ts)
    bot.message(PUBLIC_CHANNEL, FOLLOW_UP, thread_ts=ts)
    follow = bot.wait_for_answer(PUBLIC_CHANNEL, ts, count=2)[1]
    text = message_text(follow)
    assert "vier Monate" in text
    assert "Bezogen auf die vorige Frage: Kessbach, openDesk" in text
