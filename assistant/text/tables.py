"""Tables as the loaders write them: one row per line, cells joined by " | ", the header first.

The one home for reading them back: answer units quote a row as „Spalte: Wert“ pairs
(:mod:`assistant.text.units`), drafting reads a measure's priority and owner from its row.
"""

from __future__ import annotations

import re

TABLE_CELL_SEPARATOR = _CELL_SEPARATOR = " | "
PAIR_SEPARATOR = " · "
_PAIRS = re.compile(r"^[^:·|]{1,60}: [^·|]+(?: · [^:·|]{1,60}: [^·|]+)+$")


def table_cells(line: str) -> list[str] | None:
    """The cells of a table row as the chunker writes it ("a | b | c"), or None for prose."""
    if line.count(_CELL_SEPARATOR) < 2:
        return None
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def table_header(row: str, passage_text: str) -> list[str] | None:
    """The header row of the table ``row`` belongs to in ``passage_text`` (same number of cells)."""
    cells = table_cells(row)
    if cells is None:
        return None
    header: list[str] | None = None
    in_table = False
    for line in passage_text.splitlines():
        line_cells = table_cells(line)
        if line_cells is None or len(line_cells) != len(cells):
            header, in_table = None, False
            continue
        if not in_table:
            # A table cut by the chunker starts with a data row: no header then.
            header = line_cells if _looks_like_header(line_cells) else None
            in_table = True
        if line.strip() == row.strip():
            return header
    return None


_DATA_CELL = re.compile(r"^(?:[A-Z]{1,3}\d{1,3}|\d[\d.,]*\s*(?:€|%)?)$")


def _looks_like_header(cells: list[str]) -> bool:
    return not any(_DATA_CELL.match(cell) for cell in cells)


def is_header_row(row: str, passage_text: str) -> bool:
    """True when ``row`` is the header row of its table."""
    header = table_header(row, passage_text)
    return header is not None and table_cells(row) == header


def row_fields(row: str, passage_text: str) -> dict[str, str] | None:
    """``{header: cell}`` for a table row of ``passage_text``; None when ``row`` is no table row."""
    header = table_header(row, passage_text)
    cells = table_cells(row)
    if header is None or cells is None or cells == header:
        return None
    return {h: c for h, c in zip(header, cells, strict=True) if h and c}


def describe_row(fields: dict[str, str], separator: str = "; ") -> str:
    """A table row as readable text: "Maßnahme: …; Priorität: A; Verantwortlich: …"."""
    return separator.join(
        f"{h}: {c}" for h, c in fields.items() if h.lower().rstrip(".") not in ("nr", "nummer")
    )


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def readable_rows(lines: list[str]) -> list[str]:
    """The rows of one table block, each as „Spalte: Wert · Spalte: Wert“ when the block starts
    with a header row of the same width (the header itself is no answer and is left out);
    otherwise the rows as they are."""
    header = _cells(lines[0])
    if not _looks_like_header(header) or any(len(_cells(line)) != len(header) for line in lines[1:]):
        return list(lines)
    rows = []
    for line in lines[1:]:
        if set(line.replace("|", "").strip()) <= set("-: ") or _cells(line) == header:
            continue  # a Markdown rule line (|---|---|), or the header repeated by the chunker
        fields = {h: c for h, c in zip(header, _cells(line), strict=True) if h and c}
        rows.append(describe_row(fields, PAIR_SEPARATOR) or line)
    return rows


def is_row_pairs(unit: str) -> bool:
    """Whether ``unit`` is a table row rendered by :func:`readable_rows`."""
    return bool(_PAIRS.match(unit.strip()))


def looks_like_header(line: str) -> bool:
    """Whether a table line reads as a header row (no cell is an id like „V3“ or a number)."""
    return _looks_like_header(_cells(line))
