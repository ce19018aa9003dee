"""Request and response models of ``/v1/chat/completions`` and ``/v1/models`` (OpenAI's shapes).

Fields the assistant does not use (``tools``, ``params``, ``temperature``, session ids, …) are
ignored. No length limit is put on the messages here: the question is checked after Open WebUI's
task prompts (long by nature) are told apart from staff questions.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from kommunal.api.problems import OpenAIErrorDetail

MODEL_ID = "kommunal-assistant"


class ChatMessage(BaseModel):
    """One message; ``content`` as a string or as OpenAI content parts."""

    model_config = ConfigDict(extra="ignore")

    role: str
    content: str | list[dict[str, Any]] | None = None

    @property
    def text(self) -> str:
        """The message's text (the text parts joined)."""
        if isinstance(self.content, str):
            return self.content
        if isinstance(self.content, list):  # content parts: [{"type": "text", "text": "..."}]
            return "".join(str(p.get("text", "")) for p in self.content if p.get("type", "text") == "text")
        return ""


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")

    include_usage: bool = False


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    model: str | None = None
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(
        default=None, ge=1, description="Bound on the answer text's tokens; cut at a sentence end."
    )
    max_completion_tokens: int | None = Field(default=None, ge=1, description="Same as max_tokens.")
    n: int | None = Field(default=None, description="Only 1 is supported (400 otherwise).")
    stop: str | list[str] | None = Field(default=None, description="Not supported (400 when given).")

    @property
    def token_limit(self) -> int | None:
        """The smaller of ``max_tokens`` and ``max_completion_tokens``, if any is given."""
        limits = [v for v in (self.max_tokens, self.max_completion_tokens) if v is not None]
        return min(limits) if limits else None


class ChatChoiceMessage(BaseModel):
    role: Literal["assistant"] = "assistant"
    content: str


FinishReason = Literal["stop", "length"]


class ChatChoice(BaseModel):
    index: int = 0
    message: ChatChoiceMessage
    finish_reason: FinishReason = "stop"


class Usage(BaseModel):
    """Token counts (the embedding model's tokenizer; see the module docstring)."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int

    @classmethod
    def of(cls, prompt_tokens: int, completion_tokens: int) -> Usage:
        return cls(
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        )


class ChatCompletion(BaseModel):
    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[ChatChoice]
    usage: Usage


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "kommunal-assistant"


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


class InvalidParameterDetail(OpenAIErrorDetail):
    """OpenAI's error detail with the ``param`` it names (``problems.OpenAIErrorDetail`` has none)."""

    param: str | None = None
