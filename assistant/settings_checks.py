"""Checks of single setting values, attached to their fields in :mod:`assistant.config`.

Each raises ``ValueError`` with the German reason; :mod:`assistant.settings_errors` turns
it into the message that names the variable.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import SecretStr


def postgres_url(value: SecretStr | None) -> SecretStr | None:
    """Only PostgreSQL addresses are shared-state databases."""
    if value is not None and not value.get_secret_value().startswith(("postgresql://", "postgres://")):
        raise ValueError(
            "erwartet eine PostgreSQL-Adresse postgresql://benutzer:passwort@host:port/datenbank"
        )
    return value


def log_level_any_case(value: Any) -> Any:
    """'info' as uvicorn spells it; '' is unset."""
    if isinstance(value, str):
        return value.strip().upper() or None
    return value


def safe_index_name(value: str) -> str:
    """The index name becomes a folder and a collection name."""
    if not value.replace("-", "").replace("_", "").isalnum():
        raise ValueError("der Name darf nur Buchstaben, Ziffern, '-' und '_' enthalten")
    return value


def word_template(value: Path | None) -> Path | None:
    """Only what can be seen without reading it; the drafting module says if the content is bad."""
    if value is None or str(value) in ("", "."):
        return None
    if value.suffix.lower() not in (".dotx", ".docx"):
        raise ValueError("erwartet den Pfad einer Word-Vorlage (.dotx oder .docx)")
    if not value.is_file():
        raise ValueError(f"die Datei {value} gibt es nicht")
    return value
