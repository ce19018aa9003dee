"""Running configurations over a team dataset: build/refresh the eval index, search, judge, score.

The eval index lives in its own data directory (``evals/.cache/<embedder>/`` by default), apart
from any production index, and is refreshed incrementally: unchanged files are skipped, so a
second run computes no document embeddings.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.index import Index
from assistant.index.opening import open_index
from assistant.progress import ProgressCallback, Steps, as_started
from evals.answer_eval import evaluate_answers
from evals.configurations import BASELINE, Configuration, QueryCachingEmbedder, index_configurations
from evals.dataset import Question, check_doc_ids
from evals.metrics import JudgedQuestion, evaluate_judged
from evals.relevance import EvidenceMatcher, judged_ranking
from evals.run_record import ConfigurationResult, EvalRun

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CACHE_DIR = REPO_ROOT / "evals" / ".cache"
DEFAULT_TEAM_ROOTS: tuple[Path, ...] = (REPO_ROOT / "corpus", REPO_ROOT.parent / "shared" / "seed-corpus")
DEFAULT_DEPTH = 10


def eval_settings(embedder: str, index_name: str, cache_dir: Path = DEFAULT_CACHE_DIR) -> Settings:
    """Settings of an eval index: its own data directory per embedding backend."""
    return Settings(data_dir=cache_dir / embedder, index_name=index_name, embedding_backend=embedder)  # type: ignore[arg-type]


def team_index_name(roots: Sequence[Path]) -> str:
    """Index name for a set of corpus roots, so different root sets never share an index."""
    key = "|".join(sorted(str(Path(r).resolve()) for r in roots))
    return "team-" + hashlib.sha256(key.encode()).hexdigest()[:8]


def open_team_index(
    settings: Settings, roots: Sequence[Path], progress: ProgressCallback | None = None
) -> tuple[Index, dict[str, Any]]:
    """Open (and incrementally refresh) the eval index over ``roots``; returns it and an ingest summary.

    ``progress(label, done, total)`` counts the corpus files."""
    from assistant.embeddings import create_embedder
    from ingestion.pipeline import Ingestor

    missing = [str(r) for r in roots if not Path(r).exists()]
    if missing:
        raise FileNotFoundError(f"Corpus folder(s) not found: {', '.join(missing)}")
    embedder = QueryCachingEmbedder(create_embedder(settings))
    index = open_index(settings, write=True, purpose="eval", embedder=embedder)  # type: ignore[arg-type]
    try:
        started = time.perf_counter()
        report = Ingestor(index, settings).run(
            [Path(r) for r in roots], prune=True, progress=as_started(progress, "Korpus: ")
        )
    except BaseException:
        index.close()
        raise
    summary = {
        "roots": [str(r) for r in roots],
        "index_dir": str(settings.index_dir),
        "documents": len(index.manifest.documents()),
        "chunks": index.manifest.count_chunks(),
        "ingest_seconds": round(time.perf_counter() - started, 1),
        "embeddings_computed": report.embeddings_computed,
        "failed_files": [{"path": f.path, "reason": f.reason} for f in report.files if f.status == "failed"],
    }
    return index, summary


def judge_configuration(
    configuration: Configuration,
    questions: Sequence[Question],
    depth: int = DEFAULT_DEPTH,
    steps: Steps | None = None,
) -> ConfigurationResult:
    """Search every question with one configuration, judge the rankings and score them
    (``steps`` advances by one per question)."""
    judged: list[JudgedQuestion] = []
    chars: dict[int, list[int]] = {5: [], 10: []}
    details: list[dict[str, Any]] = []
    started = time.perf_counter()
    for question in questions:
        ranking = configuration.search(question.question, depth)
        for cutoff, sizes in chars.items():
            sizes.append(sum(len(c.text) for c in ranking[:cutoff]))
        matchers = [EvidenceMatcher(item.doc_id, item.evidence) for item in question.expected]
        entries = judged_ranking(question.id, matchers, ranking)
        judged.append(
            JudgedQuestion(question.id, len(matchers), entries, question.type, question.group_handlungsfeld)
        )
        found = {key: pos for pos, (key, relevant) in enumerate(entries, start=1) if relevant}
        details.append(
            {
                "id": question.id,
                "type": question.type,
                "item_ranks": [found.get(f"{question.id}->{i}") for i in range(len(matchers))],
                "top": [f"{c.doc_id} | {c.chunk_id}" for c in ranking[:3]],
            }
        )
        if steps is not None:
            steps.advance()
    seconds = time.perf_counter() - started
    metrics = evaluate_judged(judged)
    # Recall@k rewards big chunks: report how much text the top k hand to the reader.
    context = {
        f"chars@{cutoff}": sum(sizes) / len(sizes) if sizes else 0.0 for cutoff, sizes in chars.items()
    }
    return ConfigurationResult(
        configuration.name, configuration.description, metrics, seconds, len(questions), details, context
    )


def run_team_benchmark(
    questions: Sequence[Question],
    *,
    dataset: str,
    embedder: str,
    configuration_names: Sequence[str],
    roots: Sequence[Path] = DEFAULT_TEAM_ROOTS,
    cache_dir: Path = DEFAULT_CACHE_DIR,
    k: int = DEFAULT_DEPTH,
    weights: tuple[float, float] | None = None,
    answers: bool = True,
    progress: ProgressCallback | None = None,
) -> EvalRun:
    """Evaluate the named configurations (ours and the baseline) on the same questions and corpus.

    With ``answers`` the answer path (``Assistant.ask``) is evaluated too, unanswerable questions
    included (see :mod:`evals.answer_eval`). ``progress(label, done, total)`` counts the corpus
    files, then the questions of every configuration (and of the answers, as one step).
    """
    started = time.perf_counter()
    settings = eval_settings(embedder, team_index_name(roots), cache_dir)
    index, corpus = open_team_index(settings, roots, progress)
    notes: list[str] = []
    try:
        known = {r.doc_id for r in index.manifest.documents()}
        unknown = check_doc_ids(questions, known)
        if unknown:
            notes.append(
                f"{len(unknown)} erwartete Belege nennen eine doc_id, die nicht im Index ist, "
                f"z. B. {unknown[0]}"
            )
        configurations = index_configurations(
            index,
            configuration_names,
            weights or settings.fusion_weights,
            settings.reader_window,
            settings.reader_window_max_chars,
            settings.sparse_weight,
        )
        if BASELINE in configuration_names:
            from evals.baseline_langchain import LangChainTutorialBaseline

            baseline = LangChainTutorialBaseline(index, settings.data_dir / f"{settings.index_name}-baseline")
            corpus["baseline_chunks"] = baseline.chunks
            configurations.append(baseline)
        order = {name: i for i, name in enumerate(configuration_names)}
        configurations.sort(key=lambda c: order[c.name])
        results = []
        steps = Steps(progress, len(questions) * (len(configurations) + answers))
        for configuration in configurations:
            log.info("evaluating %s on %d questions", configuration.name, len(questions))
            steps.start(configuration.name)
            results.append(judge_configuration(configuration, questions, max(k, DEFAULT_DEPTH), steps))
        answer_result = None
        if answers:
            from assistant.service import Assistant

            log.info("evaluating answers on %d questions", len(questions))
            steps.start("Antworten")
            answer_result = evaluate_answers(Assistant(index, settings), questions)
            steps.advance(len(questions))
        steps.finish()
    finally:
        index.close()
    unanswerable = sum(q.unanswerable for q in questions)
    if unanswerable:
        notes.append(f"{unanswerable} unbeantwortbare Fragen sind von den Retrieval-Kennzahlen ausgenommen.")
    return EvalRun.finished(
        "team",
        embedder,
        index,
        started,
        dataset=dataset,
        k=k,
        configurations=results,
        corpus=corpus,
        notes=notes,
        answers=answer_result,
    )
