"""The chat model behind any OpenAI-compatible server, and its failures as the assistant's errors.

LangChain stays behind this module and :mod:`assistant.generation.chat_messages`:
:func:`create_chat_model` builds ``ChatOpenAI`` for vLLM, Ollama, LM Studio, llama.cpp's
server or a hosted endpoint; :func:`translate_error` turns transport failures into
:class:`LLMUnavailableError` / :class:`LLMTimeoutError` with German messages.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

from assistant.errors import ConfigError, LLMTimeoutError, LLMUnavailableError

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.config import Settings

_RETRY_LATER = "Bitte später erneut versuchen."


def create_chat_model(settings: Settings) -> BaseChatModel:
    """``ChatOpenAI`` for the OpenAI-compatible server in ``settings.llm_base_url``."""
    if not settings.llm_base_url:
        raise ConfigError("Kein Sprachmodell konfiguriert: ASSISTANT_LLM_BASE_URL ist nicht gesetzt.")
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ConfigError("langchain-openai fehlt. Installieren mit: pip install langchain-openai") from exc
    return ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
        temperature=settings.llm_temperature,
        # ChatOpenAI sends its max_tokens as "max_completion_tokens", which llama.cpp-based
        # servers, LM Studio and older Ollama ignore; plain "max_tokens" is understood by all
        # local servers (and by hosted chat models other than OpenAI's reasoning models).
        extra_body={"max_tokens": settings.llm_max_tokens},
    )


def translate_error(
    exc: BaseException, *, timeout_s: float | None = None, endpoint: str | None = None
) -> LLMUnavailableError | None:
    """The assistant's error for a failed model call, or None if ``exc`` is not a transport failure."""
    import httpx
    import openai
    from langchain_core import exceptions as lc

    if isinstance(exc, lc.ModelTimeoutError | openai.APITimeoutError | httpx.TimeoutException | TimeoutError):
        limit = f" (Zeitlimit {timeout_s:g} s)" if timeout_s else ""
        return LLMTimeoutError(
            f"Das Sprachmodell hat nicht rechtzeitig geantwortet{limit}. Bitte später erneut versuchen.",
            source=endpoint,
        )
    status = getattr(exc, "status_code", None)
    if isinstance(exc, lc.ModelError | openai.APIError | httpx.TransportError):
        return LLMUnavailableError(_unavailable_message(exc, status), source=endpoint)
    return None


def _unavailable_message(exc: BaseException, status: int | None) -> str:
    import httpx
    import openai

    if status in (401, 403):
        return (
            f"Das Sprachmodell ist nicht erreichbar (Zugriff verweigert, HTTP {status}). "
            "Bitte den Schlüssel in ASSISTANT_LLM_API_KEY prüfen."
        )
    if status == 404:
        return (
            "Das Sprachmodell ist nicht erreichbar (Modell oder Adresse nicht gefunden, HTTP 404). "
            "Bitte ASSISTANT_LLM_MODEL und ASSISTANT_LLM_BASE_URL prüfen."
        )
    if status == 429:
        return f"Das Sprachmodell ist ausgelastet (HTTP 429). {_RETRY_LATER}"
    if status is not None and 400 <= status < 500:
        return f"Das Sprachmodell hat die Anfrage abgelehnt (HTTP {status}), etwa weil sie zu lang ist."
    if status is not None:
        return f"Das Sprachmodell ist nicht erreichbar (Serverfehler, HTTP {status}). {_RETRY_LATER}"
    if any(isinstance(e, httpx.ConnectError | ConnectionRefusedError | socket.gaierror) for e in _chain(exc)):
        return f"Das Sprachmodell ist nicht erreichbar (keine Verbindung zum Server). {_RETRY_LATER}"
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
        return f"Die Verbindung zum Sprachmodell ist abgebrochen. {_RETRY_LATER}"
    return f"Das Sprachmodell ist nicht erreichbar (ungültige Antwort des Servers). {_RETRY_LATER}"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the exceptions it was raised from (the SDKs wrap the transport's error)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
