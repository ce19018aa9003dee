"""The draft eval's report as a table on the console (see :mod:`evals.draft_eval`)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

COLUMNS = ("Anfrage", "Typ", "Abschnitt", "Abdeckung", "Wörter", "Quellen", "Zitate", "Lücken", "s")


def print_report(report: dict[str, Any], console: Console) -> None:
    """Coverage per request, the points not cited, then the totals against the target."""
    table = Table(title=f"Entwurfs-Abdeckung ({report['mode']}, {report['embedder']})")
    for column in COLUMNS:
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
            citations_cell(r.get("citation_check")),
            ", ".join(r["gaps"]) or "–",
            f"{r['seconds']:.1f}",
        )
    console.print(table)
    for r in report["requests"]:
        if r.get("refused"):
            console.print(f"  {r['id']} abgelehnt: {r['refused']}", highlight=False)
        for point in r["missing"]:
            console.print(f"  {r['id']} nicht zitiert: {point}", highlight=False)
    console.print(
        f"Abdeckung gesamt: {report['coverage']:.3f} ({report['covered']}/{report['points']} Punkte), "
        f"Mittel je Anfrage: {report['mean_coverage']:.3f}, Ziel {report['target']}; "
        f"abgelehnt: {len(report['refused'])}, anderer Typ: {len(report['type_mismatches'])}, "
        f"außerhalb der Länge: {len(report['outside_length'])}",
        highlight=False,
    )


def citations_cell(check: dict[str, Any] | None) -> str:
    """„12/14 belegt, 1 entfernt“: blocks with [n] of all blocks, and what the check removed."""
    if not check:
        return "–"
    cell = f"{check['cited_blocks']}/{check['blocks']} belegt"
    if check["removed"]:
        cell += f", {len(check['removed'])} entfernt"
    if check["unresolved"]:
        cell += f", {len(check['unresolved'])} ohne Quelle"
    return cell
