"""Reading a chat request's conversation and writing the sources under a reply.

The last user message is the question; earlier user messages are the history, each with the
titles the assistant's reply listed under **Quellen** (they name its topic).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.conversation import Turn
from assistant.types import Answer
from kommunal.api.chat.models import ChatMessage


def last_question(messages: list[ChatMessage]) -> str:
    """The text of the last user message ('' when there is none)."""
    return next((m.text.strip() for m in reversed(messages) if m.role == "user"), "")


def with_sources(answer: Answer) -> str:
    """The answer text with its numbered sources appended as a Markdown list."""
    return answer.answer + sources_block(answer)


def sources_block(answer: Answer, cited: Iterable[int] | None = None) -> str:
    """The Markdown sources list; with ``cited``, only the sources of those numbers."""
    wanted = None if cited is None else set(cited)
    note = f"\n\n_{answer.related_note}_" if answer.related_note else ""  # what a follow-up was read as
    lines = []
    for s in answer.sources:
        if wanted is not None and s.n not in wanted:
            continue
        where = f", {s.location}" if s.location else ""
        link = f" – {s.url or s.source}"
        lines.append(f"- [{s.n}] {s.title}{where}{link}")
    return note + ("\n\n**Quellen**\n" + "\n".join(lines) if lines else "")


def chat_history(messages: list[ChatMessage]) -> list[Turn]:
    """The conversation before the last user message: each earlier user message with the
    titles the assistant's reply to it listed under **Quellen** (they name its topic)."""
    turns: list[Turn] = []
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=-1)
    for message in messages[: max(last_user, 0)]:
        if message.role == "user" and message.text.strip():
            turns.append(Turn(question=message.text.strip()))
        elif message.role == "assistant" and turns:
            titles = tuple(m.group(1).strip() for m in _SOURCE_LINE.finditer(message.text))
            turns[-1] = Turn(turns[-1].question, message.text, cited_titles=titles)
    return turns


_SOURCE_LINE = re.compile(r"^- \[\d{1,3}\] (.+?)(?: – .*)?$", re.M)
