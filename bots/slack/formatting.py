"""Safe Slack text: escaping, neutralised mentions and links, splitting under Slack's limits.

Slack's mrkdwn treats ``<…>`` as control sequences (``<!channel>``, ``<@U123>``, links), so
every text from documents, the model or users passes through :func:`safe_mrkdwn` before it
reaches a message: links and mentions the sources don't justify are removed by the core's
:func:`~assistant.text.links.neutralise_output` (allowed: :func:`~assistant.text.links.allowed_urls`
of the answer's sources), then ``&``, ``<``, ``>`` are escaped. A link with a label always shows
the bare domain it leads to next to it, so a label cannot hide where a click goes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.text.links import bare_domain, markdown_links, neutralise_output

SECTION_LIMIT = 3000
"""Characters in one section block's text."""
BLOCKS_PER_MESSAGE = 50
MESSAGE_CHAR_LIMIT = 12_000
"""Characters of block text per message: far below Slack's 40,000 that truncate a message."""

_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)


def escape(text: str) -> str:
    """Escape the three characters Slack's mrkdwn reserves."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_mrkdwn(text: str, allowed_urls: Iterable[str] = ()) -> str:
    """Text from documents, the model or a user, made safe to post.

    Mentions and broadcast commands are removed, links not in ``allowed_urls`` replaced, then
    the text is escaped; an allowed Markdown link becomes a Slack link with its domain (see
    :func:`link`). A plain ``@here`` gets a zero-width joiner: harmless today (bots post
    without ``link_names``), and it stays harmless if someone turns that option on.
    """
    cleaned = neutralise_output(text, allowed_urls)
    cleaned = _BROADCAST.sub(lambda m: "@\u2060" + m.group(1), cleaned)
    out: list[str] = []
    position = 0
    for match in markdown_links(cleaned):  # only allowed links survived neutralise_output
        out.append(escape(cleaned[position : match.start()]))
        label, url = match.group(1).strip(), match.group(2)
        out.append(link(url, label) if label else escape(url))
        position = match.end()
    out.append(escape(cleaned[position:]))
    return "".join(out)


def link(url: str | None, label: str) -> str:
    """``label`` escaped, as a Slack link followed by its bare domain when ``url`` is an http(s)
    URL: ``<https://x.example/a|Label> (x.example)``."""
    text = escape(label)
    if url and re.match(r"^https?://[^\s<>|]+$", url):
        domain = bare_domain(url)
        return f"<{escape(url)}|{text.replace('|', '¦')}>" + (f" ({escape(domain)})" if domain else "")
    return text


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split already escaped text into pieces of at most ``limit`` characters.

    Cuts at paragraph breaks, then line breaks, then sentence ends, then spaces; a single
    longer word is cut hard, but never inside an escape entity such as ``&amp;``.
    """
    if limit < 10:
        raise ValueError(f"limit must be at least 10. Currently, it is {limit}.")
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[: limit + 1]
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            position = window.rfind(separator, 0, limit)
            if position > limit // 3:
                cut = position + (1 if separator == ". " else 0)
                break
        if cut <= 0:
            cut = limit
            entity = rest.rfind("&", max(0, cut - 5), cut)
            if entity != -1 and ";" not in rest[entity:cut]:
                cut = entity
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def split_lines(lines: list[str], limit: int = SECTION_LIMIT) -> list[str]:
    """Join lines into texts of at most ``limit`` characters (longer lines are split)."""
    texts: list[str] = []
    current = ""
    for line in lines:
        for piece in split_text(line, limit) or [""]:
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                texts.append(current)
                current = piece
    if current:
        texts.append(current)
    return texts
