"""``/agenda-entwurf`` reports progress: one message, updated per part, that becomes the draft."""

from __future__ import annotations

from assistant.drafting import parse_request
from assistant.drafting.structure import load_structure
from bots.slack import messages
from tests.bots.conftest import PUBLIC_CHANNEL, SlackBot, has_feedback, message_text
from tests.fakes.slack_api import SlackCall

MEMO = (
    "Kurzes Memo an den Bürgermeister (halbe Seite): Sollen wir Smart City top-down oder bottom-up angehen?"
)


def draft_summary(bot: SlackBot, channel: str) -> tuple[str, list[SlackCall]]:
    """Wait until the progress message became the draft; its ts and every update of it, in order."""
    [final] = bot.slack.wait_for(
        "chat.update", lambda c: c.params.get("channel") == channel and has_feedback(c.params)
    )
    ts = final.params["ts"]
    return ts, [c for c in bot.slack.calls_to("chat.update") if c.params.get("ts") == ts]


def test_progress_message_is_updated_per_part_then_becomes_the_draft(serve_bot) -> None:
    bot = serve_bot()
    bot.command("/agenda-entwurf", MEMO)
    ts, updates = draft_summary(bot, PUBLIC_CHANNEL)

    # The updated message is the placeholder, posted in the request's thread.
    header = next(m for m in bot.slack.messages[PUBLIC_CHANNEL] if "bittet um einen Entwurf" in m["text"])
    thread_ts = header["ts"]
    [placeholder] = [p for p in bot.slack.posts(PUBLIC_CHANNEL, thread_ts) if p["text"] == messages.DRAFTING]

    request = parse_request(MEMO)
    titles = [p.title for p in load_structure().outline(request.doc_type, request.form or ())]
    total = len(titles)
    expected = [
        messages.draft_progress(f"Teil {i} von {total}: {title} ({phase})")
        for phase in ("Belege werden gesucht", "wird geschrieben")
        for i, title in enumerate(titles, start=1)
    ]
    *progress, final = updates
    assert [u.params["text"] for u in progress] == expected
    assert "Teil 2 von 4: Optionen" in progress[1].params["text"]
    # The last update is the draft: intro, coverage, sources and the feedback buttons.
    text = message_text(final.params)
    assert "Belegt mit" in text and "Memo" in text
    assert has_feedback(final.params)
    # Nothing else shows the draft's summary, and the message stays (it is not deleted).
    assert not [p for p in bot.slack.posts(PUBLIC_CHANNEL, thread_ts) if has_feedback(p)]
    assert not bot.slack.calls_to("chat.delete")
    [shown] = [m for m in bot.slack.thread(PUBLIC_CHANNEL, thread_ts) if m["ts"] == ts]
    assert shown["text"] == final.params["text"]
    assert not any(m["text"].startswith("⏳") for m in bot.slack.thread(PUBLIC_CHANNEL, thread_ts))


def test_draft_still_arrives_when_updates_fail(serve_bot) -> None:
    bot = serve_bot()
    bot.slack.error("chat.update", "cant_update_message", times=100)
    bot.command("/agenda-entwurf", MEMO)
    summary = bot.slack.wait_for("chat.postMessage", lambda c: has_feedback(c.params))[0].params
    assert "Belegt mit" in message_text(summary)
    # The progress message, which could not become the draft, is removed.
    bot.slack.wait_for("chat.delete")
    thread_ts = summary["thread_ts"]
    assert not any(m["text"].startswith("⏳") for m in bot.slack.thread(PUBLIC_CHANNEL, thread_ts))
