"""Vectors of answer units (sentences, lists, label-value lines), paid for at ingest.

The reader (:mod:`assistant.generation.reader`) compares the question with every unit of the
passages it reads. Encoding ~50 units per question costs seconds on two cores, so each chunk's
units are encoded once at ingest with the embedder's passage view and kept in the manifest's
content-addressed cache (text hash → vector, under the model key ``<model>#units``), like the
chunk vectors and latent terms: unchanged text is never encoded twice, and ``backup``,
``rebuild`` and server mode carry them. At answer time a question costs one query vector
(memoised: the dense search just made it) and a batched cache read.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from threading import Lock

import numpy as np

from assistant.embeddings import Embedder
from assistant.index.manifest import Manifest, text_hash
from assistant.text.units import scored_units
from assistant.types import Chunk

UNIT_MODEL_SUFFIX = "#units"


class UnitVectors:
    """The cache of unit vectors for one embedding model, and the query vectors to compare."""

    def __init__(self, manifest: Manifest, embedder: Embedder, *, query_cache: int = 64) -> None:
        self.manifest = manifest
        self.embedder = embedder
        self.model = embedder.name + UNIT_MODEL_SUFFIX
        self.computed = 0
        self._queries: OrderedDict[str, np.ndarray] = OrderedDict()
        self._query_cache = query_cache
        self._lock = Lock()

    def texts(self, chunks: Iterable[Chunk]) -> dict[str, str]:
        """Hash → unit text for the units of ``chunks``."""
        return {text_hash(unit): unit for chunk in chunks for unit in scored_units(chunk.text)}

    def missing(self, chunks: Iterable[Chunk]) -> int:
        """How many distinct units of ``chunks`` have no cached vector."""
        hashes = list(self.texts(chunks))
        return len(hashes) - self.manifest.count_cached_embeddings(self.model, hashes)

    def compute(self, chunks: Iterable[Chunk], batch: int = 64) -> int:
        """Encode and cache the units of ``chunks`` that lack a vector; returns how many."""
        texts = self.texts(chunks)
        cached = self.manifest.cached_hashes(self.model, list(texts))
        todo = sorted((h, t) for h, t in texts.items() if h not in cached)
        for start in range(0, len(todo), batch):
            part = todo[start : start + batch]
            vectors = self.embedder.embed_documents([t for _, t in part])
            self.manifest.store_embeddings(
                self.model, {h: v for (h, _), v in zip(part, vectors, strict=True)}
            )
        self.computed += len(todo)
        return len(todo)

    def lookup(self, units: Iterable[str]) -> dict[str, np.ndarray]:
        """Cached vectors by unit text; units without one are left out."""
        by_hash = {text_hash(u): u for u in units}
        found = self.manifest.cached_embeddings(self.model, list(by_hash))
        return {by_hash[h]: v for h, v in found.items()}

    def query(self, text: str) -> np.ndarray:
        """The question's vector, memoised for the few questions in flight."""
        with self._lock:
            vector = self._queries.get(text)
            if vector is not None:
                self._queries.move_to_end(text)
                return vector
        vector = self.embedder.embed_query(text)
        with self._lock:
            self._queries[text] = vector
            while len(self._queries) > self._query_cache:
                self._queries.popitem(last=False)
        return vector
