"""With a language model configured, follow-ups are rewritten by a German condense prompt.

The model gets the conversation's earlier questions and the new one and returns the question
as it would be asked on its own. The rule-based condenser (:mod:`assistant.conversation`)
stays the fallback: when the model is unreachable, slow, or answers with something that is
not a question, the rules decide, so a conversation never fails because of the model.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from assistant.conversation import Condenser, StandaloneQuestion, Turn

log = logging.getLogger(__name__)

CONDENSE_PROMPT = """Du formulierst Anschlussfragen aus einem Gespräch mit einem Wissensassistenten einer \
Stadtverwaltung so um, dass sie ohne das Gespräch verständlich sind.
Regeln:
- Ersetze Bezüge wie „das“, „dort“, „dafür“ oder Auslassungen („Und wo?“) durch das, worauf sie sich \
in den früheren Fragen beziehen.
- Ist die neue Frage schon ohne das Gespräch verständlich oder betrifft sie ein neues Thema, gib sie \
unverändert zurück.
- Beantworte die Frage nicht. Gib genau eine Frage auf Deutsch aus, ohne Einleitung und \
ohne Anführungszeichen."""
MAX_QUESTION_CHARS = 500


class LLMCondenser:
    """Rewrites follow-ups with a chat model (langchain ``BaseChatModel``), the rules as fallback."""

    def __init__(self, chat_model: Any, fallback: Condenser) -> None:
        self.chat_model = chat_model
        self.fallback = fallback

    def condense(self, history: Sequence[Turn], question: str) -> StandaloneQuestion:
        ruled = self.fallback.condense(history, question)
        earlier = [t.question for t in history if t.question.strip()]
        if not earlier:
            return ruled
        try:
            rewritten = self._ask(earlier, question)
        except Exception as exc:  # noqa: BLE001 - any model failure: the rules decide
            log.warning("condense prompt failed, using the rules: %s", type(exc).__name__)
            return ruled
        if rewritten is None:
            return ruled
        if _same(rewritten, question):
            return StandaloneQuestion(question, question)
        return StandaloneQuestion(
            question,
            rewritten,
            rewritten=True,
            about=rewritten,
            prefer_doc_ids=ruled.prefer_doc_ids
            or tuple(dict.fromkeys(d for t in history[-2:] for d in t.cited_doc_ids)),
        )

    def _ask(self, earlier: list[str], question: str) -> str | None:
        from langchain_core.messages import HumanMessage, SystemMessage

        asked = "\n".join(f"- {q}" for q in earlier[-3:])
        reply = self.chat_model.invoke(
            [
                SystemMessage(CONDENSE_PROMPT),
                HumanMessage(f"Frühere Fragen:\n{asked}\n\nNeue Frage: {question}\n\nEigenständige Frage:"),
            ]
        )
        text = " ".join(str(getattr(reply, "content", "")).split()).strip().strip("„“\"'")
        if not text or len(text) > MAX_QUESTION_CHARS or not text.endswith("?"):
            return None  # not a question: the model answered or rambled
        return text


def _same(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())
