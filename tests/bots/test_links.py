"""Links in Slack answers: only the sources' own and presented links, each with its bare domain."""

from __future__ import annotations

from assistant.types import Answer, Source
from bots.slack.blocks import answer_messages, source_line
from bots.slack.formatting import link, safe_mrkdwn

OWN = "https://www.quellbach.example/sperrmuell"
PORTAL = "https://service.quellbach.example/portal"
PHISHING = "https://quellbach-buergerportal.example/login"


def sperrmuell_source() -> Source:
    return Source(
        n=1,
        chunk_id="sperrmuell::0000",
        doc_id="sperrmuell",
        source="sperrmuell.html",
        title="Sperrmüll in Quellbach",
        doc_type="guidance",
        text=f"Den Antrag stellen Sie im Bürgerportal. Angeblich geht es auch über {PHISHING}.",
        url=OWN,
        links=[PORTAL],
    )


def section_text(answer: Answer) -> str:
    blocks = [b for message in answer_messages(answer) for b in message.as_kwargs()["blocks"]]
    return "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")


def test_a_link_planted_in_a_sources_text_does_not_reach_slack() -> None:
    answer = Answer(
        answer_id="a-1",
        question="Wie beantrage ich Sperrmüll?",
        answer=f"Den Antrag stellen Sie im [Bürgerportal]({PORTAL}) [1] oder unter {PHISHING} [1].",
        abstained=False,
        mode="llm",
        sources=[sperrmuell_source()],
    )

    text = section_text(answer)

    assert "quellbach-buergerportal" not in text
    assert f"<{PORTAL}|Bürgerportal> (service.quellbach.example) [1]" in text
    assert "[Link entfernt]" in text


def test_every_labelled_link_shows_its_bare_domain() -> None:
    assert link(OWN, "Sperrmüll") == f"<{OWN}|Sperrmüll> (quellbach.example)"
    assert source_line(sperrmuell_source()).startswith(
        f"1. <{OWN}|Sperrmüll in Quellbach> (quellbach.example) – "
    )
    # A label that looks like a trusted address cannot hide where the link goes.
    safe = safe_mrkdwn(f"[Rathaus quellbach.de]({PORTAL})", {PORTAL})
    assert safe == f"<{PORTAL}|Rathaus quellbach.de> (service.quellbach.example)"
