"""The real bolt app behind the FastAPI router, driven by signed Slack requests over HTTP."""

from __future__ import annotations

import logging
import time

from tests.bots.conftest import (
    CANARY,
    INTERN_CHANNEL,
    INTERN_USER,
    PUBLIC_CHANNEL,
    QUIET_CHANNEL,
    message_text,
)
from tests.fakes.slack_api import BOT_ID, BOT_USER_ID

QUESTION = "Wie viel spart die Gemeinde Kessbach mit openDesk?"


def test_mention_is_answered_in_its_thread_with_sources_and_buttons(serve_bot) -> None:
    bot = serve_bot()
    ts, response = bot.mention(PUBLIC_CHANNEL, QUESTION)
    assert response.status_code == 200

    [answer] = bot.wait_for_answer(PUBLIC_CHANNEL, ts)
    assert answer["thread_ts"] == ts
    assert answer["unfurl_links"] is False and answer["unfurl_media"] is False
    sections = [b["text"]["text"] for b in answer["blocks"] if b["type"] == "section"]
    sources = next(text for text in sections if text.startswith("*Quellen*"))
    lines = sources.splitlines()[1:]
    assert lines and all(line.startswith(f"{n}. ") for n, line in enumerate(lines, start=1))
    assert any("Kessbach" in line or "openDesk" in line for line in lines)
    assert all(" – " in line for line in lines)  # title – type, section
    buttons = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"]
    assert [b["action_id"] for b in buttons] == ["feedback_up", "feedback_down"]
    # The placeholder was shown while working and removed afterwards.
    [placeholder] = [p for p in bot.slack.posts(PUBLIC_CHANNEL, ts) if p["text"].startswith("⏳")]
    assert placeholder["thread_ts"] == ts
    bot.slack.wait_for("chat.delete")
    thread = bot.slack.thread(PUBLIC_CHANNEL, ts)
    assert [m["text"][:1] for m in thread if m.get("bot_id")] == [answer["text"][:1]]


def test_bad_signature_and_expired_timestamp_are_rejected(serve_bot) -> None:
    bot = serve_bot()
    _, forged = bot.mention(PUBLIC_CHANNEL, QUESTION, secret="not-the-secret")
    _, expired = bot.mention(PUBLIC_CHANNEL, QUESTION, timestamp=int(time.time()) - 6 * 60)
    assert forged.status_code == 401
    assert expired.status_code == 401
    # A valid request afterwards is answered: the server was reachable, the rejections were real.
    ts, valid = bot.mention(PUBLIC_CHANNEL, QUESTION)
    assert valid.status_code == 200
    bot.wait_for_answer(PUBLIC_CHANNEL, ts)
    assert len(bot.slack.calls_to("chat.postMessage")) == 2  # placeholder + answer of the valid one only


def test_retried_deliveries_get_exactly_one_answer(serve_bot, caplog) -> None:
    bot = serve_bot()
    caplog.set_level(logging.INFO, logger="bots.slack.app")
    ts, first = bot.mention(PUBLIC_CHANNEL, QUESTION, event_id="EvRETRY1")
    event = {
        "type": "app_mention",
        "user": "UHUMAN01",
        "text": f"<@{BOT_USER_ID}> {QUESTION}",
        "ts": ts,
        "channel": PUBLIC_CHANNEL,
        "event_ts": ts,
    }
    retries = [
        bot.send_event(
            event,
            event_id="EvRETRY1",
            headers={"X-Slack-Retry-Num": str(n), "X-Slack-Retry-Reason": "http_timeout"},
        )
        for n in (1, 2)
    ]
    # The same message delivered as a different event (another subscription, another event_id).
    other = bot.send_event(event, event_id="EvRETRY2")
    assert [r.status_code for r in (first, *retries, other)] == [200, 200, 200, 200]
    # Retries are dropped synchronously, before their HTTP 200 went out.
    assert sum("duplicate delivery ignored" in r.getMessage() for r in caplog.records) == 2

    bot.wait_for_answer(PUBLIC_CHANNEL, ts)
    # A later question in another thread is answered after everything queued before it.
    later, _ = bot.mention(PUBLIC_CHANNEL, "Was ist das Digitallotsen-Programm?")
    bot.wait_for_answer(PUBLIC_CHANNEL, later)
    assert len(bot.answer_posts(PUBLIC_CHANNEL, ts)) == 1
    assert len([p for p in bot.slack.posts(PUBLIC_CHANNEL, ts) if p["text"].startswith("⏳")]) == 1


def test_bot_messages_are_ignored(serve_bot) -> None:
    bot = serve_bot()
    _, own = bot.message("DBOT00001", QUESTION, user=BOT_USER_ID, channel_type="im", bot_id=BOT_ID)
    _, other_bot = bot.message(
        "DBOT00001", QUESTION, user="UOTHERBOT", channel_type="im", bot_id="BOTHER001", subtype="bot_message"
    )
    assert own.status_code == 200 and other_bot.status_code == 200
    # A person's DM afterwards is answered, and it is the only thing the bot ever posted.
    ts, _ = bot.message("DHUMAN001", QUESTION, channel_type="im")
    bot.wait_for_answer("DHUMAN001", ts)
    assert {p["channel"] for p in bot.slack.posts()} == {"DHUMAN001"}


def test_follow_up_in_thread_uses_earlier_question(serve_bot, openai_server) -> None:
    condensed = "Seit wann arbeitet die Gemeinde Kessbach mit openDesk?"
    openai_server.queue("Kessbach spart mit openDesk Lizenzkosten [1].", condensed, "Seit 2023 [1].")
    bot = serve_bot(llm_base_url=openai_server.base_url, llm_model="test-model")
    ts, _ = bot.mention(PUBLIC_CHANNEL, QUESTION)
    bot.wait_for_answer(PUBLIC_CHANNEL, ts)
    # No mention needed in a thread the bot answered (the channel is not mentions-only).
    _, response = bot.message(PUBLIC_CHANNEL, "Und seit wann läuft das dort?", thread_ts=ts)
    assert response.status_code == 200
    bot.wait_for_answer(PUBLIC_CHANNEL, ts, count=2)
    [replies] = bot.slack.wait_for("conversations.replies")
    assert replies.params["ts"] == ts and replies.params["channel"] == PUBLIC_CHANNEL
    # With a model configured, its condense prompt saw the thread's first question and the
    # follow-up, and the answer was asked for its standalone rewrite.
    assert QUESTION in openai_server.chat_requests[1].user_text
    asked = openai_server.chat_requests[2].user_text.rsplit("Frage:", 1)[1].strip()
    assert asked == condensed


def test_mentions_only_channel_ignores_unmentioned_follow_ups(serve_bot) -> None:
    bot = serve_bot()
    ts, _ = bot.mention(QUIET_CHANNEL, QUESTION)
    bot.wait_for_answer(QUIET_CHANNEL, ts)
    bot.message(QUIET_CHANNEL, "Und seit wann läuft das dort?", thread_ts=ts)
    # Only a mention gets a second answer; the unmentioned follow-up before it got none.
    bot.mention(QUIET_CHANNEL, "Und seit wann läuft das dort?", thread_ts=ts)
    bot.wait_for_answer(QUIET_CHANNEL, ts, count=2)
    later, _ = bot.mention(PUBLIC_CHANNEL, "Was ist das Digitallotsen-Programm?")
    bot.wait_for_answer(PUBLIC_CHANNEL, later)
    assert len(bot.answer_posts(QUIET_CHANNEL, ts)) == 2
    response = bot.command("/agenda-frage", QUESTION, channel=QUIET_CHANNEL)
    assert response.status_code == 200
    [reply] = bot.slack.wait_for("response_url")
    assert "nur, wenn man mich erwähnt" in reply.params["text"]


def test_intern_canary_only_reaches_channels_and_users_configured_for_it(serve_bot) -> None:
    bot = serve_bot()
    question = f"Was regelt das {CANARY}?"
    public_ts, _ = bot.mention(PUBLIC_CHANNEL, question)
    intern_ts, _ = bot.mention(INTERN_CHANNEL, question)
    dm_other, _ = bot.message("DOTHER001", question, channel_type="im")
    dm_intern, _ = bot.message("DINTERN01", question, user=INTERN_USER, channel_type="im")
    [public] = bot.wait_for_answer(PUBLIC_CHANNEL, public_ts)
    [intern] = bot.wait_for_answer(INTERN_CHANNEL, intern_ts)
    [other] = bot.wait_for_answer("DOTHER001", dm_other)
    [mapped] = bot.wait_for_answer("DINTERN01", dm_intern)

    assert CANARY in message_text(intern)
    assert CANARY in message_text(mapped)
    for channel in (PUBLIC_CHANNEL, "DOTHER001"):
        for post in bot.slack.posts(channel):
            assert CANARY not in message_text(post)
    assert CANARY not in message_text(public) and CANARY not in message_text(other)


def test_internal_channel_sees_public_documents_too(serve_bot) -> None:
    # Its rule lists [oeffentlich, intern]: the public corpus documents stay available there.
    bot = serve_bot()
    ts, _ = bot.mention(INTERN_CHANNEL, QUESTION)
    [answer] = bot.wait_for_answer(INTERN_CHANNEL, ts)
    sources = next(b["text"]["text"] for b in answer["blocks"] if b["text"]["text"].startswith("*Quellen*"))
    assert "Kessbach" in sources or "openDesk" in sources


def test_llm_output_is_escaped_and_neutralised(serve_bot, openai_server) -> None:
    openai_server.reply(
        "Kessbach spart jährlich Lizenzkosten < 100.000 € & mehr [1]. <!channel> Details: "
        "https://boese.example/phishing <@U999> [1]"
    )
    bot = serve_bot(llm_base_url=openai_server.base_url, llm_model="test-model")
    ts, _ = bot.mention(PUBLIC_CHANNEL, QUESTION)
    [answer] = bot.wait_for_answer(PUBLIC_CHANNEL, ts)
    text = message_text(answer)
    assert "&lt; 100.000 € &amp; mehr" in text
    assert "<!channel>" not in text and "<@U999>" not in text and "boese.example" not in text
    assert "[Link entfernt]" in text
    assert len(openai_server.chat_requests) == 1


def test_slow_answer_is_acknowledged_before_it_is_ready(serve_bot, openai_server) -> None:
    openai_server.reply("Kessbach spart mit openDesk Lizenzkosten [1].", delay_s=5)
    bot = serve_bot(llm_base_url=openai_server.base_url, llm_model="test-model", llm_timeout_s=30)
    ts, response = bot.mention(PUBLIC_CHANNEL, QUESTION)
    assert response.status_code == 200
    # The 200 went out while the model was still thinking: nothing answered yet.
    assert bot.answer_posts(PUBLIC_CHANNEL, ts) == []
    [answer] = bot.wait_for_answer(PUBLIC_CHANNEL, ts)
    assert "Lizenzkosten" in message_text(answer)


def test_internal_error_becomes_a_friendly_german_message(serve_bot, openai_server, caplog) -> None:
    openai_server.fail(500, "model crashed")
    bot = serve_bot(
        llm_base_url=openai_server.base_url, llm_model="test-model", llm_fallback_extractive=False
    )
    ts, _ = bot.mention(PUBLIC_CHANNEL, QUESTION)
    [error] = bot.slack.wait_for(
        "chat.postMessage", lambda c: c.params.get("thread_ts") == ts and "Entschuldigung" in c.params["text"]
    )
    assert "Sprachmodell" in error.params["text"]
    assert any("slack request failed" in r.getMessage() for r in caplog.records)
    assert bot.answer_posts(PUBLIC_CHANNEL, ts) == []


def test_slack_api_error_while_posting_the_answer_is_reported(serve_bot) -> None:
    bot = serve_bot()
    bot.slack.error("chat.postMessage", "invalid_blocks", after=1)  # placeholder ok, answer refused
    ts, _ = bot.mention(PUBLIC_CHANNEL, QUESTION)
    [error] = bot.slack.wait_for(
        "chat.postMessage", lambda c: c.params.get("thread_ts") == ts and "Entschuldigung" in c.params["text"]
    )
    assert "protokolliert" in error.params["text"]


def test_rate_limited_post_waits_for_retry_after(serve_bot) -> None:
    bot = serve_bot()
    bot.slack.fail("chat.postMessage", status=429, retry_after=1)
    ts, _ = bot.mention(PUBLIC_CHANNEL, QUESTION)
    bot.wait_for_answer(PUBLIC_CHANNEL, ts)
    limited, retried = bot.slack.calls_to("chat.postMessage")[:2]
    assert limited.status == 429 and retried.ok
    assert retried.params["text"] == limited.params["text"]
    assert retried.received_at - limited.received_at >= 1.0  # Retry-After was honoured


def test_url_verification_challenge_is_echoed(serve_bot) -> None:
    bot = serve_bot()
    response = bot.post(
        '{"type": "url_verification", "challenge": "kessbach-42", "token": "x"}', "application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"challenge": "kessbach-42"}
