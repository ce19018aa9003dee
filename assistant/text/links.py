"""Links and chat/HTML control sequences in text that leaves the assistant.

Document text and model output may carry links and control sequences (Slack's ``<!channel>``,
``<@U123>``, ``<https://…|label>``, HTML tags). Before any reader sees them, links that are
not allowed become "[Link entfernt]" and control sequences are dropped.

Which links are allowed is decided in one place, :func:`allowed_urls`: a source's own URL
(front matter, sidecar, canonical URL) and the links its document presents as links (HTML
anchors, Markdown links, DOCX hyperlinks, recorded at ingest in ``Chunk.links``). A URL that
merely appears in a document's plain text is not allowed: anyone who can place text in a
document could otherwise plant a phishing link in the answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol
from urllib.parse import urlsplit

__all__ = [
    "LINK_REMOVED",
    "LinkHolder",
    "OutputSanitizer",
    "allowed_urls",
    "bare_domain",
    "markdown_links",
    "neutralise_output",
    "urls_in",
]

LINK_REMOVED = "[Link entfernt]"

_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
_MARKDOWN_LINK = re.compile(r"\[([^\]\n]*)\]\(\s*([^)\s]+)[^)]*\)")
_SLACK_LINK = re.compile(r"<((?:https?|mailto|javascript|data):[^|>\s]*)(?:\|([^>]*))?>", re.IGNORECASE)
_SLACK_CONTROL = re.compile(r"<[!@#][^<>]*>")
_DANGEROUS_ELEMENT = re.compile(
    r"<\s*(script|style|iframe|object|embed)\b[^>]*>.*?(?:<\s*/\s*\1\s*>|$)", re.IGNORECASE | re.DOTALL
)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>")
_TRAILING = ".,;:!?'\"»“”’"
_MAX_PASSES = 8


class LinkHolder(Protocol):
    """What :func:`allowed_urls` reads: a :class:`~assistant.types.Source` or a Chunk."""

    @property
    def url(self) -> str | None: ...

    @property
    def source(self) -> str: ...

    @property
    def links(self) -> list[str]: ...


def allowed_urls(holders: Iterable[LinkHolder]) -> set[str]:
    """The links an output built from ``holders`` (sources or chunks) may contain.

    Each holder's own URL, its ``source`` when that is a URL, and the links its document
    presents as links. Never URLs found in the text itself.
    """
    found: set[str] = set()
    for holder in holders:
        found.update(urls_in([holder.url, holder.source]))
        found.update(url for url in holder.links if url)
    return found


def urls_in(texts: Iterable[str | None]) -> set[str]:
    """Every URL that occurs in ``texts``."""
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(match.group().rstrip(_TRAILING) for match in _URL.finditer(text))
    return found


def bare_domain(url: str) -> str:
    """The host a link leads to, without ``www.``: "https://www.stadt.example/a" -> "stadt.example"."""
    host = urlsplit(url if "://" in url else f"https://{url}").hostname or ""
    return host.removeprefix("www.")


def neutralise_output(text: str, allowed_urls: Iterable[str] = ()) -> str:
    """Replace links not in ``allowed_urls`` with "[Link entfernt]"; drop control sequences.

    Removes Slack mentions and commands (``<!channel>``, ``<!here>``, ``<@U123>``, ``<#C1>``),
    script-like HTML elements with their content and any other HTML tag; an allowed Slack link
    becomes "label (url)". Generic on purpose: each channel (Slack, HTML) still escapes its
    output. Applying it twice changes nothing more.
    """
    allowed = {_url_key(u) for u in allowed_urls}

    def keep(url: str) -> bool:
        return _url_key(url) in allowed

    def markdown_link(match: re.Match[str]) -> str:
        label, url = match.group(1), match.group(2)
        return match.group() if keep(url) else f"{label} {LINK_REMOVED}".strip()

    def slack_link(match: re.Match[str]) -> str:
        url, label = match.group(1), (match.group(2) or "").strip()
        if keep(url):
            return f"{label} ({url})" if label else url
        return f"{label} {LINK_REMOVED}".strip()

    def bare_url(match: re.Match[str]) -> str:
        url = match.group()
        core = url.rstrip(_TRAILING)
        return url if keep(core) else LINK_REMOVED + url[len(core) :]

    def one_pass(text: str) -> str:
        text = _DANGEROUS_ELEMENT.sub("", text)
        text = _SLACK_LINK.sub(slack_link, text)
        text = _SLACK_CONTROL.sub("", text)
        text = _HTML_TAG.sub("", text)
        # Markdown links before bare URLs, so a link's label survives its removed target.
        text = _MARKDOWN_LINK.sub(markdown_link, text)
        return _URL.sub(bare_url, text)

    # Removing one sequence can join another ("<!chan<b>nel>" -> "<!channel>"): repeat until
    # nothing changes; a text built to outlast the rounds loses its angle brackets.
    for _ in range(_MAX_PASSES):
        cleaned = one_pass(text)
        if cleaned == text:
            return cleaned
        text = cleaned
    return text.replace("<", "").replace(">", "")


def markdown_links(text: str) -> list[re.Match[str]]:
    """The ``[label](url)`` links of ``text`` (label in group 1, URL in group 2)."""
    return list(_MARKDOWN_LINK.finditer(text))


def _url_key(url: str) -> str:
    url = url.strip().rstrip(_TRAILING).rstrip("/").lower()
    url = re.sub(r"^https?://", "", url)
    return url.removeprefix("www.")


class OutputSanitizer:
    """:func:`neutralise_output` for streamed text: holds back an unfinished link or tag.

    Text is released up to the last whitespace outside an open ``<…`` or ``[…](…``, so a
    URL or control sequence is always judged whole. Call :meth:`flush` at the end.
    """

    def __init__(self, allowed_urls: Iterable[str] = (), max_hold: int = 400) -> None:
        self.allowed_urls = set(allowed_urls)
        self.max_hold = max_hold
        self._buffer = ""

    def feed(self, piece: str) -> str:
        """Add a piece; return the text that is safe to show now (maybe empty)."""
        self._buffer += piece
        cut = self._safe_cut()
        if cut <= 0:
            return ""
        ready, self._buffer = self._buffer[:cut], self._buffer[cut:]
        return neutralise_output(ready, self.allowed_urls)

    def flush(self) -> str:
        """Everything still held back, neutralised."""
        ready, self._buffer = self._buffer, ""
        return neutralise_output(ready, self.allowed_urls) if ready else ""

    def _safe_cut(self) -> int:
        buffer = self._buffer
        cut = max(buffer.rfind(" "), buffer.rfind("\n"), buffer.rfind("\t")) + 1
        for opener, closer in (("<", ">"), ("[", "]"), ("(", ")")):
            start = buffer.rfind(opener, 0, cut)
            if start != -1 and buffer.find(closer, start) == -1:
                cut = start  # an unfinished tag, control sequence or link
        if len(buffer) - max(cut, 0) > self.max_hold:
            return len(buffer)  # nothing a link could hide in is this long
        return cut
