"""The messages sent to a chat model: system prompt, worked examples, delimited sources, question.

Shared by answers (:mod:`assistant.generation.llm`) and drafts (:mod:`assistant.drafting.llm`).
Sources are wrapped in ``<quelle>`` delimiters that the system prompt declares untrusted; a
delimiter inside a document is defused so a document cannot close its own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from assistant.generation.base import NOTHING_FOUND
from assistant.types import Source

PROMPT_FILE = Path(__file__).parent / "prompts" / "answer_de.txt"
EXAMPLES_FILE = Path(__file__).parent / "prompts" / "answer_examples_de.txt"

Messages = list[tuple[str, str]]


@lru_cache(maxsize=1)
def system_prompt() -> str:
    """The German system prompt, with the exact abstention sentence filled in."""
    return PROMPT_FILE.read_text(encoding="utf-8").replace("{nothing_found}", NOTHING_FOUND).strip()


def build_messages(
    question: str, sources: list[Source], max_source_chars: int = 2000, *, with_examples: bool = True
) -> Messages:
    """System prompt, the worked examples as earlier turns, then the delimited sources and question.

    Small models copied an example that sat inside the system prompt into real answers; as
    earlier chat turns (about a clearly fictional "Beispielgemeinde", one of them an abstention)
    they read as a finished conversation instead.
    """
    blocks = []
    for source in sources:
        text = source.text.strip()
        if len(text) > max_source_chars:
            text = text[:max_source_chars].rsplit(" ", 1)[0] + " …"
        title = _defuse(source.title).replace('"', "'").replace("\n", " ").strip()
        blocks.append(f'<quelle nr="{source.n}" titel="{title}">\n{_defuse(text)}\n</quelle>')
    user = "\n".join(blocks) + f"\n\nFrage: {_defuse(question.strip())}"
    examples = example_turns() if with_examples else []
    return [("system", system_prompt()), *examples, ("human", user)]


def example_turns() -> Messages:
    """The worked examples of ``prompts/answer_examples_de.txt`` as (human, ai) turns."""
    text = EXAMPLES_FILE.read_text(encoding="utf-8").replace("{nothing_found}", NOTHING_FOUND)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    turns: Messages = []
    for block in body.split("=== FRAGE ===")[1:]:
        asked, answered = block.split("=== ANTWORT ===")
        turns += [("human", asked.strip()), ("ai", answered.strip())]
    return turns


def says_nothing_found(text: str) -> bool:
    """True when the model's reply is (essentially only) the abstention sentence."""
    normal = _normalise(text)
    target = _normalise(NOTHING_FOUND)
    if target in normal:
        rest = normal.replace(target, " ").split()
        return len(rest) < 4
    # Paraphrases small models use instead of the exact sentence, when nothing is cited.
    return not re.search(r"\[\s*\d", text) and _PARAPHRASE.search(normal) is not None


# "<quelle" / "</quelle" inside data would let a document close its own delimiter.
_DELIMITER = re.compile(r"<\s*/?\s*quelle", re.IGNORECASE)
_PREAMBLE = re.compile(r"^\s*(?:\*\*)?Antwort(?:\*\*)?\s*:\s*(?:\*\*)?\s*", re.IGNORECASE)
_PARAPHRASE = re.compile(
    r"(?:nicht in den (?:quellen|dokumenten)|(?:quellen|dokumente) enthalten keine"
    r"|keine (?:angaben|informationen) (?:dazu|zu|über))"
)


def _defuse(text: str) -> str:
    return _DELIMITER.sub(lambda m: m.group().replace("<", "‹"), text)


def strip_preamble(text: str) -> str:
    """The reply without a leading „Antwort:“ label."""
    return _PREAMBLE.sub("", text.strip(), count=1).strip()


def _normalise(text: str) -> str:
    text = re.sub(r"\[[^\]]*\]", " ", text.lower())
    return " ".join(re.findall(r"\w+", text))
