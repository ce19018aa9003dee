"""p50/p95 latency of ``search`` (hybrid) and ``ask`` (extractive), and process RSS, at scale.

    python -m bench.query_latency                       # 1k, 10k, 50k, 100k chunks
    python -m bench.query_latency --sizes 1k,10k        # a quick run
    python -m bench.query_latency --sizes 50k --profile # plus a cProfile of ask

For each size an index is built once through the product's real write path (real documents
plus synthetic German-like chunks, see bench/scale_index.py) and cached in bench/.cache/.
Each size is then measured in a fresh process, so RSS belongs to that size alone: the
embedding model is loaded, the index opened, a few warm-up queries run (the first query's
time, which loads the lexical index and the HNSW graph, is reported separately), and then
every question of evals/datasets/dev_de.jsonl goes once through ``Assistant.search`` (k=5,
hybrid) and once through ``Assistant.ask`` (extractive, the product's default). Queries are
encoded with the real model. Prints a table and where the time goes, and writes the results
into bench/RESULTS.md. Targets: ask p95 <= 150 ms at 50k; search p95 <= 100 ms and
RSS <= 2 GiB at 100k. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS_FILE = ROOT / "evals" / "datasets" / "dev_de.jsonl"
RESULTS_FILE = ROOT / "bench" / "RESULTS.md"
START, END = "<!-- query-latency:start -->", "<!-- query-latency:end -->"
DEFAULT_SIZES = "1k,10k,50k,100k"
RESULT_PREFIX = "RESULT "
TARGETS = {
    "ask_p95_ms": (50_000, 150.0),
    "search_p95_ms": (100_000, 100.0),
    "rss_peak_mib": (100_000, 2048.0),
}


def rss_mib() -> dict[str, float]:
    """Current and peak resident set size of this process (Linux /proc)."""
    values: dict[str, float] = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return {"rss": round(values.get("VmRSS", 0.0), 1), "peak": round(values.get("VmHWM", 0.0), 1)}


def load_questions(limit: int | None) -> list[str]:
    lines = QUESTIONS_FILE.read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    return questions[:limit] if limit else questions


def percentiles(values: list[float]) -> dict[str, float]:
    array = np.asarray(values)
    return {
        "p50": round(float(np.percentile(array, 50)), 1),
        "p95": round(float(np.percentile(array, 95)), 1),
        "max": round(float(array.max()), 1),
        "mean": round(float(array.mean()), 1),
    }


# --- one size, in its own process ------------------------------------------------------
def measure(size: int, questions: list[str], profile: bool) -> dict[str, object]:
    """Latency, stages and RSS for one cached scale index (run in a fresh process)."""
    from assistant.embeddings import create_embedder
    from assistant.index import Index
    from assistant.service import Assistant
    from assistant.types import SearchFilters
    from bench.scale_index import scale_settings
    from bench.stage_clock import StageClock

    settings = scale_settings(size)
    rss_start = rss_mib()
    embedder = create_embedder(settings)
    embedder.embed_query("Aufwärmen des Modells")
    rss_model = rss_mib()
    with Index(settings, embedder, purpose="benchmark") as index:
        assistant = Assistant(index, settings)
        started = time.perf_counter()
        assistant.search("Wie beteiligen wir Bürgerinnen und Bürger an der Digitalstrategie?", k=5)
        first_query_ms = (time.perf_counter() - started) * 1000
        only = SearchFilters(handlungsfeld="verwaltung")
        for question in questions[:5]:
            assistant.ask(question)
            assistant.search(question, k=5, filters=only)  # builds the filter columns once
        rss_loaded = rss_mib()

        clock = StageClock()
        clock.wrap(index.embedder, "embed_query", "encode query")
        clock.wrap(index.lexical(), "search", "lexical (bm25s)")
        clock.wrap(index.chroma, "query", "dense (chroma)")
        clock.wrap(index.manifest, "chunks", "chunk lookup (sqlite)")
        clock.wrap(index.manifest, "get_meta", "generation check (sqlite)")
        clock.wrap(assistant.answerer, "answer", "answer (extractive)")
        clock.wrap(index, "neighbours", "reader windows (sqlite)")

        search_ms, search_stages = _run(clock, questions, lambda q: assistant.search(q, k=5))
        filtered_ms, filtered_stages = _run(
            clock, questions, lambda q: assistant.search(q, k=5, filters=only)
        )
        answers: list[object] = []
        ask_ms, ask_stages = _run(clock, questions, lambda q: answers.append(assistant.ask(q)))
        profile_text = _profile(assistant, questions) if profile else ""
        rss_end = rss_mib()
    abstained = sum(1 for a in answers if a.abstained)  # type: ignore[attr-defined]
    return {
        "size": size,
        "queries": len(questions),
        "first_query_ms": round(first_query_ms, 1),
        "search": percentiles(search_ms),
        "ask": percentiles(ask_ms),
        "search_stages": search_stages,
        "filtered": percentiles(filtered_ms),
        "filtered_stages": filtered_stages,
        "ask_stages": ask_stages,
        "abstained": abstained,
        "rss_mib": {
            "start": rss_start["rss"],
            "model_loaded": rss_model["rss"],
            "index_loaded": rss_loaded["rss"],
            "end": rss_end["rss"],
            "peak": rss_end["peak"],
        },
        "profile": profile_text,
    }


def _run(clock, questions: list[str], call) -> tuple[list[float], dict[str, float]]:  # noqa: ANN001
    """Time ``call`` per question; mean exclusive milliseconds per stage."""
    latencies: list[float] = []
    stage_sums: dict[str, float] = {}
    clock.reset()
    for question in questions:
        started = time.perf_counter()
        call(question)
        elapsed = (time.perf_counter() - started) * 1000
        latencies.append(elapsed)
        for stage, ms in clock.take(elapsed).items():
            stage_sums[stage] = stage_sums.get(stage, 0.0) + ms
    return latencies, {stage: round(ms / len(questions), 2) for stage, ms in stage_sums.items()}


def _profile(assistant, questions: list[str]) -> str:  # noqa: ANN001
    import cProfile
    import io
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for question in questions:
        assistant.ask(question)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(30)
    return stream.getvalue()


# --- orchestration -----------------------------------------------------------------------
def run_size(size: int, queries: int | None, profile: bool) -> dict[str, object]:
    command = [sys.executable, "-m", "bench.query_latency", "--measure-one", str(size)]
    if queries:
        command += ["--queries", str(queries)]
    if profile:
        command.append("--profile")
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_PREFIX)]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"measuring {size} chunks failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(lines[-1][len(RESULT_PREFIX) :])


def print_report(results: list[dict[str, object]], builds: dict[int, dict[str, object]]) -> str:
    """The Markdown report (also printed)."""
    from bench.scale_index import size_label

    lines = [
        "| chunks | search p50 | search p95 | filtered search p95 | ask p50 | ask p95 | first query"
        " | RSS loaded | RSS peak |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        s, f, a, m = r["search"], r["filtered"], r["ask"], r["rss_mib"]
        lines.append(
            f"| {size_label(r['size'])} | {s['p50']} ms | {s['p95']} ms | {f['p95']} ms"
            f" | {a['p50']} ms | {a['p95']} ms"
            f" | {r['first_query_ms']} ms | {m['index_loaded']:.0f} MiB | {m['peak']:.0f} MiB |"
        )
    lines += ["", "Targets:"]
    by_size = {r["size"]: r for r in results}
    for key, (size, limit) in TARGETS.items():
        r = by_size.get(size)
        if r is None:
            lines.append(f"- {key} <= {limit:g} at {size_label(size)}: not measured in this run")
            continue
        value = (
            r["rss_mib"]["peak"] if key == "rss_peak_mib" else r[key.split("_")[0]]["p95"]  # type: ignore[index]
        )
        verdict = "met" if value <= limit else "MISSED"
        lines.append(f"- {key} <= {limit:g} at {size_label(size)}: {value} ({verdict})")
    titles = {"search": "`search`", "filtered": "`search` with a Handlungsfeld filter", "ask": "`ask`"}
    for kind, title in titles.items():
        lines += ["", f"Where the time of {title} goes (mean ms per query, exclusive):", ""]
        stages = sorted({stage for r in results for stage in r[f"{kind}_stages"]})  # type: ignore[union-attr]
        stages = [s for s in stages if s != "rest"] + ["rest"]
        lines.append("| stage | " + " | ".join(size_label(r["size"]) for r in results) + " |")
        lines.append("| --- |" + " ---: |" * len(results))
        for stage in stages:
            cells = [f"{r[f'{kind}_stages'].get(stage, 0.0):.1f}" for r in results]  # type: ignore[union-attr]
            lines.append(f"| {stage} | " + " | ".join(cells) + " |")
        means = [f"{r[kind]['mean']:.1f}" for r in results]  # type: ignore[index]
        lines.append("| **total (mean)** | " + " | ".join(means) + " |")
    lines += ["", "Indexes (built once, cached in bench/.cache/scale/):", ""]
    lines.append("| chunks | documents | real chunks | write path | lexical build | on disk |")
    lines.append("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        b = builds[r["size"]]  # type: ignore[index]
        lines.append(
            f"| {size_label(r['size'])} | {b['documents']} | {b['real_chunks']} | {b['write_s']} s"
            f" | {b['lexical_build_s']} s | {b['disk_mib']} MiB |"
        )
    abstained = ", ".join(f"{size_label(r['size'])}: {r['abstained']}/{r['queries']}" for r in results)
    lines += [
        "",
        f"Abstentions among the asked questions (dev set has answerable and unanswerable ones): {abstained}.",
    ]
    report = "\n".join(lines)
    print(report)
    return report


def write_results(report: str, argv: list[str], load: tuple[float, float]) -> None:
    command = " ".join(["python -m bench.query_latency", *argv])
    header = (
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}"
        f" with {os.cpu_count()} cores\n"
        f"(load average {load[0]:.1f} before, {load[1]:.1f} after; the machine is shared) by `{command}`.\n\n"
    )
    block = f"{START}\n{header}{report}\n{END}"
    text = RESULTS_FILE.read_text(encoding="utf-8") if RESULTS_FILE.exists() else "# Benchmark results\n\n"
    if START in text and END in text:
        before, rest = text.split(START, 1)
        text = before + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Query latency and memory at scale\n\n" + block + "\n"
    RESULTS_FILE.write_text(text, encoding="utf-8")
    print(f"\nwritten to {RESULTS_FILE.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default=DEFAULT_SIZES, help=f"comma-separated chunk counts (default {DEFAULT_SIZES})"
    )
    parser.add_argument("--queries", type=int, default=None, help="use only the first N dev questions")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of ask per size")
    parser.add_argument("--no-write", action="store_true", help="do not update bench/RESULTS.md")
    parser.add_argument("--measure-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure_one:
        result = measure(args.measure_one, load_questions(args.queries), args.profile)
        print(RESULT_PREFIX + json.dumps(result, ensure_ascii=False))
        return

    from assistant.config import Settings
    from assistant.embeddings import create_embedder
    from bench.scale_index import ensure_scale_index, parse_size, size_label

    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    embedder = create_embedder(Settings())
    builds = {size: ensure_scale_index(size, embedder) for size in sizes}
    del embedder
    load_before = os.getloadavg()[0]
    results = []
    for size in sizes:
        print(f"measuring {size_label(size)} ...", flush=True)
        result = run_size(size, args.queries, args.profile)
        if result.get("profile"):
            print(result["profile"])
        results.append(result)
    load_after = os.getloadavg()[0]
    print()
    report = print_report(results, builds)
    if not args.no_write:
        write_results(report, argv, (load_before, load_after))


if __name__ == "__main__":
    main()
