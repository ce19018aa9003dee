"""Which document sets a Slack conversation may draw from, and where the bot answers unasked.

Every document belongs to at least one set: the sets named in its metadata, otherwise the
configured default sets (``ASSISTANT_DEFAULT_DOC_SETS``, normally ``[oeffentlich]``). A
conversation sees exactly the documents in at least one of its allowed sets.

The YAML file (``ASSISTANT_SLACK_CHANNELS_FILE``, example in ``bots/slack/channels.example.yaml``)::

    default:                  # every channel not listed
      doc_sets: [oeffentlich] # may be left out: the configured default sets
      mentions_only: false
    channels:
      C0123ABCD:              # channel id: names change, ids don't
        doc_sets: [oeffentlich, intern]   # the complete list: public documents + "intern"
        mentions_only: true   # answer @mentions only: no slash commands, no unasked follow-ups
      C0456EFGH:
        mentions_only: true   # no doc_sets: the configured default sets
    direct_messages:
      doc_sets: [oeffentlich] # DMs of users not listed below (may be left out)
      users:
        U0456EFGH: [oeffentlich, intern]

A rule without ``doc_sets`` gets the configured default sets (``settings.default_doc_sets``),
not the ``default`` rule's list; a listed set is never added implicitly, so an internal channel
names the public set too. An empty list is rejected: it would show nothing (the old meaning
"public documents only" no longer exists). Without a file every conversation sees the
configured default sets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.errors import ConfigError
from assistant.types import SearchFilters

_EMPTY_LIST = (
    "leere Liste gibt keine Dokumente frei – weglassen für die Standard-Sets "
    "oder die Sets nennen, z. B. [oeffentlich]"
)


def _check_sets(sets: list[str]) -> list[str]:
    if not sets:
        raise ValueError(_EMPTY_LIST)
    cleaned = [name.strip() for name in sets]
    if not all(cleaned):
        raise ValueError("leerer Set-Name")
    return cleaned


class ChannelRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_sets: list[str] | None = None
    """Allowed sets; None: the configured default sets."""
    mentions_only: bool = False

    @field_validator("doc_sets")
    @classmethod
    def _sets(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _check_sets(value)


class DirectMessageRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_sets: list[str] | None = None
    """Allowed sets for users not listed; None: the configured default sets."""
    users: dict[str, list[str]] = Field(default_factory=dict)

    @field_validator("doc_sets")
    @classmethod
    def _sets(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _check_sets(value)

    @field_validator("users")
    @classmethod
    def _user_sets(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        return {user: _check_sets(sets) for user, sets in value.items()}


class ChannelConfig(BaseModel):
    """The parsed YAML file."""

    model_config = ConfigDict(extra="forbid")

    default: ChannelRule = Field(default_factory=ChannelRule)
    channels: dict[str, ChannelRule] = Field(default_factory=dict)
    direct_messages: DirectMessageRule = Field(default_factory=DirectMessageRule)


@dataclass(frozen=True)
class Access:
    """What one conversation may use."""

    doc_sets: frozenset[str]
    """The document sets this conversation may draw from (empty: nothing)."""
    mentions_only: bool = False

    def can_see(self, document_sets: Iterable[str]) -> bool:
        """Whether a document in these sets is visible here: it must share at least one set."""
        return not self.doc_sets.isdisjoint(document_sets)

    def search_filters(self) -> SearchFilters:
        """The retrieval restriction (applied inside the vector query and the BM25 mask)."""
        return SearchFilters(doc_sets=sorted(self.doc_sets))


class ChannelPolicy:
    """Answers "what may this conversation see?" from the channel configuration."""

    def __init__(self, config: ChannelConfig | None = None, *, default_sets: Iterable[str]) -> None:
        self.config = config or ChannelConfig()
        self.default_sets = frozenset(default_sets)

    @classmethod
    def load(cls, path: Path | None, *, default_sets: Iterable[str]) -> ChannelPolicy:
        """Read the YAML file; no path means ``default_sets`` everywhere.

        ``default_sets`` is ``settings.default_doc_sets``: the sets of documents whose metadata
        names none, and the sets of every rule without ``doc_sets``.
        """
        if path is None:
            return cls(default_sets=default_sets)
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except OSError as exc:
            raise ConfigError(
                f"Slack-Kanalkonfiguration nicht lesbar: {exc.strerror}", source=str(path)
            ) from exc
        except yaml.YAMLError as exc:
            raise ConfigError(
                f"Slack-Kanalkonfiguration ist kein gültiges YAML: {exc}", source=str(path)
            ) from exc
        try:
            return cls(ChannelConfig.model_validate(data), default_sets=default_sets)
        except ValidationError as exc:
            problems = "; ".join(
                f"Feld {'.'.join(str(p) for p in error['loc']) or '(Datei)'}: "
                + error["msg"].removeprefix("Value error, ")
                for error in exc.errors()
            )
            raise ConfigError(f"Slack-Kanalkonfiguration ungültig – {problems}", source=str(path)) from exc

    def access(self, channel_id: str, user_id: str | None = None, *, direct: bool | None = None) -> Access:
        """Access for a message in ``channel_id`` by ``user_id``; DMs (ids ``D…``) follow the user."""
        if direct is None:
            direct = channel_id.startswith("D")
        if direct:
            dms = self.config.direct_messages
            sets = dms.users.get(user_id or "", dms.doc_sets)
            return Access(self._sets(sets))
        rule = self.config.channels.get(channel_id, self.config.default)
        return Access(self._sets(rule.doc_sets), mentions_only=rule.mentions_only)

    def _sets(self, listed: list[str] | None) -> frozenset[str]:
        return self.default_sets if listed is None else frozenset(listed)
