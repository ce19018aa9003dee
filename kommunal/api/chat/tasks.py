"""Open WebUI's background task prompts, answered cheaply without retrieval.

Besides the user's chat, Open WebUI sends its own prompts to the same model: a title for the
chat, tags, follow-up suggestions, search queries for its own retrieval, autocompletion, an
emoji. They would otherwise be answered as if a member of staff had asked them (or refused as
too long). Each is a template (``backend/open_webui/config.py``, ``DEFAULT_*_PROMPT_TEMPLATE``;
copies in ``tests/fixtures/openwebui/``) filled with the chat history and sent as the only user
message. The templates start with ``### Task:`` and hold the history in ``<chat_history>``; the
first JSON key the template shows (``{ "title": …``) names the reply it expects.

The replies: a German title from the user's question in the JSON the template asks for, and
empty lists (``{"tags": []}``, ``{"follow_ups": []}``, ``{"queries": []}``): the assistant
suggests nothing it cannot source, and no search queries means Open WebUI's own retrieval does
not run on top of ours.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from bm25s.stopwords import STOPWORDS_GERMAN

_TASK = re.compile(r"^\s*### Task:", re.M)
_HISTORY = re.compile(r"<chat_history>(.*?)</chat_history>", re.S)
_FIRST_KEY = re.compile(r"\{\s*\"(\w+)\"\s*:")
_EMOJI_TASK = "Your task is to reflect the speaker's likely facial expression"
_TURN = re.compile(r"^(USER|ASSISTANT|SYSTEM):[ \t]*", re.M)
_WORD = re.compile(r"[^\W_]+(?:[-–][^\W_]+)*")

# Lowercase words that only make a sentence a question or a request, beyond the stopword list.
_NOT_TOPIC = frozenset(STOPWORDS_GERMAN) | {
    "bitte", "erkläre", "erklären", "gibt", "heißt", "kostet", "kosten", "lautet", "lauten",
    "nenne", "nennen", "sag", "sage", "sagen", "weshalb", "wieso", "wieviel", "wie viel", "woher",
    "wohin", "zeige", "zeigen", "kannst", "könnten", "könntest", "gerne", "hallo", "danke",
}  # fmt: skip
_TITLE_WORDS = 5
_TITLE_CHARS = 60
NO_TITLE = "Neuer Chat"
EMOJI = "🙂"

# The reply for each key a task template shows first; a key not listed gets an empty object.
_EMPTY_REPLIES: dict[str, object] = {
    "tags": {"tags": []},
    "follow_ups": {"follow_ups": []},
    "queries": {"queries": []},
    "text": {"text": ""},  # autocompletion
    "prompt": {"prompt": ""},  # image prompt generation
}


@dataclass(frozen=True)
class TaskReply:
    """What a task prompt gets: its kind (for the log) and the reply text."""

    kind: str
    content: str


def task_reply(prompt: str) -> TaskReply | None:
    """The cheap reply when ``prompt`` (the last user message) is an Open WebUI task, else None."""
    if prompt.lstrip().startswith(_EMOJI_TASK):
        return TaskReply("emoji", EMOJI)
    if not (_TASK.search(prompt) and "<chat_history>" in prompt):
        return None
    template = _HISTORY.sub("", prompt)  # a key quoted in the history must not decide the task
    found = _FIRST_KEY.search(template)
    kind = found.group(1) if found else "unknown"
    if kind == "title":
        reply: object = {"title": title_of(first_user_message(prompt))}
    else:
        reply = _EMPTY_REPLIES.get(kind, {})
    return TaskReply(kind, json.dumps(reply, ensure_ascii=False))


def first_user_message(prompt: str) -> str:
    """The first ``USER:`` message of the prompt's ``<chat_history>`` (Open WebUI writes each
    message as ``ROLE: text``; a message may span several lines)."""
    history = _HISTORY.search(prompt)
    if history is None:
        return ""
    text = history.group(1)
    turns = list(_TURN.finditer(text))
    for i, turn in enumerate(turns):
        if turn.group(1) == "USER":
            end = turns[i + 1].start() if i + 1 < len(turns) else len(text)
            return text[turn.end() : end].strip()
    return ""


def title_of(question: str) -> str:
    """A few words naming the question's topic: its nouns (capitalised in German), else its
    content words; ``Neuer Chat`` when there are none."""
    words = [w for w in _WORD.findall(question) if w.lower() not in _NOT_TOPIC and len(w) > 1]
    nouns = [w for w in words if w[0].isupper() or w[0].isdigit()]
    chosen = nouns or [w[0].upper() + w[1:] for w in words]
    title = ""
    for word in dict.fromkeys(chosen):  # each word once, in order
        candidate = f"{title} {word}".strip()
        if len(candidate) > _TITLE_CHARS or len(title.split()) >= _TITLE_WORDS:
            break
        title = candidate
    return title or NO_TITLE
