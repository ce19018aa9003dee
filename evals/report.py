"""Evaluation reports: Markdown for people, JSON for machines, a PNG chart, and deltas.

``write_report`` puts ``report.md``, ``results.json`` and ``chart.png`` into one folder.
Comparing with an earlier ``results.json`` adds a delta table (current minus previous).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evals.answer_eval import ANSWER_METRICS, ANSWERS, answers_summary_rows
from evals.configurations import BASELINE
from evals.metrics import RETRIEVAL_METRICS
from evals.run_record import EvalRun

LABELS = {
    "recall@1": "Recall@1",
    "recall@5": "Recall@5",
    "recall@10": "Recall@10",
    "mrr@10": "MRR@10",
    "ndcg@10": "nDCG@10",
}

Deltas = dict[str, dict[str, float]]


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _chars(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}".replace(",", ".")


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def baseline_deltas(run: EvalRun, baseline: str = BASELINE) -> Deltas:
    """Each configuration's metrics minus the baseline's (empty when the baseline was not run)."""
    base = run.get(baseline)
    if base is None:
        return {}
    return {
        c.name: {m: c.metrics.overall[m] - base.metrics.overall[m] for m in RETRIEVAL_METRICS}
        for c in run.configurations
        if c.name != baseline
    }


def compare_runs(current: Mapping[str, Any], previous: Mapping[str, Any]) -> Deltas:
    """Per configuration and metric: current minus previous, for configurations in both results."""
    before = {c["name"]: c["metrics"]["overall"] for c in previous.get("configurations", [])}
    deltas: Deltas = {}
    for config in current.get("configurations", []):
        name = config["name"]
        if name in before:
            now = config["metrics"]["overall"]
            deltas[name] = {
                m: now[m] - before[name][m] for m in RETRIEVAL_METRICS if m in now and m in before[name]
            }
    now_answers = (current.get("answers") or {}).get("metrics")
    before_answers = (previous.get("answers") or {}).get("metrics")
    if now_answers and before_answers:
        deltas[ANSWERS] = {
            m: now_answers[m] - before_answers[m]
            for m in ANSWER_METRICS
            if m in now_answers and m in before_answers
        }
    return deltas


def _group_tables(
    run: EvalRun, attribute: str, title: str, metrics: Sequence[str] = ("recall@5", "ndcg@10")
) -> list[str]:
    lines: list[str] = []
    groups = sorted({g for c in run.configurations for g in getattr(c.metrics, attribute)})
    if not groups:
        return lines
    counts = run.configurations[0].metrics.group_counts.get(
        "type" if attribute == "by_type" else "handlungsfeld", {}
    )
    lines += [f"## {title}", ""]
    for metric in metrics:
        header = [f"{title.split()[-1]} ({LABELS[metric]})", "n", *[c.name for c in run.configurations]]
        rows = [
            [
                g,
                str(counts.get(g, "")),
                *[_fmt(getattr(c.metrics, attribute).get(g, {}).get(metric)) for c in run.configurations],
            ]
            for g in groups
        ]
        lines += _table(header, rows) + [""]
    return lines


def render_markdown(run: EvalRun, comparison: Deltas | None = None, previous_label: str = "") -> str:
    """The human-readable report."""
    title = "Team-Datensatz" if run.benchmark == "team" else "XQuAD-de"
    lines = [
        f"# Retrieval-Evaluation: {title}",
        "",
        f"- Datensatz: `{run.dataset}`",
        f"- Embedding-Modell: `{run.embedding_model}` (Backend `{run.embedder}`)",
        f"- Zeitpunkt: {run.started_at}, Laufzeit {run.seconds:.0f} s",
    ]
    corpus = run.corpus
    if "documents" in corpus:
        lines.append(
            f"- Index: {corpus['documents']} Dokumente, {corpus['chunks']} Abschnitte "
            f"(`{corpus['index_dir']}`)"
        )
    if "baseline_chunks" in corpus:
        lines.append(
            f"- Baseline: {corpus['baseline_chunks']} Abschnitte "
            "(RecursiveCharacterTextSplitter, Standardwerte)"
        )
    if "passages" in corpus:
        lines.append(
            f"- {corpus['passages']} Passagen, {corpus['queries']} Fragen "
            f"(von {corpus['questions_before_dedup']}, Duplikate entfernt)"
        )
    lines += ["", "## Vergleich der Konfigurationen", ""]
    header = [
        "Konfiguration",
        *[LABELS[m] for m in RETRIEVAL_METRICS],
        "Zeichen@5",
        "Zeichen@10",
        "Fragen",
        "Sekunden",
    ]
    rows = [
        [
            c.name,
            *[_fmt(c.metrics.overall[m]) for m in RETRIEVAL_METRICS],
            *[_chars(getattr(c, "context_chars", {}).get(key)) for key in ("chars@5", "chars@10")],
            str(c.metrics.count),
            f"{c.seconds:.1f}",
        ]
        for c in run.configurations
    ]
    for label, figures in run.reference.items():
        rows.append([f"*{label}*", *[_fmt(figures.get(m)) for m in RETRIEVAL_METRICS], "", "", "", ""])
    lines += _table(header, rows) + [""]
    lines += [f"- **{c.name}**: {c.description}" for c in run.configurations] + [""]

    deltas = baseline_deltas(run)
    if deltas:
        lines += [
            "## Vorsprung gegenüber der LangChain-Tutorial-Baseline",
            "",
            "Differenz zur Baseline (positiv = besser als die Baseline). Vorsicht bei Recall@k: die "
            "Baseline-Abschnitte sind viel länger (Spalte Zeichen@k), ihre k Treffer decken also mehr Text "
            "und einen größeren Teil des Korpus ab. Rang 1 (Recall@1, MRR) vergleicht fairer.",
            "",
        ]
        lines += _table(
            ["Konfiguration", *[LABELS[m] for m in RETRIEVAL_METRICS]],
            [[name, *[_signed(d[m]) for m in RETRIEVAL_METRICS]] for name, d in deltas.items()],
        ) + [""]
    if run.answers is not None:
        lines += [
            "## Antworten (ask)",
            "",
            "Jede Frage, auch die unbeantwortbaren, wird wie im Betrieb mit `ask` beantwortet "
            "(siehe `evals/answer_eval.py`).",
            "",
        ]
        lines += _table(["Kennzahl", "Wert"], answers_summary_rows(run.answers)) + [""]
    if comparison:
        lines += [f"## Veränderung gegenüber dem vorigen Lauf {previous_label}".rstrip(), ""]
        retrieval = {name: d for name, d in comparison.items() if name != ANSWERS}
        lines += _table(
            ["Konfiguration", *[LABELS[m] for m in RETRIEVAL_METRICS]],
            [[name, *[_signed(d.get(m)) for m in RETRIEVAL_METRICS]] for name, d in retrieval.items()],
        )
        lines.append("")
        if ANSWERS in comparison:
            lines += _table(["Antworten", "Δ"], [[m, _signed(v)] for m, v in comparison[ANSWERS].items()]) + [
                ""
            ]
    lines += _group_tables(run, "by_type", "Nach Fragetyp")
    lines += _group_tables(run, "by_handlungsfeld", "Nach Handlungsfeld")
    failed = corpus.get("failed_files") or []
    if run.notes or failed:
        lines += ["## Hinweise", ""]
        lines += [f"- {note}" for note in run.notes]
        lines += [f"- Nicht eingelesen: `{f['path']}`: {f['reason']}" for f in failed]
        lines.append("")
    lines += [
        "## Methode",
        "",
        "Relevanz wird unabhängig vom Chunking beurteilt: Ein Treffer zählt für einen erwarteten Beleg, wenn "
        "die `doc_id` stimmt und der normalisierte Beleg im Abschnitt steht oder mindestens 60 % seiner "
        "Inhaltswörter darin vorkommen. Jeder Beleg zählt einmal, auf dem Rang des ersten Abschnitts, "
        "der ihn "
        "enthält (siehe `evals/relevance.py`). Kennzahlen berechnet ranx; unbeantwortbare Fragen sind "
        "ausgenommen.",
        "",
    ]
    return "\n".join(lines)


def render_chart(run: EvalRun, path: Path) -> None:
    """Grouped bars: one group per metric, one bar per configuration, reference figures as markers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metrics = list(RETRIEVAL_METRICS)
    n = max(len(run.configurations), 1)
    width = 0.8 / n
    fig, ax = plt.subplots(figsize=(10, 5))
    for i, config in enumerate(run.configurations):
        xs = [j + (i - (n - 1) / 2) * width for j in range(len(metrics))]
        bars = ax.bar(xs, [config.metrics.overall[m] for m in metrics], width, label=config.name)
        ax.bar_label(bars, fmt="%.2f", fontsize=7, padding=1)
    for label, figures in run.reference.items():
        points = [(j, figures[m]) for j, m in enumerate(metrics) if m in figures]
        ax.scatter(
            [p[0] for p in points], [p[1] for p in points], marker="D", color="black", zorder=3, label=label
        )
    ax.set_xticks(range(len(metrics)), [LABELS[m] for m in metrics])
    ax.set_ylim(0, 1.08)
    ax.set_ylabel("Wert")
    ax.set_title(f"Retrieval {run.benchmark} – {run.embedding_model}")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.07), ncol=3, frameon=False)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def write_report(run: EvalRun, out_dir: Path, previous: Path | None = None) -> tuple[dict[str, Path], Deltas]:
    """Write report.md, results.json and chart.png into ``out_dir``; returns the paths and any deltas."""
    out_dir.mkdir(parents=True, exist_ok=True)
    data = run.to_dict()
    data["baseline_deltas"] = baseline_deltas(run)
    comparison: Deltas = {}
    if previous is not None:
        comparison = compare_runs(data, json.loads(previous.read_text(encoding="utf-8")))
        data["compared_with"] = {"file": str(previous), "deltas": comparison}
    paths = {
        "markdown": out_dir / "report.md",
        "json": out_dir / "results.json",
        "chart": out_dir / "chart.png",
    }
    paths["markdown"].write_text(
        render_markdown(run, comparison, f"(`{previous}`)" if previous else ""), encoding="utf-8"
    )
    paths["json"].write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    render_chart(run, paths["chart"])
    return paths, comparison
