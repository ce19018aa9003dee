"""Opening the index: the one place that assembles settings, embedder and :class:`Index`.

Every entry point (CLI, API, Slack bot, evals, backup, probe) opens its index here, so
the thread-safety wrappers are the same wherever the index is shared between threads.
"""

from __future__ import annotations

from assistant.config import Settings
from assistant.embeddings import Embedder, create_embedder
from assistant.embeddings.locked import thread_safe
from assistant.index import Index


def open_index(
    settings: Settings,
    *,
    write: bool = False,
    shared: bool = False,
    purpose: str = "",
    embedder: Embedder | None = None,
    discard_vectors: bool = False,
) -> Index:
    """The index of ``settings``.

    ``write``: this process may change it (takes the writer lock). ``shared``: request threads
    share it (API, bots): the embedder is locked unless reentrant; the lexical read model
    builds by one thread at a time anyway (:mod:`assistant.index.lexical_model`). ``embedder``
    replaces the one the settings name (evals and tests pass a cached or fake one).
    ``discard_vectors``: start from an empty vector store (rebuild, restore).
    """
    model = embedder if embedder is not None else create_embedder(settings)
    if shared:
        model = thread_safe(model, settings.embedding_backend)
    return Index(settings, model, write=write, purpose=purpose, discard_vectors=discard_vectors)
