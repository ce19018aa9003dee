"""XQuAD-de as a public German retrieval benchmark, built the way MTEB's XQuADRetrieval builds it.

Each of the 240 paragraphs is one passage (one chunk, no chunking, no title); each question's
own paragraph is its one relevant passage; questions are deduplicated by text, keeping the first
(1,181 queries). The passages go into a separate eval index through ``Index.write_document``, so
dense, lexical and hybrid retrieval run through exactly the code production uses.

The dataset is read from the shared benchmarks folder and never copied into the repository.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.index import Index
from assistant.index.opening import open_index
from assistant.types import Chunk, DocumentRecord
from evals.configurations import QueryCachingEmbedder, index_configurations
from evals.metrics import evaluate_passages
from evals.run_record import ConfigurationResult, EvalRun
from evals.runner import DEFAULT_CACHE_DIR, REPO_ROOT, eval_settings

DEFAULT_XQUAD_PATH = REPO_ROOT.parent / "shared" / "benchmarks" / "xquad-de" / "xquad.de.json"
INDEX_NAME = "xquad-de"
# MTEB results, all-MiniLM-L6-v2, XQuADRetrieval, subset de (see the benchmark's README).
PUBLISHED_MINILM = {"ndcg@10": 0.703, "recall@10": 0.838, "mrr@10": 0.660}
REFERENCE_LABEL = "MTEB published, all-MiniLM-L6-v2 (dense)"


@dataclass(frozen=True)
class XQuAD:
    """Passages, deduplicated queries and their one relevant passage each."""

    passages: dict[str, str]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]
    questions_before_dedup: int


def load_xquad(path: Path = DEFAULT_XQUAD_PATH) -> XQuAD:
    """Read the SQuAD-format file: paragraphs as passages, questions deduplicated by text."""
    if not path.exists():
        raise FileNotFoundError(f"XQuAD file not found: {path}. It lives in ../shared/benchmarks/xquad-de/.")
    data = json.loads(path.read_text(encoding="utf-8"))
    passages: dict[str, str] = {}
    queries: dict[str, str] = {}
    qrels: dict[str, dict[str, int]] = {}
    seen: set[str] = set()
    total = 0
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            pid = f"xquad-de-p{len(passages):03d}"
            passages[pid] = paragraph["context"]
            for qa in paragraph["qas"]:
                total += 1
                text = qa["question"].strip()
                if text in seen:
                    continue
                seen.add(text)
                queries[qa["id"]] = text
                qrels[qa["id"]] = {pid: 1}
    return XQuAD(passages, queries, qrels, total)


def _fingerprint(passages: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(passages, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def open_xquad_index(settings: Settings, benchmark: XQuAD) -> tuple[Index, dict[str, Any]]:
    """The passage index for XQuAD, written once per embedder and reused afterwards."""
    from assistant.embeddings import create_embedder

    embedder = QueryCachingEmbedder(create_embedder(settings))
    index = open_index(settings, write=True, purpose="eval-xquad", embedder=embedder)  # type: ignore[arg-type]
    started = time.perf_counter()
    try:
        fingerprint = _fingerprint(benchmark.passages)
        if index.manifest.get_meta(
            "xquad_fingerprint"
        ) != fingerprint or index.manifest.count_chunks() != len(benchmark.passages):
            index.reconcile()
            chunks = [
                Chunk(chunk_id=pid, doc_id=pid, text=text, title="", source=f"xquad.de.json#{pid}")
                for pid, text in benchmark.passages.items()
            ]
            index.embed_chunks(chunks)  # one batched pass; write_document then finds every vector cached
            now = index.manifest.now()
            for chunk in chunks:
                record = DocumentRecord(
                    doc_id=chunk.doc_id,
                    source=chunk.source,
                    title="",
                    doc_type="other",
                    content_hash=chunk.chunk_id,
                    chunk_count=1,
                    status="ready",
                    ingested_at=now,
                )
                index.write_document(record, [chunk])
            index.manifest.set_meta("xquad_fingerprint", fingerprint)
        index.backfill_latent_terms()  # an index from before latent terms
        index.lexical()
    except BaseException:
        index.close()
        raise
    return index, {
        "passages": len(benchmark.passages),
        "queries": len(benchmark.queries),
        "questions_before_dedup": benchmark.questions_before_dedup,
        "index_dir": str(settings.index_dir),
        "index_seconds": round(time.perf_counter() - started, 1),
    }


def run_xquad_benchmark(
    *,
    embedder: str,
    configuration_names: Sequence[str],
    path: Path = DEFAULT_XQUAD_PATH,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    k: int = 10,
    limit: int | None = None,
    weights: tuple[float, float] | None = None,
) -> EvalRun:
    """Dense / lexical / hybrid over XQuAD-de; ``limit`` takes the first N deduplicated queries."""
    started = time.perf_counter()
    benchmark = load_xquad(path)
    query_ids = list(benchmark.queries)[:limit] if limit else list(benchmark.queries)
    settings = eval_settings(embedder, INDEX_NAME, cache_dir)
    index, corpus = open_xquad_index(settings, benchmark)
    notes = []
    try:
        unsupported = [n for n in configuration_names if n.startswith("baseline")]
        if unsupported:
            notes.append(
                "Die LangChain-Baseline läuft nicht auf XQuAD: "
                "die Passagen sind vorgegeben, es gibt nichts zu zerlegen."
            )
        results = []
        depth = max(k, 10)
        for configuration in index_configurations(
            index,
            configuration_names,
            weights or settings.fusion_weights,
            sparse_weight=settings.sparse_weight,
        ):
            run: dict[str, dict[str, float]] = {}
            t0 = time.perf_counter()
            for qid in query_ids:
                hits = configuration.search(benchmark.queries[qid], depth)
                # strictly decreasing pseudo-scores keep the retriever's order (ties broken as it broke them)
                run[qid] = {hit.chunk_id: float(depth - rank) for rank, hit in enumerate(hits)}
            seconds = time.perf_counter() - t0
            metrics = evaluate_passages({q: benchmark.qrels[q] for q in query_ids}, run)
            results.append(
                ConfigurationResult(
                    configuration.name, configuration.description, metrics, seconds, len(query_ids)
                )
            )
    finally:
        index.close()
    if limit:
        notes.append(f"Nur die ersten {len(query_ids)} von {len(benchmark.queries)} Fragen.")
    reference = {REFERENCE_LABEL: dict(PUBLISHED_MINILM)}
    return EvalRun.finished(
        "xquad",
        embedder,
        index,
        started,
        dataset=str(path),
        k=k,
        configurations=results,
        corpus=corpus,
        notes=notes,
        reference=reference,
    )
