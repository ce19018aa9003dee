"""The lexical index as a per-process read model of the manifest.

Replicas never share index files: each process builds BM25 from the manifest (or loads the
copy its own writer saved for the same generation) and rebuilds when the manifest's
generation counter moves. The check is one indexed read per call, memoised inside a snapshot,
so a search costs at most one. While one thread rebuilds, the others keep serving the previous
index — visibility is still decided by the manifest, so they may miss a new document but never
show a removed one — and a replica is stale for at most one rebuild (bench/lexical_rebuild.py).
"""

from __future__ import annotations

import threading
from pathlib import Path

from assistant.index.lexical import LexicalIndex
from assistant.index.manifest import Manifest


class LexicalReadModel:
    """The current :class:`LexicalIndex` of one manifest, rebuilt when its generation moves."""

    def __init__(self, manifest: Manifest, directory: Path, *, persist: bool) -> None:
        """``persist``: save what is built to ``directory`` (writers; readers only load)."""
        self.manifest = manifest
        self.directory = directory
        self.persist = persist
        self._index: LexicalIndex | None = None
        self._build = threading.Lock()

    def current(self) -> LexicalIndex:
        """The index for the manifest's current generation, or the previous one while another
        thread is building it."""
        generation = self.manifest.generation
        index = self._index
        if index is not None and index.generation == generation:
            return index
        if index is not None and not self._build.acquire(blocking=False):
            return index
        if index is None:
            self._build.acquire()
        try:
            if self._index is not None and self._index.generation == generation:
                return self._index
            loaded = LexicalIndex.load(self.directory)
            if loaded is None or loaded.generation != generation:
                loaded = self._built()
            self._index = loaded
            return loaded
        finally:
            self._build.release()

    def rebuild(self) -> LexicalIndex:
        """Build from the manifest now (and save when persisting)."""
        with self._build:
            self._index = self._built()
            return self._index

    def _built(self) -> LexicalIndex:
        fresh = LexicalIndex()
        with self.manifest.snapshot():  # the chunks and the generation they belong to
            fresh.build(self.manifest.all_chunks(), self.manifest.generation)
        if self.persist:
            fresh.save(self.directory)
        return fresh
