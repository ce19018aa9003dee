"""``/agenda-entwurf``: the draft arrives as files in a thread, with its sources."""

from __future__ import annotations

import re

from tests.bots.conftest import CANARY, INTERN_CHANNEL, PUBLIC_CHANNEL, SlackBot, message_text
from tests.bots.test_draft_progress import draft_summary

REQUEST = "Handlungsfeld Digitale Verwaltung für eine Gemeinde mit 8.000 Einwohnern, eine Seite"


def _draft_thread(bot: SlackBot, channel: str) -> str:
    bot.slack.wait_for(
        "chat.postMessage",
        lambda c: (
            c.params.get("channel") == channel and "bittet um einen Entwurf" in c.params.get("text", "")
        ),
    )
    return next(m["ts"] for m in bot.slack.messages[channel] if "bittet um einen Entwurf" in m["text"])


def test_draft_command_posts_files_and_sources_in_thread(serve_bot) -> None:
    bot = serve_bot()
    response = bot.command("/agenda-entwurf", REQUEST)
    assert response.status_code == 200
    thread_ts = _draft_thread(bot, PUBLIC_CHANNEL)

    _, updates = draft_summary(bot, PUBLIC_CHANNEL)
    summary = updates[-1].params
    [complete] = bot.slack.wait_for("files.completeUploadExternal")
    assert complete.params["channel_id"] == PUBLIC_CHANNEL and complete.params["thread_ts"] == thread_ts
    files = {f["id"]: f["title"] for f in complete.params["files"]}
    assert len(files) == 2
    uploads = {c.params["file_id"]: c.raw for c in bot.slack.calls_to("upload")}
    markdown = next(uploads[i].decode("utf-8") for i, title in files.items() if title.endswith("(Markdown)"))
    docx = next(uploads[i] for i, title in files.items() if title.endswith("(DOCX)"))
    assert docx[:2] == b"PK"  # a zip container, as DOCX files are
    assert "Verwaltung" in markdown

    text = message_text(summary)
    assert "Belegt mit" in text
    listed = {int(n) for n in re.findall(r"^(\d+)\. ", text, re.MULTILINE)}
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", markdown)}
    assert cited and cited <= listed
    # The progress message became the summary; the files and the summary stay.
    assert not any(m["text"].startswith("⏳") for m in bot.slack.thread(PUBLIC_CHANNEL, thread_ts))


def test_draft_respects_channel_document_sets(serve_bot) -> None:
    bot = serve_bot()
    request = f"Entwurf zum Thema {CANARY} für die Stadt Lindwerder"
    bot.command("/agenda-entwurf", request, channel=PUBLIC_CHANNEL)
    _draft_thread(bot, PUBLIC_CHANNEL)
    draft_summary(bot, PUBLIC_CHANNEL)
    bot.command("/agenda-entwurf", request, channel=INTERN_CHANNEL)
    _draft_thread(bot, INTERN_CHANNEL)
    draft_summary(bot, INTERN_CHANNEL)

    completes = bot.slack.wait_for("files.completeUploadExternal", count=2)
    uploads = {c.params["file_id"]: c.raw for c in bot.slack.calls_to("upload")}
    by_channel = {
        c.params["channel_id"]: "".join(
            uploads[f["id"]].decode("utf-8") for f in c.params["files"] if f["title"].endswith("(Markdown)")
        )
        for c in completes
    }
    # A phrase only the intern canary document contains (the request names only its topic).
    assert "Vier-Augen-Prinzip" in by_channel[INTERN_CHANNEL]
    assert "Vier-Augen-Prinzip" not in by_channel[PUBLIC_CHANNEL]
    shown = bot.slack.posts(PUBLIC_CHANNEL) + [
        c.params for c in bot.slack.calls_to("chat.update") if c.params.get("channel") == PUBLIC_CHANNEL
    ]
    for post in shown:
        assert "Interne Notiz" not in message_text(post)


def test_unclear_draft_request_gets_a_german_explanation(serve_bot) -> None:
    bot = serve_bot()
    bot.command("/agenda-entwurf", "bitte")
    [reply] = bot.slack.wait_for("response_url")
    assert "Abschnitt" in reply.params["text"]
    assert bot.slack.posts() == []
