"""Readiness probe: open the index and run a query in a subprocess.

A damaged Chroma segment can crash the process that loads it (chroma-core/chroma#7238,
#7678), so the probe never loads it in the caller: a child process opens the index,
compares counts and runs one dense and one lexical query. A crash, a timeout or missing
vectors make the result not-ready with a German ``detail``; the service keeps running.

Embedded mode: while this very process holds the index (the API opened it), the index
has loaded fine and the probe reports ready from the manifest's counts; while another
process holds it, the probe reports not-ready (one process per embedded index).
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings

# Fields the child needs to open the same index; nothing secret crosses the boundary.
_FORWARDED = (
    "data_dir",
    "index_name",
    "chroma_url",
    "chroma_timeout_s",
    "embedding_backend",
    "embedding_model",
    "lock_timeout_s",
)


@dataclass
class ProbeResult:
    """Whether the index can serve queries, why not, and its counts."""

    ready: bool
    detail: str
    counts: dict[str, int] = field(default_factory=dict)

    def to_json_dict(self) -> dict[str, object]:
        return {"ready": self.ready, "detail": self.detail, "counts": self.counts}


def probe_index(settings: Settings, timeout_s: float = 30.0) -> ProbeResult:
    """Open ``settings``' index in a subprocess and query it; never raises for a broken index."""
    if not settings.chroma_url:
        holder = _embedded_lock_holder(settings.index_dir / "index.lock")
        if holder == os.getpid():
            return _counts_in_this_process(settings)
        if holder is not None:
            return ProbeResult(
                False,
                f"Der eingebettete Index wird von einem anderen Prozess verwendet (PID {holder}).",
            )
    payload = json.dumps({name: _plain(getattr(settings, name)) for name in _FORWARDED})
    try:
        done = subprocess.run(
            [sys.executable, "-m", "assistant.index.probe"],
            input=payload,
            capture_output=True,
            text=True,
            timeout=timeout_s,
            env={**os.environ, "PYTHONFAULTHANDLER": "0"},
        )
    except subprocess.TimeoutExpired:
        return ProbeResult(False, f"Der Index hat nicht innerhalb von {timeout_s:g} s geantwortet.")
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        data = json.loads(lines[-1])
        return ProbeResult(bool(data["ready"]), str(data["detail"]), dict(data.get("counts", {})))
    tail = " ".join(done.stderr.strip().splitlines()[-3:])[-400:]
    return ProbeResult(
        False,
        f"Der Index ließ sich nicht laden (Prüfprozess endete mit Code {done.returncode}). "
        f"Mit 'kommunal-assistant rebuild' neu aufbauen. {tail}".strip(),
    )


def _plain(value: object) -> object:
    return str(value) if isinstance(value, Path) else value


def _embedded_lock_holder(path: Path) -> int | None:
    """PID holding the embedded index lock, or None when it is free (or never created)."""
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            text = os.pread(fd, 200, 0).decode(errors="replace").split()
            return int(text[1]) if len(text) > 1 and text[0] == "PID" and text[1].isdigit() else -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _counts_in_this_process(settings: Settings) -> ProbeResult:
    from assistant.index.manifest import Manifest

    manifest = Manifest.for_settings(settings, purpose="probe")
    try:
        counts = {"documents": len(manifest.documents()), "chunks": manifest.count_chunks()}
    finally:
        manifest.close()
    return ProbeResult(True, "Der Index ist in diesem Prozess geöffnet.", counts)


def _check(settings: Settings) -> ProbeResult:
    """Runs in the child: open, count, query once densely and once lexically."""
    from assistant.errors import AssistantError
    from assistant.index.manifest import text_hash
    from assistant.index.opening import open_index

    try:
        with open_index(settings, purpose="probe") as index:
            chunks = index.manifest.count_chunks()
            vectors = index.chroma.count()
            counts = {"documents": len(index.manifest.documents()), "chunks": chunks, "vectors": vectors}
            if vectors < chunks:
                return ProbeResult(
                    False,
                    f"In Chroma fehlen Vektoren ({vectors} statt {chunks}). "
                    "Mit 'kommunal-assistant verify --repair' oder 'rebuild' beheben.",
                    counts,
                )
            if chunks == 0:
                return ProbeResult(True, "Der Index ist leer.", counts)
            sample = next(index.manifest.all_chunks())
            key = text_hash(sample.embedding_text())
            cached = index.manifest.cached_embeddings(index.embedder.name, [key])
            vector = cached[key] if key in cached else index.embedder.embed_query(sample.text)
            if not index.chroma.query(vector, 1, None):
                return ProbeResult(
                    False, "Chroma liefert keine Treffer, obwohl Vektoren gezählt werden.", counts
                )
            index.lexical_search(sample.text[:200], 1)
            return ProbeResult(True, "Der Index ist bereit.", counts)
    except AssistantError as exc:
        return ProbeResult(False, exc.message)


def main() -> None:
    """Child entry point: settings as JSON on stdin, one JSON result line on stdout."""
    settings = Settings(**json.loads(sys.stdin.read()))
    result = _check(settings)
    sys.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
