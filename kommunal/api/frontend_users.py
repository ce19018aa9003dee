"""Users forwarded by a trusted chat front end (Open WebUI) and the document sets they may read.

With ``ENABLE_FORWARD_USER_INFO_HEADERS=true`` Open WebUI sends the signed-in user with every
request (``X-OpenWebUI-User-Id``, ``-Name`` (URL-quoted), ``-Email``, ``-Role``). Only for a key
made with ``keys create --frontend openwebui`` are these headers read; any other key ignores them,
since any client could send them.

The YAML file of ``ASSISTANT_FRONTEND_USERS_FILE`` maps a user to document sets::

    default: [oeffentlich]
    users:   {"3f2c…-user-id": [oeffentlich, intern]}
    emails:  {anna.schmidt@stadt-musterhausen.de: [intern]}
    domains: {"@stadt-musterhausen.de": [oeffentlich, intern]}
    roles:   {admin: [oeffentlich, intern], user: [oeffentlich]}

The most specific entry wins (user id, then e-mail, then e-mail domain, then role, then
``default``); entries are not merged. Without ``default`` an unknown user gets no set, and so
does every user when the file is not configured. Whatever the entry says, the user never sees
more than the key: the result is intersected with the key's own sets.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from starlette.datastructures import Headers

from assistant.errors import ConfigError
from kommunal.api.keys import ApiKey

log = logging.getLogger(__name__)

HEADER_PREFIX = "X-OpenWebUI-User-"
_SETS_PER_ENTRY = 50


@dataclass(frozen=True)
class FrontendUser:
    """The user a front end forwarded; empty strings for headers it did not send."""

    user_id: str = ""
    name: str = ""
    email: str = ""
    role: str = ""

    @classmethod
    def from_headers(cls, headers: Headers) -> FrontendUser:
        """The Open WebUI user headers of a request (the name is URL-quoted by Open WebUI)."""

        def value(field: str) -> str:
            return headers.get(f"{HEADER_PREFIX}{field}", "").strip()

        return cls(
            user_id=value("Id"), name=unquote(value("Name")), email=value("Email").lower(), role=value("Role")
        )


SetList = list[str]


class UserMapping(BaseModel):
    """The mapping file: document sets by user id, e-mail, e-mail domain and Open WebUI role."""

    model_config = ConfigDict(extra="forbid")

    default: SetList = Field(default_factory=list)
    users: dict[str, SetList] = Field(default_factory=dict)
    emails: dict[str, SetList] = Field(default_factory=dict)
    domains: dict[str, SetList] = Field(default_factory=dict)
    roles: dict[str, SetList] = Field(default_factory=dict)

    @field_validator("emails", "domains")
    @classmethod
    def _lower_case(cls, value: dict[str, SetList]) -> dict[str, SetList]:
        return {k.strip().lower(): v for k, v in value.items()}

    @field_validator("domains")
    @classmethod
    def _domains_start_with_at(cls, value: dict[str, SetList]) -> dict[str, SetList]:
        for domain in value:
            if not domain.startswith("@") or len(domain) < 3:
                raise ValueError(f"die Domain {domain!r} muss mit @ beginnen (z. B. @stadt-musterhausen.de)")
        return value

    def sets_for(self, user: FrontendUser) -> list[str]:
        """The sets of the most specific entry that matches ``user`` (see the module docstring)."""
        if user.user_id and user.user_id in self.users:
            return self.users[user.user_id]
        if user.email and user.email in self.emails:
            return self.emails[user.email]
        domain = "@" + user.email.rpartition("@")[2] if "@" in user.email else ""
        if domain and domain in self.domains:
            return self.domains[domain]
        if user.role and user.role in self.roles:
            return self.roles[user.role]
        return self.default


def load_mapping(path: Path) -> UserMapping:
    """Read and check a mapping file; a ConfigError names the file and the bad entry."""
    where = f"Die Nutzerzuordnung {path} (ASSISTANT_FRONTEND_USERS_FILE)"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{where} gibt es nicht.") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{where} ist nicht lesbar: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" in Zeile {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{where} ist kein gültiges YAML{line}.") from exc
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where} muss eine Zuordnung sein (default, users, emails, domains, roles).")
    try:
        mapping = UserMapping.model_validate(data)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        entry = ".".join(str(part) for part in error["loc"])
        raise ConfigError(f"{where}: ungültiger Eintrag „{entry}“: {_german(error)}.") from None
    for entry, sets in _entries(mapping):
        if len(sets) > _SETS_PER_ENTRY or any(not s.strip() for s in sets):
            raise ConfigError(
                f"{where}: ungültiger Eintrag „{entry}“: erwartet eine Liste von höchstens "
                f"{_SETS_PER_ENTRY} nicht leeren Mengennamen."
            )
    return mapping


def _entries(mapping: UserMapping) -> list[tuple[str, SetList]]:
    entries: list[tuple[str, SetList]] = [("default", mapping.default)]
    for section in ("users", "emails", "domains", "roles"):
        entries += [(f"{section}.{name}", sets) for name, sets in getattr(mapping, section).items()]
    return entries


def _german(error: Mapping[str, Any]) -> str:  # a pydantic ErrorDetails
    kind = str(error["type"])
    if kind == "extra_forbidden":
        return "unbekannter Abschnitt; erlaubt sind default, users, emails, domains und roles"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    if kind in ("list_type", "string_type", "dict_type"):
        return "erwartet eine Liste von Mengennamen, z. B. [oeffentlich, intern]"
    return f"ungültiger Wert ({error['msg']})"


class MappingFile:
    """The mapping of one path, read again when the file changes (no restart needed)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._mapping: UserMapping | None = None

    def current(self) -> UserMapping | None:
        """The mapping as the file says now; None when no file is configured."""
        if self.path is None:
            return None
        try:
            stat = self.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
        except OSError:
            stamp = None
        with self._lock:
            if self._mapping is None or stamp is None or stamp != self._stamp:
                self._mapping = load_mapping(self.path)
                self._stamp = stamp
                log.info("front-end user mapping loaded path=%s", self.path)
            return self._mapping


def narrowed(key: ApiKey, headers: Headers, mapping: MappingFile) -> ApiKey:
    """``key`` for this request: a front-end key with the forwarded user's sets (within the key's
    own), any other key unchanged (its user headers are not trusted)."""
    if key.frontend is None:
        return key
    user = FrontendUser.from_headers(headers)
    config = mapping.current()
    wanted = set(config.sets_for(user)) if config is not None else set()
    sets = sorted(set(key.doc_sets) & wanted)
    return key.model_copy(update={"doc_sets": sets, "user_id": user.user_id or None})
