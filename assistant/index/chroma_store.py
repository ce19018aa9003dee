"""Vectors in Chroma: embedded (PersistentClient) by default, a Chroma server when configured."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np

from assistant.errors import ConfigError, IndexUnavailableError
from assistant.index.chroma_metadata import chunk_metadata, where_clause
from assistant.types import Chunk, SearchFilters

log = logging.getLogger(__name__)

T = TypeVar("T")


def collection_name(embedder_name: str, index_name: str = "default") -> str:
    """A valid Chroma collection name for one index and embedding model.

    On a Chroma server several indexes (``ASSISTANT_INDEX_NAME``) share one server, so the
    index name is part of the collection name: otherwise one index's reconcile would delete
    the other's vectors as orphans. The default index keeps the name it always had.
    """
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", embedder_name).strip("-._")
    if index_name == "default":
        return f"chunks-{slug}"[:200]
    return f"chunks-{index_name}-{slug}"[:200]


class ChromaStore:
    """One Chroma collection of chunk vectors for one embedding model.

    Against a server every request has a timeout, and transport failures become
    :class:`IndexUnavailableError` with a German message (the API answers 503), never a hang.
    """

    def __init__(
        self,
        directory: Path,
        embedder_name: str,
        *,
        url: str | None = None,
        timeout_s: float = 10.0,
        index_name: str = "default",
    ) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        self.embedder_name = embedder_name
        # Embedded, the collection lives in the index's own folder and keeps its name.
        self.collection_name = collection_name(embedder_name, index_name if url else "default")
        self.where = url or str(directory)
        self.timeout_s = timeout_s
        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        try:
            if url:
                parsed = urlparse(url)
                if not parsed.hostname:
                    raise ConfigError(f"ASSISTANT_CHROMA_URL ist keine gültige URL: {url!r}")
                # The client's constructor talks to the server without a timeout: check first.
                _heartbeat(url, timeout_s)
                self.client = chromadb.HttpClient(
                    host=parsed.hostname,
                    port=parsed.port or 8000,
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
                _set_http_timeout(self.client, timeout_s)
            else:
                directory.mkdir(parents=True, exist_ok=True)
                self.client = chromadb.PersistentClient(path=str(directory), settings=chroma_settings)
            self.collection = self._open_collection()
            self.max_batch = int(self.client.get_max_batch_size())
        except (ConfigError, IndexUnavailableError):
            self.close()
            raise
        except Exception as exc:
            self.close()
            raise self._unavailable(exc) from exc

    def close(self) -> None:
        """Release the client (embedded: its files and threads) so the index can be reopened."""
        client = getattr(self, "client", None)
        if client is not None:
            try:
                client.close()
            except Exception as exc:  # noqa: BLE001 - closing must not hide the caller's own error
                log.warning("closing Chroma client for %s failed: %s", self.where, exc)
            self.client = None  # type: ignore[assignment]

    def _open_collection(self) -> Any:
        return self.client.get_or_create_collection(
            self.collection_name,
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedding_model": self.embedder_name},
        )

    def _unavailable(self, exc: BaseException) -> IndexUnavailableError:
        import httpx

        if isinstance(exc, httpx.TimeoutException):
            return IndexUnavailableError(
                f"Der Chroma-Server {self.where} hat nicht innerhalb von {self.timeout_s:g} s geantwortet. "
                "Bitte später erneut versuchen oder den Server prüfen."
            )
        if isinstance(exc, httpx.TransportError):
            return IndexUnavailableError(
                f"Der Chroma-Server {self.where} ist nicht erreichbar ({type(exc).__name__}). "
                "Bitte prüfen, ob er läuft (chroma run), und später erneut versuchen."
            )
        damage = _damage(exc)
        if damage is not None and not self.where.startswith(("http://", "https://")):
            self._forget_half_started()
            log.info("Chroma database damaged: path=%s error=%s", self.where, exc)
            return IndexUnavailableError(
                # the index's name, not its path: /ready shows this to callers without a key
                f"Die Chroma-Datenbank (chroma.sqlite3) des Index „{Path(self.where).parent.name}“ "
                f"ist beschädigt ({damage}). "
                "Reparieren: 'python -m assistant rebuild' baut die Vektoren aus dem Manifest neu auf "
                "(die Dokumente bleiben erhalten)."
            )
        return IndexUnavailableError(f"Chroma ist nicht erreichbar oder beschädigt ({self.where}): {exc}")

    def _forget_half_started(self) -> None:
        """Drop this path's embedded Chroma system from chromadb's process-wide cache if it never started.

        chromadb caches the system per path before starting it (``SharedSystemClient``); when
        starting fails (a damaged chroma.sqlite3) the broken system stays cached, and the next
        open in this process fails with "'RustBindingsAPI' object has no attribute 'bindings'"
        instead of the real cause. A system that did start is shared and left alone.
        """
        from chromadb.api.shared_system_client import SharedSystemClient

        systems = SharedSystemClient._identifier_to_system
        system = systems.get(self.where)
        try:
            started = system is None or all(c._running for c in system.components())
        except Exception:  # noqa: BLE001 - chromadb internals; a system we cannot inspect is broken
            started = False
        if not started:
            systems.pop(self.where, None)
            SharedSystemClient._identifier_to_refcount.pop(self.where, None)

    def _call(self, operation: Callable[[Any], T]) -> T:
        """Run ``operation(collection)``; translate outages, follow a re-created collection once."""
        import httpx
        from chromadb.errors import ChromaError, InvalidArgumentError
        from chromadb.errors import NotFoundError as CollectionNotFound

        try:
            try:
                return operation(self.collection)
            except CollectionNotFound:
                # Another process rebuilt the index (dropped and re-created the collection).
                self.collection = self._open_collection()
                return operation(self.collection)
        except InvalidArgumentError:
            raise
        except (httpx.HTTPError, ChromaError) as exc:
            raise self._unavailable(exc) from exc

    def upsert(self, chunks: list[Chunk], vectors: np.ndarray) -> None:
        """Write vectors in batches no larger than the server allows."""
        for start in range(0, len(chunks), self.max_batch):
            part = chunks[start : start + self.max_batch]
            ids = [c.chunk_id for c in part]
            embeddings = vectors[start : start + self.max_batch].tolist()
            metadatas = [chunk_metadata(c) for c in part]
            self._call(lambda col: col.upsert(ids=ids, embeddings=embeddings, metadatas=metadatas))  # noqa: B023

    def delete(self, ids: list[str]) -> None:
        for start in range(0, len(ids), self.max_batch):
            part = ids[start : start + self.max_batch]
            self._call(lambda col: col.delete(ids=part))  # noqa: B023

    def ids(self) -> set[str]:
        """All ids in the collection (for reconciling with the manifest)."""
        out: set[str] = set()
        offset, page = 0, 5000
        while True:
            got = self._call(lambda col: col.get(include=[], limit=page, offset=offset)["ids"])  # noqa: B023
            out.update(got)
            if len(got) < page:
                return out
            offset += page

    def count(self) -> int:
        return int(self._call(lambda col: col.count()))

    def drop(self) -> None:
        """Delete the collection and start an empty one (for a rebuild)."""
        from chromadb.errors import NotFoundError as CollectionNotFound

        try:
            self.client.delete_collection(self.collection_name)
        except CollectionNotFound:
            pass
        except Exception as exc:
            raise self._unavailable(exc) from exc
        self.collection = self._call(lambda _: self._open_collection())

    def query(self, vector: np.ndarray, k: int, filters: SearchFilters | None) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity (1 - distance), best first."""
        if k <= 0:
            return []
        embedding = [np.asarray(vector, dtype=np.float32).tolist()]
        where = where_clause(filters)
        result = self._call(
            lambda col: col.query(query_embeddings=embedding, n_results=k, where=where, include=["distances"])
        )
        ids = result["ids"][0]
        distances = result["distances"][0] if result.get("distances") else [0.0] * len(ids)
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances, strict=True)]


# SQLite's result codes in Chroma's messages: 11 SQLITE_CORRUPT, 26 SQLITE_NOTADB.
_SQLITE_DAMAGE = (
    ("(code: 26)", "keine SQLite-Datenbank"),
    ("file is not a database", "keine SQLite-Datenbank"),
    ("(code: 11)", "Datei beschädigt oder abgeschnitten"),
    ("malformed", "Datei beschädigt oder abgeschnitten"),
    ("no such table", "Tabellen fehlen"),
)


def _damage(exc: BaseException) -> str | None:
    """German reason when ``exc`` says the embedded database file is damaged, else None."""
    text = str(exc)
    if isinstance(exc, AttributeError) and "bindings" in text:
        return "ein früherer Versuch, sie zu öffnen, ist gescheitert"
    for marker, reason in _SQLITE_DAMAGE:
        if marker in text:
            return reason
    return None


def _heartbeat(url: str, timeout_s: float) -> None:
    """Fail within ``timeout_s`` when the server is down or hangs."""
    import httpx

    try:
        httpx.get(url.rstrip("/") + "/api/v2/heartbeat", timeout=timeout_s).raise_for_status()
    except httpx.TimeoutException as exc:
        raise IndexUnavailableError(
            f"Der Chroma-Server {url} hat nicht innerhalb von {timeout_s:g} s geantwortet. "
            "Bitte später erneut versuchen oder den Server prüfen."
        ) from exc
    except httpx.HTTPError as exc:
        raise IndexUnavailableError(
            f"Der Chroma-Server {url} ist nicht erreichbar ({type(exc).__name__}). "
            "Bitte prüfen, ob er läuft (chroma run), und später erneut versuchen."
        ) from exc


def _set_http_timeout(client: Any, timeout_s: float) -> None:
    """Give chromadb's HTTP session a timeout.

    chromadb 1.5.9 creates its ``httpx.Client`` with ``timeout=None`` (chromadb/api/fastapi.py)
    and offers no setting for it, so a hung server would block a request forever.
    """
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(timeout_s)
    else:  # a future chromadb changed its internals: say so instead of hanging silently later
        log.warning("could not set a timeout on the Chroma HTTP client (chromadb internals changed)")
