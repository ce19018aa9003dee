"""The bot's door to the assistant: the conversation's document sets applied, one call at a time.

The restriction is ``SearchFilters(doc_sets=...)`` with the conversation's allowed sets
(:meth:`~bots.slack.channel_policy.Access.search_filters`), applied by the core inside the
vector query and the lexical (BM25) mask: only documents in at least one of these sets are
retrieved. Public documents are simply those in the public set (``oeffentlich`` by default).

bolt runs listeners on a thread pool; the assistant is opened for sharing between threads
(:meth:`Assistant.open` with ``shared=True``, the same wrappers as the HTTP API), so
questions from several conversations are answered concurrently.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from assistant.config import Settings
from assistant.conversation import Turn
from assistant.types import Answer
from bots.slack.channel_policy import Access

if TYPE_CHECKING:
    from assistant.service import Assistant

AssistantProvider = Callable[[], "Assistant"]
"""Returns the (shared, already opened) assistant; called for every question."""


class AssistantAccess:
    """Ask and draft on behalf of a Slack conversation."""

    def __init__(self, provider: AssistantProvider) -> None:
        self._provider = provider

    def ask(self, question: str, access: Access, history: Sequence[Turn] | None = None) -> Answer:
        """The answer within the conversation's sets; ``history`` makes follow-ups understood."""
        return self._provider().ask(question, access.search_filters(), history=history)

    def draft(self, request: Any, access: Access, progress: Callable[[Any], None] | None = None) -> Any:
        """A ``Draft`` for a ``DraftRequest`` (see assistant/drafting); ``progress`` hears each part."""
        return self._provider().draft(request, access.search_filters(), progress=progress)

    def docx(self, draft: Any) -> bytes:
        """A ``Draft`` as DOCX, in the deployment's Word template (``ASSISTANT_DOCX_TEMPLATE``)."""
        from assistant.drafting import render_docx

        return render_docx(draft, template=self._provider().settings.docx_template)


class SharedAssistant:
    """An :data:`AssistantProvider` that opens the index on first use and keeps it open."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._assistant: Assistant | None = None
        self._lock = threading.Lock()

    def __call__(self) -> Assistant:
        with self._lock:
            if self._assistant is None:
                from assistant.service import Assistant

                self._assistant = Assistant.open(self.settings, shared=True, purpose="slack")
            return self._assistant

    def close(self) -> None:
        with self._lock:
            if self._assistant is not None:
                self._assistant.close()
                self._assistant = None
