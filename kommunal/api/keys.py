"""API keys: roles, allowed document sets, stored hashed, checked in constant time.

A key reads ``ka_<key_id>_<secret>``: the public ``key_id`` finds the row, the 256-bit random
``secret`` is what proves possession. Only ``sha256(secret)`` is stored — a fast hash is
enough for a high-entropy random token (there is nothing to brute-force as with passwords) —
and it is compared with :func:`hmac.compare_digest`. Unknown ids are compared against a
dummy digest, so a lookup miss costs the same as a wrong secret.

A *front-end key* (``frontend="openwebui"``) is the key a chat front end uses for all its
users; for it, the user identity the front end forwards narrows the document sets per request
(:mod:`kommunal.api.frontend_users`). It is always a reader key: every user of the front end
shares it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from assistant.config import Settings
from assistant.errors import ConfigError, NotFoundError
from assistant.storage import Database, as_database, open_database
from assistant.types import MAX_FILTER_VALUES

Role = Literal["reader", "editor", "admin"]
ROLES: tuple[Role, ...] = ("reader", "editor", "admin")
Frontend = Literal["openwebui"]
FRONTENDS: tuple[Frontend, ...] = ("openwebui",)
_RANK = {role: rank for rank, role in enumerate(ROLES)}
_PREFIX = "ka_"
_DUMMY_DIGEST = hashlib.sha256(b"no such key").hexdigest()

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    doc_sets TEXT NOT NULL DEFAULT '[]',
    secret_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    frontend TEXT
);
"""


class ApiKey(BaseModel):
    """What a key may do; never contains the secret."""

    key_id: str
    name: str
    role: Role
    doc_sets: list[str] = Field(default_factory=list, description="Document sets this key may read.")
    created_at: str
    revoked_at: str | None = None
    frontend: Frontend | None = Field(
        default=None, description="Chat front end whose forwarded users narrow the sets (openwebui)."
    )
    user_id: str | None = Field(
        default=None,
        exclude=True,
        description="The front-end user of this request (set per request, never stored).",
    )

    def allows(self, role: Role) -> bool:
        """Whether this key's role includes ``role`` (admin > editor > reader)."""
        return _RANK[self.role] >= _RANK[role]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def owner(self) -> str:
        """Whose recent answers and drafts these are: the key, or a front end's user of it."""
        return self.key_id if self.user_id is None else f"{self.key_id}/{self.user_id}"

    @property
    def log_name(self) -> str:
        """The key's name for log lines, with the front-end user as a hash (never the e-mail)."""
        if self.user_id is None:
            return self.name
        return f"{self.name} user=sha256:{hashlib.sha256(self.user_id.encode('utf-8')).hexdigest()[:12]}"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class KeyStore:
    """Hashed API keys in the shared-state database: a SQLite file (every worker using the same data
    directory) or PostgreSQL (replicas on several hosts: a key revoked on one is refused on all)."""

    def __init__(self, where: Path | Database) -> None:
        """Open the store in a SQLite file at ``where`` or in an open database."""
        self._db = as_database(where)
        self._db.script(_SCHEMA)
        self._add_frontend_column()

    def _add_frontend_column(self) -> None:
        """Key stores made before front-end keys existed get the ``frontend`` column (NULL: a plain key)."""
        if "frontend" in self._db.execute("SELECT * FROM api_keys WHERE 1 = 0").columns:
            return
        try:
            with self._db.transaction() as db:
                db.execute("ALTER TABLE api_keys ADD COLUMN frontend TEXT")
        except Exception:  # noqa: BLE001 - another process may have added it meanwhile
            if "frontend" not in self._db.execute("SELECT * FROM api_keys WHERE 1 = 0").columns:
                raise

    @classmethod
    def for_settings(cls, settings: Settings) -> KeyStore:
        """PostgreSQL when configured, else the SQLite file ``settings.api_keys_path``."""
        return cls(open_database(settings, settings.api_keys_path, purpose="api keys"))

    def create(
        self, name: str, role: Role, doc_sets: list[str] | None = None, frontend: str | None = None
    ) -> tuple[ApiKey, str]:
        """A new key; returns its record and the token (shown once, never stored).

        ``frontend`` marks a front-end key (see the module docstring); it must be a reader key."""
        name = name.strip()
        if not name:
            raise ConfigError("Der Name des Schlüssels darf nicht leer sein (--name).")
        if role not in ROLES:
            raise ConfigError(f"Unbekannte Rolle {role!r} (--role). Erlaubt: {', '.join(ROLES)}.")
        sets = sorted({s.strip() for s in doc_sets or [] if s.strip()})
        if len(sets) > MAX_FILTER_VALUES:
            raise ConfigError(f"Höchstens {MAX_FILTER_VALUES} Dokumentmengen je Schlüssel (--set).")
        if frontend is not None and frontend not in FRONTENDS:
            allowed = ", ".join(FRONTENDS)
            raise ConfigError(f"Unbekanntes Frontend {frontend!r} (--frontend). Erlaubt: {allowed}.")
        if frontend is not None and role != "reader":
            raise ConfigError(
                f"Ein Frontend-Schlüssel (--frontend) hat die Rolle reader, nicht {role}: alle Nutzer "
                "des Frontends teilen ihn."
            )
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        record = ApiKey(
            key_id=key_id,
            name=name,
            role=role,
            doc_sets=sets,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            frontend=frontend,  # type: ignore[arg-type]  # checked against FRONTENDS above
        )
        try:
            with self._db.transaction() as db:
                db.execute(
                    "INSERT INTO api_keys(key_id, name, role, doc_sets, secret_sha256, created_at, frontend)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        key_id,
                        name,
                        role,
                        json.dumps(record.doc_sets),
                        _digest(secret),
                        record.created_at,
                        frontend,
                    ),
                )
        except self._db.integrity_errors as exc:
            raise ConfigError(f"Ein Schlüssel mit dem Namen {name!r} existiert bereits.") from exc
        return record, f"{_PREFIX}{key_id}_{secret}"

    def verify(self, token: str) -> ApiKey | None:
        """The active key for ``token``, or None (unknown, malformed or revoked)."""
        key_id, secret = _split(token)
        rows = self._db.execute("SELECT * FROM api_keys WHERE key_id = ?", (key_id,)).dicts()
        row = rows[0] if rows else None
        stored = row["secret_sha256"] if row is not None else _DUMMY_DIGEST
        matches = hmac.compare_digest(stored, _digest(secret))
        if row is None or not matches or row["revoked_at"]:
            return None
        return _record(row)

    def list(self) -> list[ApiKey]:
        rows = self._db.execute("SELECT * FROM api_keys ORDER BY created_at, name").dicts()
        return [_record(row) for row in rows]

    def revoke(self, name_or_id: str) -> ApiKey:
        """Revoke a key by name or key_id; it stops working at the next request."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._db.transaction() as db:
            found = db.execute(
                "SELECT * FROM api_keys WHERE name = ? OR key_id = ?", (name_or_id, name_or_id)
            ).dicts()
            row = found[0] if found else None
            if row is None:
                raise NotFoundError(f"Kein API-Schlüssel mit Name oder ID {name_or_id!r}.")
            db.execute(
                "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE key_id = ?",
                (now, row["key_id"]),
            )
            row = db.execute("SELECT * FROM api_keys WHERE key_id = ?", (row["key_id"],)).dicts()[0]
        return _record(row)


def _split(token: str) -> tuple[str, str]:
    """(key_id, secret) of a well-formed token; ("", token) otherwise (still verified in full)."""
    if token.startswith(_PREFIX):
        key_id, sep, secret = token[len(_PREFIX) :].partition("_")
        if sep:
            return key_id, secret
    return "", token


def _record(row: dict[str, Any]) -> ApiKey:
    return ApiKey(
        key_id=row["key_id"],
        name=row["name"],
        role=row["role"],
        doc_sets=json.loads(row["doc_sets"]),
        created_at=row["created_at"],
        revoked_at=row["revoked_at"],
        frontend=row.get("frontend"),
    )
