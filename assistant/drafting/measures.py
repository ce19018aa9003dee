"""Reading a measure's priority, responsible actors and time frame from the passage that states it.

Strategies and action plans list measures in tables ("Nr. | Maßnahme | Priorität | Verantwortlich |
Zeitraum"); the chunker keeps a table row as one line with " | " between cells, so a row is read
against its table's header. Prose gives at most a time frame ("bis Ende 2025") or an actor
("Die Stadtwerke Lindwerder errichten …"), found by pattern. Nothing is guessed: what the
passage does not say stays empty, and the draft shows it as open.
"""

from __future__ import annotations

import re

from assistant.text.tables import PAIR_SEPARATOR, is_row_pairs, row_fields, table_cells

PRIORITY = "Priorität"
RESPONSIBLE = "Verantwortlich"
TIME_FRAME = "Zeitrahmen"
FIELDS: tuple[str, ...] = (PRIORITY, RESPONSIBLE, TIME_FRAME)

_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    PRIORITY: ("priorität", "prio"),
    RESPONSIBLE: ("verantwortlich", "zuständig", "federführung", "verantwortung", "träger"),
    TIME_FRAME: ("zeitraum", "zeitrahmen", "zeitplan", "umsetzung bis", "laufzeit", "termin"),
}
_MEASURE_HEADERS = ("maßnahme", "massnahme", "projekt", "vorhaben")

_TIME = re.compile(
    r"\b(?:(?:bis|ab|seit|spätestens|im Jahr|Ende|Mitte|Anfang|zum)\s+(?:(?:Ende|Mitte|Anfang)\s+)?"
    r"(?:(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\s+)?"
    r"20\d\d|20\d\d\s*[–-]\s*(?:20)?\d\d|(?:im|ab dem|bis zum)\s+(?:ersten|zweiten|dritten|vierten)\s+Quartal"
    r"\s+20\d\d|innerhalb\s+(?:von\s+)?\w+\s+(?:Monaten|Jahren))\b"
)
_ACTOR = re.compile(
    r"\b(?:(?:Fachbereich|FB)\s+\d+(?:\s+–\s+[A-ZÄÖÜ][\w ]{2,40}?(?=[,.;]|\s+(?:und|mit)\b))?|"
    r"Stabsstelle\s+[A-ZÄÖÜ][\w-]+|Stadtwerke(?:\s+[A-ZÄÖÜ][\w-]+)?|Lenkungskreis\s+[A-ZÄÖÜ][\w-]+|"
    r"(?:Ober)?[Bb]ürgermeister(?:in)?|Amt\s+für\s+[A-ZÄÖÜ][\w-]+(?:\s+und\s+[A-ZÄÖÜ][\w-]+)?|"
    r"Wirtschaftsförderung|Landkreis\s+[A-ZÄÖÜ][\w-]+|Stadtrat|Gemeinderat|Kreistag|"
    r"(?:kommunale[nr]?\s+)?IT-Dienstleister|Digitalisierungsbeauftragte[nr]?|Datenschutzbeauftragte[nr]?)"
)
_PRIORITY_TEXT = re.compile(r"\bPriorität\s*:?\s*([ABC]\b|hoch|mittel|niedrig|\d)", re.I)


def unit_row(statement: str, passage_text: str) -> dict[str, str] | None:
    """``{column: value}`` of a statement that is a table row: a raw row ("G1 | … | A") read
    against its passage's header, or a row the answer units already wrote as pairs
    ("Maßnahme: … · Priorität: A"); None for prose."""
    row = row_fields(statement, passage_text)
    if row is not None:
        return row
    if not is_row_pairs(statement):
        return None
    fields = {}
    for pair in statement.split(PAIR_SEPARATOR):
        name, _, value = pair.partition(": ")
        if name.strip() and value.strip():
            fields[name.strip()] = value.strip()
    return fields or None


def measure_title(fields: dict[str, str]) -> str | None:
    """The measure's name from a table row (its "Maßnahme"/"Projekt" column)."""
    for header, cell in fields.items():
        if header.lower().startswith(_MEASURE_HEADERS):
            return cell
    return None


def measure_fields(statement: str, passage_text: str) -> dict[str, str]:
    """Priority, responsible actors and time frame of a measure, as far as the passage states them."""
    found: dict[str, str] = {}
    row = unit_row(statement, passage_text)
    if row is not None:
        for canonical, aliases in _HEADER_ALIASES.items():
            for header, cell in row.items():
                if header.lower().startswith(aliases):
                    found[canonical] = cell
                    break
        return found
    priority = _PRIORITY_TEXT.search(statement)
    if priority:
        found[PRIORITY] = priority.group(1)
    actors = list(dict.fromkeys(m.group().strip() for m in _ACTOR.finditer(statement)))
    if actors:
        found[RESPONSIBLE] = ", ".join(actors[:3])
    time = _TIME.search(statement)
    if time:
        found[TIME_FRAME] = time.group().strip()
    return found


_MEASURE_WORDS = re.compile(
    r"\b(?:soll(?:en|te|ten)?|plan(?:t|en)|führt\w*\s+\w+\s+ein|einführ\w*|aufbau\w*|baut\w*\s+auf|"
    r"errichte\w*|umgesetzt|umsetz\w*|startet|beginnt|pilot\w*|projekt\w*|maßnahme\w*|programm\w*|"
    r"angebot\w*|richtet\w*|stellt\w*\s+um|umgestellt|schaff\w*|fördert|veröffentlich\w*)\b",
    re.IGNORECASE,
)


def is_measure_row(statement: str, passage_text: str) -> bool:
    """True for a row of a measures table (it has a "Maßnahme"/"Projekt" column)."""
    row = unit_row(statement, passage_text)
    return row is not None and measure_title(row) is not None


def reads_like_measure(statement: str, passage_text: str) -> bool:
    """A measures-table row, or a sentence that plans or reports an action, with a date or verb of doing."""
    if is_measure_row(statement, passage_text):
        return True
    if table_cells(statement) is not None or is_row_pairs(statement):
        return False
    return bool(_MEASURE_WORDS.search(statement) or _TIME.search(statement))
