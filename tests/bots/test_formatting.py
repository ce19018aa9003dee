"""Slack text safety and Block Kit limits, on the functions that build every message."""

from __future__ import annotations

import re

import pytest

from assistant.types import Answer, Source
from bots.slack.blocks import answer_messages, source_line
from bots.slack.formatting import SECTION_LIMIT, escape, safe_mrkdwn, split_text


def _source(n: int, url: str | None = None, title: str = "Leitfaden Bürgerbeteiligung") -> Source:
    return Source(
        n=n,
        chunk_id=f"c{n}",
        doc_id=f"doc-{n}",
        source=f"guidance/doc-{n}.md",
        title=title,
        doc_type="guidance",
        text=f"Text der Quelle {n}.",
        location=f"S. {n}, Beteiligung > Formate",
        url=url,
    )


def test_escape_reserved_characters() -> None:
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"


def test_safe_mrkdwn_neutralises_mentions_and_foreign_links() -> None:
    text = (
        "Hallo <!channel> und <!here|here> an <@U123ABC> in <#C999|allgemein>: siehe https://boese.example/x"
    )
    safe = safe_mrkdwn(text, allowed_urls={"https://stadt.example/plan"})
    assert "<" not in safe and ">" not in safe.replace("&gt;", "")
    assert "U123ABC" not in safe and "boese.example" not in safe
    assert "[Link entfernt]" in safe


def test_safe_mrkdwn_keeps_source_links_and_defuses_plain_broadcasts() -> None:
    safe = safe_mrkdwn(
        "Plan: https://stadt.example/plan?a=1&b=2 – @here bitte lesen", {"https://stadt.example/plan?a=1&b=2"}
    )
    assert "https://stadt.example/plan?a=1&amp;b=2" in safe
    assert "@here" not in safe and "@\u2060here" in safe


@pytest.mark.parametrize("limit", [10, 50, SECTION_LIMIT])
def test_split_text_respects_limit_and_keeps_every_word(limit: int) -> None:
    words = [f"Wort{i}" for i in range(2000)] + ["Donaudampfschifffahrtsgesellschaft" * 3]
    text = escape(" ".join(words) + "\n\nZweiter Absatz mit & und <Klammern>.")
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert re.sub(r"\s+", "", "".join(pieces)) == re.sub(r"\s+", "", text)
    for piece in pieces:  # never cut inside an escape entity
        assert not re.search(r"&[a-z]{0,3}$", piece)


def test_split_text_prefers_paragraph_breaks() -> None:
    text = ("A" * 1800) + "\n\n" + ("B" * 1800)
    assert split_text(text) == ["A" * 1800, "B" * 1800]


def test_long_answer_is_split_under_slack_limits() -> None:
    paragraphs = [f"Absatz {i}: " + "Die Stadt plant Maßnahmen & Projekte [1]. " * 60 for i in range(60)]
    sources = [_source(n, url=f"https://stadt.example/doc/{n}") for n in range(1, 121)]
    answer = Answer(
        answer_id="a-1",
        question="Frage",
        answer="\n\n".join(paragraphs),
        abstained=False,
        mode="extractive",
        sources=sources,
    )
    pages = answer_messages(answer)

    assert len(pages) > 1
    for page in pages:
        blocks = page.as_kwargs()["blocks"]
        assert len(blocks) <= 50
        assert all(len(b["text"]["text"]) <= SECTION_LIMIT for b in blocks if b["type"] == "section")
    actions = [i for i, page in enumerate(pages) for b in page.blocks if b.type == "actions"]
    assert actions == [len(pages) - 1]  # the buttons once, at the very end
    all_text = "\n".join(
        b["text"]["text"] for p in pages for b in p.as_kwargs()["blocks"] if b["type"] == "section"
    )
    for i in range(60):
        assert f"Absatz {i}:" in all_text
    numbered = re.findall(r"^(\d+)\. <https://stadt\.example/doc/(\d+)\|", all_text, re.MULTILINE)
    assert [int(n) for n, _ in numbered] == list(range(1, 121))
    assert all(n == d for n, d in numbered)


def test_source_line_links_only_http_urls() -> None:
    assert source_line(_source(1, url="https://stadt.example/a")).startswith("1. <https://stadt.example/a|")
    unsafe = source_line(_source(2, url="javascript:alert(1)", title="Titel <b>"))
    assert "<" not in unsafe and unsafe.startswith("2. Titel &lt;b&gt; – Leitfaden, S. 2")


def test_abstention_has_no_source_list_but_buttons() -> None:
    answer = Answer(
        answer_id="a-2",
        question="Frage",
        answer="Dazu finde ich in den Dokumenten nichts.",
        abstained=True,
        mode="extractive",
    )
    [page] = answer_messages(answer)
    types = [b["type"] for b in page.as_kwargs()["blocks"]]
    assert types == ["section", "actions"]
