"""German lexical index: BM25 (bm25s) over Snowball-stemmed, decompounded tokens.

Built from the manifest's visible chunks and persisted beside Chroma with the manifest
generation it reflects; a stale or unreadable copy is simply rebuilt.
"""

from __future__ import annotations

import json
import logging
import math
import shutil
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from assistant.index.filter_columns import FilterColumns
from assistant.text.german import Decompounder, content_stems, lexical_tokens
from assistant.types import Chunk, SearchFilters

log = logging.getLogger(__name__)


class LexicalIndex:
    """BM25 over chunk texts (with title and section as context), with metadata masks."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self._meta: list[dict[str, object]] = []
        self._bm25 = None
        self._decompounder = Decompounder([])
        self._df: dict[str, int] = {}
        self._columns: FilterColumns | None = None
        self.generation = -1

    def __len__(self) -> int:
        return len(self.ids)

    def build(self, chunks: Iterable[Chunk], generation: int) -> None:
        """Index ``chunks`` from scratch."""
        import bm25s

        chunk_list = list(chunks)
        texts = [c.embedding_text() for c in chunk_list]
        vocabulary: set[str] = set()
        for text in texts:
            vocabulary.update(content_stems(text))
        self._decompounder = Decompounder(vocabulary)
        corpus_tokens = [lexical_tokens(text, self._decompounder) or ["\x00"] for text in texts]
        self._df = dict(Counter(token for tokens in corpus_tokens for token in set(tokens)))
        self.ids = [c.chunk_id for c in chunk_list]
        self._meta = [_filter_meta(c) for c in chunk_list]
        self._columns = None
        self.generation = generation
        if not chunk_list:
            self._bm25 = None
            return
        bm25 = bm25s.BM25()
        bm25.index(corpus_tokens, show_progress=False)
        self._bm25 = bm25

    def analyze(self, text: str) -> list[str]:
        """The tokens this index would make of ``text`` (stems plus compound parts)."""
        return lexical_tokens(text, self._decompounder)

    def df(self, token: str) -> int:
        """In how many chunks ``token`` occurs."""
        return self._df.get(token, 0)

    def idf(self, token: str) -> float:
        """Inverse document frequency; unseen tokens get the highest weight."""
        n = max(len(self.ids), 1)
        return math.log(1.0 + n / (self._df.get(token, 0) + 0.5))

    def search(self, query: str, k: int, filters: SearchFilters | None = None) -> list[tuple[str, float]]:
        """Best-scoring chunk ids with their BM25 scores; only chunks with a positive score."""
        if self._bm25 is None or k <= 0:
            return []
        vocab = self._bm25.vocab_dict
        tokens = [t for t in lexical_tokens(query, self._decompounder) if t in vocab]
        if not tokens:
            return []
        mask = self._mask(filters)
        if mask is not None and not mask.any():
            return []
        k = min(k, len(self.ids))
        docs, scores = self._bm25.retrieve([tokens], k=k, show_progress=False, weight_mask=mask, n_threads=1)
        return [
            (self.ids[int(doc)], float(score))
            for doc, score in zip(docs[0], scores[0], strict=True)
            if score > 0
        ]

    def _mask(self, filters: SearchFilters | None) -> np.ndarray | None:
        if filters is None:
            return None
        if self._columns is None:
            self._columns = FilterColumns(self._meta)
        return self._columns.mask(filters).astype(np.float32)

    # --- persistence ------------------------------------------------------------
    def save(self, directory: Path) -> None:
        """Write atomically: a new folder is renamed over the old one."""
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._bm25 is not None:
            self._bm25.save(str(tmp / "bm25"), show_progress=False)
        state = {
            "generation": self.generation,
            "ids": self.ids,
            "meta": self._meta,
            "vocabulary": sorted(self._decompounder._known),
            "df": self._df,
        }
        (tmp / "state.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        shutil.rmtree(directory, ignore_errors=True)
        tmp.rename(directory)

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex | None:
        """The saved index, or None when missing or unreadable (the caller rebuilds)."""
        import bm25s

        if not (directory / "state.json").exists():
            return None
        try:
            state = json.loads((directory / "state.json").read_text(encoding="utf-8"))
            index = cls()
            index.ids = state["ids"]
            index._meta = state["meta"]
            index.generation = int(state["generation"])
            index._decompounder = Decompounder(state["vocabulary"])
            index._df = state["df"]
            if index.ids:
                index._bm25 = bm25s.BM25.load(str(directory / "bm25"), show_progress=False)
            return index
        except (OSError, ValueError, KeyError) as exc:
            log.warning("lexical index at %s unreadable, will rebuild: %s", directory, exc)
            return None


def _filter_meta(chunk: Chunk) -> dict[str, object]:
    return {
        "doc_id": chunk.doc_id,
        "doc_type": chunk.doc_type,
        "municipality": (chunk.municipality or "").lower(),
        "hf": chunk.handlungsfelder,
        "sets": chunk.doc_sets,
    }
