"""Scale indexes for the benchmarks, built through the product's real write path.

An index of N chunks holds the real documents (corpus/ and the shared seed texts, ingested
by the real pipeline) plus synthetic documents up to N chunks (see
:mod:`bench.synthetic_corpus`). Every chunk goes through ``Index.write_document`` (manifest
staging, Chroma upsert, manifest commit) and the lexical index is built by ``Index.lexical``
exactly as after an ingest. Only the encoding is skipped: the synthetic vectors are put into
the manifest's embedding cache first, so ``embed_chunks`` finds every vector there (the
build checks that it computed none).

Indexes are cached in ``bench/.cache/scale/`` (gitignored) with a marker file; a rerun with
the same size and recipe reuses them.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import numpy as np

from assistant.config import Settings
from assistant.embeddings import Embedder
from assistant.embeddings.sparse import SparseVector, sparse_encoder
from assistant.index import Index
from assistant.index.manifest import text_hash
from assistant.types import Chunk
from bench.synthetic_corpus import SyntheticCorpus, pool_sparse, pool_vectors, sentence_pool, wiki_pool
from ingestion.pipeline import Ingestor

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
SCALE_DIR = CACHE / "scale"
REAL_ROOTS = [p for p in (ROOT / "corpus", ROOT.parent / "shared" / "seed-corpus") if p.exists()]
XQUAD_FILE = ROOT.parent / "shared" / "benchmarks" / "xquad-de" / "xquad.de.json"
# Bump when the synthetic recipe changes, so cached indexes are rebuilt.
RECIPE_VERSION = "3"  # 2: latent-term vectors for every chunk; 3: answer-unit vectors (chunk vector)
MARKER = "bench-index.json"


def parse_size(text: str) -> int:
    """'1k' -> 1000, '100k' -> 100000, '2500' -> 2500."""
    text = text.strip().lower()
    number = int(float(text[:-1]) * 1000) if text.endswith("k") else int(text)
    if number <= 0:
        raise ValueError(f"size must be greater than 0. Currently, it is {text!r}.")
    return number


def size_label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def real_material(
    embedder: Embedder,
) -> tuple[list[Chunk], dict[str, np.ndarray], dict[str, SparseVector]]:
    """The real documents' chunks, their real vectors and latent terms (ingested once, incrementally)."""
    settings = Settings(data_dir=SCALE_DIR, index_name="real")
    with Index(settings, embedder, write=True, purpose="bench real documents") as index:
        report = Ingestor(index, settings).run(REAL_ROOTS, prune=True)
        if report.failed:
            raise RuntimeError(f"ingesting the real documents failed: {report.to_json_dict()}")
        chunks = list(index.manifest.all_chunks())
        hashes = sorted({text_hash(c.embedding_text()) for c in chunks})
        vectors = index.manifest.cached_embeddings(embedder.name, hashes)
        latent = index.manifest.cached_sparse(index.sparse.sparse_name, hashes) if index.sparse else {}
    return chunks, vectors, latent


def scale_settings(size: int) -> Settings:
    return Settings(data_dir=SCALE_DIR, index_name=f"chunks-{size_label(size)}")


def read_marker(settings: Settings) -> dict[str, object] | None:
    path = settings.index_dir / MARKER
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def ensure_scale_index(size: int, embedder: Embedder) -> dict[str, object]:
    """Build the index of ``size`` chunks unless a complete one with this recipe is cached."""
    settings = scale_settings(size)
    marker = read_marker(settings)
    if marker and marker.get("recipe") == RECIPE_VERSION and marker.get("model") == embedder.name:
        return marker
    shutil.rmtree(settings.index_dir, ignore_errors=True)
    started = time.perf_counter()
    chunks, real_vectors, real_latent = real_material(embedder)
    pool = sentence_pool(chunks) + wiki_pool(XQUAD_FILE)
    vectors = pool_vectors(pool, embedder, CACHE / "sentence_vectors.npz")
    encoder = sparse_encoder(embedder) if settings.sparse_weight > 0 else None
    latent = pool_sparse(pool, encoder, CACHE / "sentence_latent_terms.npz") if encoder else None
    # "Stadt Lindwerder": the texts mostly say "Lindwerder".
    places = sorted(
        {name for c in chunks if c.municipality for name in (c.municipality, c.municipality.split()[-1])}
    )
    synthetic = SyntheticCorpus(pool, vectors, places, sparse=latent)

    print(
        f"building {size_label(size)}: {len(chunks)} real chunks + {max(size - len(chunks), 0)} synthetic"
        f" (pool of {len(pool)} sentences) ...",
        flush=True,
    )
    with Index(settings, embedder, write=True, purpose="bench scale index") as index:
        index.manifest.store_embeddings(embedder.name, real_vectors)
        if index.sparse:
            index.manifest.store_sparse(index.sparse.sparse_name, real_latent)
        report = Ingestor(index, settings).run(REAL_ROOTS)
        real_count = index.manifest.count_chunks()
        written, last_report = 0, time.perf_counter()
        for record, doc_chunks, doc_vectors, doc_latent in synthetic.documents(size - real_count):
            hashes = [text_hash(c.embedding_text()) for c in doc_chunks]
            index.manifest.store_embeddings(embedder.name, dict(zip(hashes, doc_vectors, strict=True)))
            if index.sparse and doc_latent is not None:
                index.manifest.store_sparse(
                    index.sparse.sparse_name, dict(zip(hashes, doc_latent, strict=True))
                )
            if index.units is not None:
                # A synthetic chunk's answer units get the chunk's own (mean-of-sentences) vector:
                # the reader's cache read and dot products at query time are paid as in
                # production; which unit wins on synthetic text does not matter for latency.
                index.manifest.store_embeddings(
                    index.units.model,
                    {
                        h: vector
                        for chunk, vector in zip(doc_chunks, doc_vectors, strict=True)
                        for h in index.units.texts([chunk])
                    },
                )
            index.write_document(record, doc_chunks)
            written += len(doc_chunks)
            if time.perf_counter() - last_report > 30:
                print(f"  {written} synthetic chunks written", flush=True)
                last_report = time.perf_counter()
        if index.embeddings_computed or report.embeddings_computed or index.sparse_computed:
            raise RuntimeError("the scale build computed embeddings: the cache pre-fill missed some chunks")
        write_s = time.perf_counter() - started
        lexical_started = time.perf_counter()
        index.lexical()
        lexical_s = time.perf_counter() - lexical_started
        status = index.status()
        # Units the pool lacks (list items joined to their lead-in) were encoded in the build.
        units_computed = index.units.computed if index.units is not None else 0
    marker = {
        "recipe": RECIPE_VERSION,
        "model": embedder.name,
        "size": size,
        "chunks": status["chunks"],
        "vectors": status["vectors"],
        "documents": status["documents"],
        "real_chunks": real_count,
        "unit_vectors_computed": units_computed,
        "synthetic_chunks": written,
        "pool_sentences": len(pool),
        "write_s": round(write_s, 1),
        "lexical_build_s": round(lexical_s, 1),
        "disk_mib": round(_disk_bytes(settings.index_dir) / 2**20, 1),
    }
    if marker["chunks"] != size or marker["vectors"] != size:
        raise RuntimeError(f"scale index has wrong counts: {marker}")
    (settings.index_dir / MARKER).write_text(json.dumps(marker, indent=2), encoding="utf-8")
    print(f"  built in {write_s + lexical_s:.0f} s: {marker}", flush=True)
    return marker


def _disk_bytes(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())
