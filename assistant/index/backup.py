"""Backup and restore of a whole index, verified by opening the copy.

A backup folder holds ``<index_name>/`` (manifest, lexical index and, for an embedded index,
the Chroma files) and ``backup.json`` (counts and sample results of the original). Writers
are quiesced by holding the index's write lock (embedded: the index lock) for the whole copy;
the manifest is copied with SQLite's online backup API. Against a Chroma server the vectors
are not copied from the server: the manifest's embedding cache holds them, and the copy is
checked by building its vectors from that cache, which is exactly what a restore does.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from assistant.config import Settings
from assistant.embeddings import Embedder
from assistant.errors import ConfigError, IndexUnavailableError, NotFoundError
from assistant.index import Index
from assistant.index.chroma_store import ChromaStore
from assistant.index.maintenance import IndexCounts, rebuild_index
from assistant.index.opening import open_index
from assistant.progress import ProgressCallback, Steps

SAMPLES = 5
INFO_FILE = "backup.json"


@dataclass
class BackupReport:
    path: str
    counts: IndexCounts
    samples: int
    vectors_copied: bool

    def to_json_dict(self) -> dict[str, object]:
        return {**asdict(self), "counts": asdict(self.counts)}


def sample_results(index: Index, n: int = SAMPLES) -> dict[str, dict[str, list[str]]]:
    """For ``n`` evenly spread chunks: the top ids of a dense query with the chunk's own vector
    and of a lexical query with its first words. Identical indexes give identical results."""
    ids = sorted(index.manifest.visible_ids())
    if not ids:
        return {}
    picked = sorted({ids[i * len(ids) // n] for i in range(n)})
    chunks = index.manifest.chunks(picked)
    out: dict[str, dict[str, list[str]]] = {}
    for chunk_id in picked:
        chunk = chunks[chunk_id]
        vector = index.embed_chunks([chunk])[0]  # from the embedding cache
        out[chunk_id] = {
            "dense": [cid for cid, _ in index.chroma.query(vector, 1, None)],
            "lexical": [p.chunk.chunk_id for p in index.lexical_search(" ".join(chunk.text.split()[:12]), 3)],
        }
    return out


def _comparable(counts: IndexCounts) -> dict[str, object]:
    data = asdict(counts)
    data.pop("staged_chunks")  # discarded on purpose by a rebuild
    return data


def _check_target(dest: Path) -> None:
    if dest.exists() and any(dest.iterdir()):
        raise ConfigError(f"Das Sicherungsziel {dest} existiert bereits und ist nicht leer.")


def backup_index(
    settings: Settings, embedder: Embedder, dest: Path, progress: ProgressCallback | None = None
) -> BackupReport:
    """Copy the index behind ``settings`` into ``dest`` and verify the copy.

    ``progress(label, done, total)`` hears each step (six or seven) start and the end.
    """
    _check_target(dest)
    embedded = not settings.chroma_url
    steps = Steps(progress, 7 if embedded else 6)
    # The copy is self-contained: an embedded manifest file and embedded Chroma in ``dest``, never
    # the shared database or the Chroma server (whose live collection the copy check would drop).
    copy_settings = Settings(
        data_dir=dest,
        index_name=settings.index_name,
        embedding_backend=settings.embedding_backend,
        database_url=None,
        chroma_url=None,
    )
    with open_index(settings, write=True, purpose="backup", embedder=embedder) as index:
        steps.start("Abgleich mit dem Manifest")
        index.reconcile()  # a crashed ingest's leftovers are not worth keeping
        steps.advance()
        steps.start("Stichwortindex")
        index.rebuild_lexical()
        steps.advance()
        steps.start("Zählung und Stichproben")
        counts = IndexCounts.of(index)
        samples = sample_results(index)
        steps.advance()
        target = copy_settings.index_dir
        target.mkdir(parents=True)
        steps.start("Manifest kopieren")
        index.manifest.backup_to(target / "manifest.sqlite")
        steps.advance()
        steps.start("Stichwortindex kopieren")
        shutil.copytree(index.lexical_dir, target / "lexical")
        steps.advance()
        if embedded:
            steps.start("Chroma-Dateien kopieren")
            # Release Chroma's files so the copy is what a fresh open would read; the lock stays held.
            index.chroma.close()
            shutil.copytree(settings.index_dir / "chroma", target / "chroma")
            steps.advance()
        info = {"counts": asdict(counts), "samples": samples, "embedding_model": embedder.name}
        (dest / INFO_FILE).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    steps.start("Kopie prüfen")
    _verify_copy(
        copy_settings, embedder, counts, samples, rebuild_vectors=not embedded, progress=steps.nested()
    )
    steps.finish()
    return BackupReport(path=str(dest), counts=counts, samples=len(samples), vectors_copied=embedded)


def _verify_copy(
    settings: Settings,
    embedder: Embedder,
    counts: IndexCounts,
    samples: dict[str, dict[str, list[str]]],
    *,
    rebuild_vectors: bool,
    progress: ProgressCallback | None = None,
) -> None:
    with open_index(
        settings, write=True, purpose="backup check", embedder=embedder, discard_vectors=rebuild_vectors
    ) as copy:
        if rebuild_vectors:
            rebuild_index(copy, progress)
        copied_counts = IndexCounts.of(copy)
        copied_samples = sample_results(copy)
    if _comparable(copied_counts) != _comparable(counts) or copied_samples != samples:
        raise IndexUnavailableError(
            f"Die Sicherung in {settings.data_dir} weicht vom Original ab "
            f"(Zählung {asdict(copied_counts)} statt {asdict(counts)}); bitte erneut sichern."
        )


def restore_index(
    settings: Settings, embedder: Embedder, src: Path, progress: ProgressCallback | None = None
) -> IndexCounts:
    """Replace the index behind ``settings`` with the backup in ``src`` and verify it.

    The manifest is restored into the existing file, so processes that have it open see
    the restored content; vectors come from the backup's Chroma files (embedded) or are
    rebuilt from the embedding cache (Chroma server). ``progress(label, done, total)`` hears
    the three steps (manifest, vectors, check) start and the end.
    """
    source = src / settings.index_name
    info_path = src / INFO_FILE
    if not (source / "manifest.sqlite").exists() or not info_path.exists():
        raise NotFoundError(
            f"In {src} liegt keine Sicherung des Index {settings.index_name!r} "
            f"(erwartet: {source / 'manifest.sqlite'} und {info_path})."
        )
    info = json.loads(info_path.read_text(encoding="utf-8"))
    if info.get("embedding_model") != embedder.name:
        raise ConfigError(
            f"Die Sicherung wurde mit dem Modell {info.get('embedding_model')!r} erstellt, eingestellt ist "
            f"{embedder.name!r} (ASSISTANT_EMBEDDING_BACKEND / ASSISTANT_EMBEDDING_MODEL)."
        )
    copy_vectors = not settings.chroma_url and (source / "chroma").is_dir()
    # discard_vectors: the current Chroma files are never loaded (they may be what broke).
    with open_index(
        settings, write=True, purpose="restore", embedder=embedder, discard_vectors=True
    ) as index:
        steps = Steps(progress, 3)
        steps.start("Manifest zurückspielen")
        index.manifest.restore_from(source / "manifest.sqlite")
        steps.advance()
        if copy_vectors:
            steps.start("Chroma-Dateien kopieren")
            index.chroma.close()
            chroma_dir = settings.index_dir / "chroma"
            shutil.rmtree(chroma_dir, ignore_errors=True)
            shutil.copytree(source / "chroma", chroma_dir)
            index.chroma = ChromaStore(chroma_dir, embedder.name, timeout_s=settings.chroma_timeout_s)
            index.rebuild_lexical()
        else:
            steps.start("Vektoren aus dem Embedding-Cache")
            rebuild_index(index, steps.nested())
        steps.advance()
        steps.start("Prüfung")
        counts = IndexCounts.of(index)
        samples = sample_results(index)
    expected = IndexCounts(**info["counts"])
    if _comparable(counts) != _comparable(expected) or samples != info["samples"]:
        raise IndexUnavailableError(
            f"Der wiederhergestellte Index weicht von der Sicherung in {src} ab "
            f"(Zählung {asdict(counts)} statt {asdict(expected)})."
        )
    steps.finish()
    return counts
