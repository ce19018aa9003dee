"""What kind of answer a German question asks for, and whether a text holds one.

"Wie viele Fahrgäste …?" wants a number, "Was kostet …?" an amount of money, "Bis wann …?"
a point in time, "Welche Firma …?" a company. Such a question is only answered by a sentence
that holds a value of that kind: a passage that talks about the Rufbus but gives no passenger
count does not answer it, however well its words match. The abstention check uses this as its
answer-time evidence test (see :mod:`assistant.generation.evidence`), and an abstention on
such a question tells the user which kind of value the sources lack.

Deliberately shallow: question-word patterns and value patterns, no parser. Questions without
a recognised type (``Welche …``, ``Wie …``, ``Warum …``) return ``None`` and are judged by the
other evidence signals only. The patterns are kept general (no corpus words); the eval sets
measure what they catch and what they wrongly reject (README: Abstention).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field


def _either(*words: str) -> str:
    """``(?:a|b|…)``: any of the space-separated ``words`` (regex fragments allowed)."""
    return "(?:" + "|".join(" ".join(words).split()) + ")"


def _whole_words(*words: str) -> str:
    """Any of the space-separated ``words`` as a whole word."""
    return r"\b" + _either(*words) + r"\b"


_MONTHS = "januar februar märz april mai juni juli august september oktober november dezember"
_WEEKDAYS = "montag dienstag mittwoch donnerstag freitag samstag sonntag"
_NUMBER_WORD = re.compile(
    _whole_words(
        "zwei drei vier fünf sechs sieben acht neun zehn elf zwölf zwanzig dreißig vierzig fünfzig",
        "sechzig siebzig achtzig neunzig hundert tausend dutzend million(?:en)? milliarde(?:n)?",
        "beide beiden doppelt halbe[nr]? hälfte drittel viertel",
    ),
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_YEAR = re.compile(r"(?:19|20)\d\d")

_CURRENCY = re.compile(r"€|\beuro\b|\beur\b|\bmio\.|\btsd\.", re.IGNORECASE)
_FREE_OF_CHARGE = re.compile(r"\b(?:kostenlos|kostenfrei|gebührenfrei|unentgeltlich|gratis)\b", re.IGNORECASE)
_PERCENT = re.compile(r"%|\bprozent\w*|\bhälfte\b|\bdrittel\b|\bviertel\b", re.IGNORECASE)
_TIME = re.compile(
    r"\b(?:19|20)\d\d\b|\d{1,2}\.\s?\d{1,2}\.|\b\d{1,2}(?:[.:]\d\d)?\s?uhr\b|"
    + _whole_words(
        _MONTHS,
        "quartal halbjahr frühjahr sommer herbst winter jahresende jahresbeginn jahresanfang",
        _WEEKDAYS,
        " ".join(day + "s" for day in _WEEKDAYS.split()),
        "täglich wöchentlich monatlich jährlich halbjährlich vierteljährlich quartalsweise",
        "stunden? tagen? wochen? monaten? jahren?",
    ),
    re.IGNORECASE,
)
_ORGANISATION = re.compile(
    r"\b"
    + _either(r"gmbh ag se kg kgaa gbr ohg ug eg aör ltd inc e\.\s?v\. stadtwerke zweckverband")
    + r"(?:\b|(?<=\.))",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"\b(?:Frau|Herr|Dr\.|Prof\.)\s+[A-ZÄÖÜ][a-zäöüß]+|"
    r"\b[A-ZÄÖÜ][a-zäöüß]+(?:in|er|e)\s+[A-ZÄÖÜ][a-zäöüß]+\s+[A-ZÄÖÜ][a-zäöüß]{2,}\b(?=[\s,.;)]|$)"
)


def _has_quantity(text: str) -> bool:
    """A number that is not just a year, or a German number word."""
    if any(not _YEAR.fullmatch(m.group(0)) for m in _DIGITS.finditer(text)):
        return True
    return bool(_NUMBER_WORD.search(text))


def _has_money(text: str) -> bool:
    if _FREE_OF_CHARGE.search(text):
        return True
    return bool(_CURRENCY.search(text)) and _has_quantity(text)


def _has_percent(text: str) -> bool:
    return bool(_PERCENT.search(text))


def _has_time(text: str) -> bool:
    return bool(_TIME.search(text))


def _has_organisation(text: str) -> bool:
    return bool(_ORGANISATION.search(text))


def _has_person(text: str) -> bool:
    return bool(_PERSON.search(text))


@dataclass(frozen=True)
class AnswerType:
    """One kind of answer; ``present_in`` tells whether a text holds a value of it."""

    name: str
    check: Callable[[str], bool] = field(repr=False)
    missing_de: str = ""  # "keine Anzahl": what the user is told the sources do not give

    def present_in(self, text: str) -> bool:
        return self.check(text)


ORGANISATION = AnswerType("organisation", _has_organisation, "kein Unternehmen")
PERSON = AnswerType("person", _has_person, "keinen Namen")
PERCENT = AnswerType("percent", _has_percent, "keinen Prozentwert")
MONEY = AnswerType("money", _has_money, "keinen Betrag")
COUNT = AnswerType("count", _has_quantity, "keine Anzahl")
TIME = AnswerType("time", _has_time, "keine Zeitangabe")
QUANTITY = AnswerType("quantity", _has_quantity, "keinen Zahlenwert")

_ASKS_ORGANISATION = re.compile(
    r"\bwelche[rsmn]?\s+(?:firma|firmen|unternehmen|anbieter|hersteller|dienstleister|agentur|"
    r"softwarehaus|ingenieurbüro|planungsbüro)\b"
)
_ASKS_PERSON = re.compile(
    r"\bwie hei(?:ß|ss)t\b|\bwer (?:ist|war) (?:der|die|unser|unsere)\b|\bnamen? (?:des|der)\b"
)
_ASKS_AMOUNT = re.compile(r"\bwie (?:hoch|viel|groß)\b|\bwieviel\b")
_ASKS_PRICE = re.compile(r"\bwas (?:kostet|kosten)\b|\bwie teuer\b|\bwas berechne[nt]?\b")
_ASKS_PERCENT = re.compile(r"quote|anteil|prozent|\brate\b|beteiligung")
_ASKS_MONEY = re.compile(
    r"kost|\bwie teuer\b|\bberechne|gebühr|preis|steuer|haushalt|budget|etat|"
    r"geld|fördersumme|förderbetrag|fördermittel|zuschuss|entgelt|beitrag|miete|honorar|"
    r"ausgaben|investition|euro"
)
_ASKS_COUNT = re.compile(r"\bwie ?viele\b|\bwieviele\b|\banzahl\b")
_ASKS_TIME = re.compile(
    r"\bwann\b|\bin welchem (?:jahr|monat|zeitraum|quartal)\b|\ban welchem (?:tag|datum|termin)\b|"
    r"\bwelches datum\b|\bwie lange\b|\bwie oft\b|\bwie häufig\b|\bwie schnell\b"
)


# The ask itself: the last clause of the question ("Wir hatten einen Angriff – wie schnell …?",
# or a thread's follow-up after its first question), from its start, after an optional
# preposition ("Bis wann", "Um wie viele", "Mit wie viel").
_CLAUSE_BREAK = re.compile(r"[.!?:;–—]\s+|\s+-\s+")
_LEAD = re.compile(
    r"^\W*(?:(?:und|aber|also|ok|okay|kurz|frage)\W+)?(?:(?:um|mit|bis|seit|ab|für|von|zu|an|in|auf|nach|bei)\s+)?"
)


def expected_answer_type(question: str) -> AnswerType | None:
    """The kind of value the question asks for, or None for open questions.

    Only the start of the ask counts: "Wie viele Stellen … und seit wann?" asks for a count,
    "Welchen Marktplatz prüft die Stadt und wann?" is an open question with a side ask.
    """
    ask = _CLAUSE_BREAK.split(question.lower().strip())[-1]
    lead = _LEAD.match(ask)
    q = ask[lead.end() if lead else 0 :]
    for pattern, answer_type in (
        (_ASKS_ORGANISATION, ORGANISATION),
        (_ASKS_PERSON, PERSON),
        (_ASKS_COUNT, COUNT),
    ):
        if pattern.match(q):
            return answer_type
    if _ASKS_TIME.match(q):
        return TIME
    if _ASKS_AMOUNT.match(q) or _ASKS_PRICE.match(q):
        if _ASKS_PERCENT.search(q):
            return PERCENT
        if _ASKS_MONEY.search(q):
            return MONEY
        return QUANTITY
    return None


# --- Reader cues: every ask of a question, including kinds the abstention slot does not check ---
# „Warum …?“ is answered by a reason, „Wer …?“ by an actor (an office, a body, a person, a firm),
# „Wie viele …?“ by a count that is not a percentage, an amount of money or a date. The reader
# prefers units holding them; the abstention slot above keeps its own, looser checks.
_REASON = re.compile(
    r"\b(?:weil|denn|deshalb|daher|darum|deswegen|somit|folglich|sodass|damit|aufgrund|wegen|"
    r"grund|gründe|anlass|ursache|ziel(?:e|en)?|zwecke?)\b|(?:^|[,;:]\s*)da\b|\bum\b[^.;]{1,80}\bzu\b",
    re.IGNORECASE,
)
_ACTOR = re.compile(
    r"\b[\wäöüß]*"
    + _either(
        "stelle amt ämter rat kreis leitung beauftragte[rn]? büro verband dezernat fachbereich abteilung",
        "referat team gremium ausschuss bürgermeister(?:in)? leiter(?:in)? ministerium behörde",
        "dienstleister stadtwerke",
    )
    + r"\b",
    re.IGNORECASE,
)
# A count: a number that is not a year, not followed by a unit of money, percent or clock time.
_COUNT_VALUE = re.compile(
    r"(?<![\d.,])(\d+(?:[.,]\d+)*)(?![\d.,]*\s?(?:%|prozent|euro|eur\b|€|uhr\b|mio|tsd|\.\s?\d))",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"\b\d{1,2}\.\s?(?:\d{1,2}\.|" + _whole_words(_MONTHS) + r")(?:\s?\d{2,4})?", re.IGNORECASE
)
_ASKS_REASON = re.compile(r"(?:warum|weshalb|wieso|wozu|aus welchem grund|was spricht für)\b")
_ASKS_ACTOR = re.compile(r"(?:wer|wem|wen|wessen|von wem|welche[rsmn]? (?:stelle|amt|gremium|behörde))\b")
# A second ask joined by „und“ or a comma: „Wer steuert … und wie oft trifft sich …?“
_ASK_SPLIT = re.compile(
    r"[,;:?!–—]\s*|\s+und\s+(?=(?:wie|wer|wo|wann|warum|weshalb|wieso|was|welche\w*|seit|bis|ab|um|mit)\b)"
)


def _has_count(text: str) -> bool:
    """A count: a number word or a number that is no year, amount, percentage, time or date."""
    text = _DATE.sub(" ", text)
    for match in _COUNT_VALUE.finditer(text):
        before = text[max(0, match.start() - 6) : match.start()]
        if not _YEAR.fullmatch(match.group(1)) and "€" not in before:  # „Kosten (€): 38.000“
            return True
    return bool(_NUMBER_WORD.search(text))


REASON = AnswerType("reason", lambda text: bool(_REASON.search(text)), "keine Begründung")
ACTOR = AnswerType(
    "actor",
    lambda text: bool(_ACTOR.search(text)) or _has_organisation(text) or _has_person(text),
    "keine zuständige Stelle",
)
STRICT_COUNT = AnswerType("count", _has_count, "keine Anzahl")


def answer_cues(question: str) -> tuple[AnswerType, ...]:
    """Every kind of value the question's asks want, for the reader's ranking.

    Unlike :func:`expected_answer_type` each ask counts („Wer steuert … und wie oft …?“ wants
    an actor and a time), reasons and actors are included, and a count is a strict one.
    """
    cues: list[AnswerType] = []
    for part in _ASK_SPLIT.split(question.lower().strip()):
        lead = _LEAD.match(part)
        ask = part[lead.end() if lead else 0 :]
        found = expected_answer_type(ask)
        if found is COUNT:
            found = STRICT_COUNT
        elif found is None and _ASKS_REASON.match(ask):
            found = REASON
        elif found is None and _ASKS_ACTOR.match(ask):
            found = ACTOR
        if found is not None and found not in cues:
            cues.append(found)
    return tuple(cues)
