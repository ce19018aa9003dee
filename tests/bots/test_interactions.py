"""Slash commands, 👍/👎 buttons and the comment modal, as Slack sends them."""

from __future__ import annotations

from typing import Any

from assistant.feedback import FeedbackStore
from tests.bots.conftest import PUBLIC_CHANNEL, SlackBot, message_text, wait_until
from tests.fakes.slack_api import TEAM_ID

QUESTION = "Wie viel spart die Gemeinde Kessbach mit openDesk?"
USER = "UHUMAN01"


def _button_click(bot: SlackBot, answer: dict[str, Any], action_id: str, thread_ts: str) -> dict[str, Any]:
    buttons = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"]
    button = next(e for e in buttons if e["action_id"] == action_id)
    return {
        "type": "block_actions",
        "team": {"id": TEAM_ID, "domain": "kommune-test"},
        "user": {"id": USER, "username": "mitarbeiterin", "team_id": TEAM_ID},
        "api_app_id": "ATEST0001",
        "token": "legacy",
        "trigger_id": "4711.42.feedback",
        "container": {
            "type": "message",
            "message_ts": "1.2",
            "channel_id": answer["channel"],
            "is_ephemeral": False,
            "thread_ts": thread_ts,
        },
        "channel": {"id": answer["channel"], "name": "allgemein"},
        "message": {"type": "message", "ts": "1.2", "thread_ts": thread_ts, "text": answer["text"]},
        "response_url": bot.slack.response_url("action"),
        "actions": [{**button, "block_id": "feedback", "action_ts": "1.3"}],
    }


def _header_ts(bot: SlackBot, channel: str, marker: str) -> str:
    bot.slack.wait_for(
        "chat.postMessage", lambda c: marker in c.params.get("text", "") and not c.params.get("thread_ts")
    )
    return next(m["ts"] for m in bot.slack.messages[channel] if marker in m["text"] and m.get("bot_id"))


def test_thumbs_up_is_stored_with_question_and_sources(serve_bot) -> None:
    bot = serve_bot()
    ts, _ = bot.mention(PUBLIC_CHANNEL, QUESTION)
    [answer] = bot.wait_for_answer(PUBLIC_CHANNEL, ts)

    response = bot.interaction(_button_click(bot, answer, "feedback_up", ts))
    assert response.status_code == 200
    [thanks] = bot.slack.wait_for("chat.postEphemeral")
    assert thanks.params["user"] == USER and thanks.params["thread_ts"] == ts

    [stored] = FeedbackStore.for_settings(bot.settings).list()
    assert stored.rating == "up" and stored.user == USER
    assert stored.question == QUESTION
    assert stored.channel == f"slack:{PUBLIC_CHANNEL}"
    sections = [b["text"]["text"] for b in answer["blocks"] if b["type"] == "section"]
    listed = next(text for text in sections if text.startswith("*Quellen*")).splitlines()[1:]
    assert len(stored.sources) == len(listed) > 0
    buttons = next(b for b in answer["blocks"] if b["type"] == "actions")["elements"]
    assert stored.answer_id == buttons[0]["value"]


def test_thumbs_down_opens_modal_and_stores_comment_as_eval_candidate(serve_bot) -> None:
    bot = serve_bot()
    ts, _ = bot.mention(PUBLIC_CHANNEL, QUESTION)
    [answer] = bot.wait_for_answer(PUBLIC_CHANNEL, ts)

    bot.interaction(_button_click(bot, answer, "feedback_down", ts))
    [opened] = bot.slack.wait_for("views.open")
    view = opened.params["view"]
    assert opened.params["trigger_id"] == "4711.42.feedback"
    assert view["callback_id"] == "feedback_comment" and view["notify_on_close"] is True
    assert FeedbackStore.for_settings(bot.settings).list() == []  # nothing stored until the modal is done

    submission = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "kommune-test"},
        "user": {"id": USER, "username": "mitarbeiterin", "team_id": TEAM_ID},
        "api_app_id": "ATEST0001",
        "token": "legacy",
        "trigger_id": "4711.43.submit",
        "view": {
            **view,
            "id": "VFAKE1",
            "team_id": TEAM_ID,
            "state": {
                "values": {
                    "comment": {
                        "comment_input": {"type": "plain_text_input", "value": "Die Zahl ist veraltet."}
                    }
                }
            },
        },
    }
    response = bot.interaction(submission)
    assert response.status_code == 200 and response.text == ""  # ack closes the modal
    bot.slack.wait_for("chat.postEphemeral")

    store = FeedbackStore.for_settings(bot.settings)
    [stored] = store.list("down")
    assert stored.comment == "Die Zahl ist veraltet." and stored.question == QUESTION
    [case] = store.candidate_cases()
    assert case["question"] == QUESTION and case["needs_review"] is True
    assert {e["doc_id"] for e in case["expected"]} == {s.doc_id for s in stored.sources}


def test_closing_the_modal_still_stores_the_thumbs_down(serve_bot) -> None:
    bot = serve_bot()
    ts, _ = bot.mention(PUBLIC_CHANNEL, QUESTION)
    [answer] = bot.wait_for_answer(PUBLIC_CHANNEL, ts)
    bot.interaction(_button_click(bot, answer, "feedback_down", ts))
    [opened] = bot.slack.wait_for("views.open")
    closed = {
        "type": "view_closed",
        "team": {"id": TEAM_ID, "domain": "kommune-test"},
        "user": {"id": USER, "username": "mitarbeiterin", "team_id": TEAM_ID},
        "api_app_id": "ATEST0001",
        "token": "legacy",
        "view": {**opened.params["view"], "id": "VFAKE1", "team_id": TEAM_ID, "state": {"values": {}}},
        "is_cleared": False,
    }
    assert bot.interaction(closed).status_code == 200
    store = FeedbackStore.for_settings(bot.settings)
    # The rating is written by the lazy listener after the ack (no thanks message: the modal is gone).
    [stored] = wait_until(lambda: store.list("down"))
    assert stored.comment == "" and stored.question == QUESTION


def test_ask_command_posts_question_and_answers_in_its_thread(serve_bot) -> None:
    bot = serve_bot()
    response = bot.command("/agenda-frage", QUESTION)
    assert response.status_code == 200
    header_ts = _header_ts(bot, PUBLIC_CHANNEL, "fragt:")
    header = next(p for p in bot.slack.posts(PUBLIC_CHANNEL) if "fragt:" in p["text"])
    assert header["text"].startswith(f"<@{USER}> fragt: ")
    assert header["metadata"]["event_payload"]["question"] == QUESTION
    [answer] = bot.wait_for_answer(PUBLIC_CHANNEL, header_ts)
    assert "Quellen" in message_text(answer)

    # A follow-up in that thread is read with the command's question (its key terms).
    bot.message(PUBLIC_CHANNEL, "Und seit wann läuft das dort?", thread_ts=header_ts)
    follow = bot.wait_for_answer(PUBLIC_CHANNEL, header_ts, count=2)[1]
    bot.interaction(_button_click(bot, follow, "feedback_up", header_ts))
    bot.slack.wait_for("chat.postEphemeral")
    [stored] = FeedbackStore.for_settings(bot.settings).list()
    assert stored.question.startswith("Und seit wann läuft das dort? (") and "Kessbach" in stored.question


def test_ask_command_escapes_the_echoed_question(serve_bot) -> None:
    bot = serve_bot()
    bot.command("/agenda-frage", "Was kostet <!channel> Glasfaser & WLAN?")
    header_ts = _header_ts(bot, PUBLIC_CHANNEL, "fragt:")
    header = next(p for p in bot.slack.posts(PUBLIC_CHANNEL) if "fragt:" in p["text"])
    assert "<!channel>" not in message_text(header)
    assert "Glasfaser &amp; WLAN" in message_text(header)
    bot.wait_for_answer(PUBLIC_CHANNEL, header_ts)


def test_ask_command_where_the_bot_may_not_post_answers_privately(serve_bot) -> None:
    bot = serve_bot()
    bot.slack.error("chat.postMessage", "not_in_channel")
    bot.command("/agenda-frage", QUESTION, channel="CNOTJOINED")
    replies = bot.slack.wait_for("response_url", lambda c: bool(c.params.get("blocks")))
    reply = replies[0].params
    assert reply["response_type"] == "ephemeral"
    assert "nicht Mitglied" in reply["text"]
    assert any(b["type"] == "actions" for b in reply["blocks"])


def test_empty_ask_command_explains_usage(serve_bot) -> None:
    bot = serve_bot()
    bot.command("/agenda-frage", "   ")
    [reply] = bot.slack.wait_for("response_url")
    assert "/agenda-frage" in reply.params["text"]
    assert bot.slack.posts() == []
