"""The small error hierarchy of the core.

Each error carries a stable machine-readable ``code`` and a German ``message`` for the
person who reads it. The CLI maps them to exit codes, the API to HTTP status codes, the
bots to friendly messages: nowhere else are they translated.
"""

from __future__ import annotations


class AssistantError(Exception):
    """Base class of every error the assistant raises on purpose."""

    code = "assistant_error"
    default_message = ""  # the message when none is given (set where one sentence fits every case)

    def __init__(self, message: str | None = None, *, source: str | None = None) -> None:
        message = message or self.default_message
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message


class ConfigError(AssistantError):
    """A setting is missing or invalid."""

    code = "config_error"


class DocumentError(AssistantError):
    """One input document could not be ingested; the others go on."""

    code = "document_error"


class UnsupportedFormatError(DocumentError):
    code = "unsupported_format"


class FileTooLargeError(DocumentError):
    code = "file_too_large"


class EmptyDocumentError(DocumentError):
    code = "empty_document"


class CorruptDocumentError(DocumentError):
    code = "corrupt_document"


class EncryptedDocumentError(DocumentError):
    code = "encrypted_document"


class SuspiciousArchiveError(DocumentError):
    """An office file whose zip declares more content than we are willing to unpack."""

    code = "suspicious_archive"


class IndexUnavailableError(AssistantError):
    """The index cannot be opened or written."""

    code = "index_error"


class IndexLockedError(IndexUnavailableError):
    """Another process owns the embedded index."""

    code = "index_locked"


class InvalidRequestError(AssistantError):
    """A request the assistant refuses as given (for example a filter too large to run)."""

    code = "invalid_request"


class NotFoundError(AssistantError):
    """A requested document or resource does not exist."""

    code = "not_found"


class LLMUnavailableError(AssistantError):
    """The language model server could not be reached or refused the request."""

    code = "llm_unavailable"
    default_message = "Das Sprachmodell ist nicht erreichbar. Bitte später erneut versuchen."


class LLMTimeoutError(LLMUnavailableError):
    """The language model did not answer within ``llm_timeout_s``."""

    code = "llm_timeout"
    default_message = "Das Sprachmodell hat nicht rechtzeitig geantwortet. Bitte später erneut versuchen."
