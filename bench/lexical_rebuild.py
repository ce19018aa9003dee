"""How stale a replica's lexical index may be: rebuild time from the manifest at 10k and 100k chunks.

    python bench/lexical_rebuild.py                          # SQLite manifest, 10k and 100k
    python bench/lexical_rebuild.py --database postgres      # a throwaway PostgreSQL cluster
    python bench/lexical_rebuild.py --database-url postgresql://… --sizes 10k

Every replica builds its BM25 index from the manifest (assistant/index/lexical_model.py) and
rebuilds when the generation counter moves. This prints, per size: the generation check a
request pays (median of 2000), reading the visible chunks from the manifest, building BM25,
and their sum — the longest a replica serves the previous generation after a commit.
Chunks are synthetic (bench/synthetic_corpus.py over the sentences of corpus/), no vectors
needed. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.index.lexical import LexicalIndex  # noqa: E402
from assistant.index.manifest import Manifest  # noqa: E402
from assistant.text.sentences import split_sentences  # noqa: E402
from bench.scale_index import parse_size, size_label  # noqa: E402
from bench.synthetic_corpus import PoolSentence, SyntheticCorpus  # noqa: E402


def corpus_pool() -> list[PoolSentence]:
    """Sentences of the text files in corpus/ (Markdown and plain text)."""
    pool = []
    for path in sorted((ROOT / "corpus").rglob("*")):
        if path.suffix in {".md", ".txt"} and path.name != "README.md":
            for sentence in split_sentences(path.read_text(encoding="utf-8", errors="replace")):
                if 40 <= len(sentence) <= 400:
                    pool.append(PoolSentence(sentence, path.stem, "", ()))
    return pool


def fill(manifest: Manifest, size: int) -> None:
    pool = corpus_pool()
    corpus = SyntheticCorpus(pool, np.ones((len(pool), 4), dtype=np.float32), [])
    for record, chunks, _, _ in corpus.documents(size):
        manifest.commit_document(record, chunks)


def measure(manifest: Manifest) -> dict[str, float]:
    checks = []
    for _ in range(2000):
        started = time.perf_counter()
        _ = manifest.generation
        checks.append(time.perf_counter() - started)
    started = time.perf_counter()
    with manifest.snapshot():
        chunks = list(manifest.all_chunks())
        generation = manifest.generation
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    LexicalIndex().build(chunks, generation)
    build_s = time.perf_counter() - started
    return {
        "check_ms": statistics.median(checks) * 1000,
        "read_s": read_s,
        "build_s": build_s,
        "chunks": len(chunks),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10k,100k")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--database-url", default=None, help="an existing PostgreSQL (else a throwaway one)")
    args = parser.parse_args()
    cluster = None
    url = args.database_url
    if args.database == "postgres" and url is None:
        from tests.fakes.postgres import PostgresCluster

        cluster = PostgresCluster().start()
    try:
        print(f"database: {args.database}")
        print(f"{'chunks':>8} {'check ms':>9} {'read s':>7} {'build s':>8} {'stale s':>8}")
        for size in (parse_size(s) for s in args.sizes.split(",")):
            with tempfile.TemporaryDirectory() as tmp:
                if cluster is not None:
                    url = cluster.create_database()
                settings = Settings(
                    data_dir=Path(tmp), index_name=f"bench-{size_label(size)}", database_url=url
                )
                manifest = Manifest.for_settings(settings)
                fill(manifest, size)
                numbers = measure(manifest)
                manifest.close()
            stale = numbers["read_s"] + numbers["build_s"]
            print(
                f"{numbers['chunks']:>8} {numbers['check_ms']:>9.3f} {numbers['read_s']:>7.2f}"
                f" {numbers['build_s']:>8.2f} {stale:>8.2f}",
                flush=True,
            )
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
