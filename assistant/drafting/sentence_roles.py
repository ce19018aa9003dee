"""What a sentence does in a text: recommend, name a step, weigh alternatives, describe a situation.

A part of a draft has a role (``role`` in structure.yaml): a memo's „Empfehlung“ wants sentences
that recommend („Wir empfehlen …“, „… sollte …“), its „Nächste Schritte“ sentences that name an
action („Zunächst …“, „Mit einem Pilotprojekt beginnen: …“), its „Optionen“ sentences that set
alternatives side by side, its „Anlass“ the situation or problem. The cues are German wording,
not the topic's: they prefer, among the sentences already on topic, those that fit the part; they
never let an off-topic sentence in.

A sentence that speaks about its own publication („Im Fokus dieser Ausgabe stehen …“, „Lesen Sie
in unserem Newsletter …“) is no statement about the topic at all (:func:`refers_to_publication`).

Hand-written patterns: the cues are a few dozen words and phrases, and no German NLP library
available offline tags a sentence's rhetorical function.
"""

from __future__ import annotations

import re

__all__ = ["ROLES", "fits_role", "refers_to_publication"]

_I = re.IGNORECASE

# An infinitive phrase before a colon opens a step of a list („Beteiligungskonzept schreiben: …“,
# „Mit einem sichtbaren Anwendungsfall beginnen: …“): up to eight words ending in a verb's
# infinitive (lower case, -en/-ern/-eln).
_INFINITIVE_LEAD = r"^(?:[\w„“\"-]+\s+){0,7}[a-zäöüß]+(?:en|ern|eln)\s*:"
# A polite imperative at the start („Legen Sie … fest“, „Starten Sie …“).
_IMPERATIVE = r"^[A-ZÄÖÜ][a-zäöüß]+en\s+Sie\b"

ROLES: dict[str, re.Pattern[str]] = {
    "empfehlung": re.compile(
        r"\bempf(?:ehl|ohl|iehl)\w*|\bsollte(?:n|st)?\b|\bratsam\b|\braten\s+(?:wir|dazu)\b|"
        r"\bzu\s+raten\b|\bsinnvoll\b|\bhat\s+sich\s+bewährt|\bbewährt\s+(?:hat|haben)\b|"
        r"\blohnt\s+sich\b|\bgut\s+beraten\b|\bam\s+besten\b|\bTipp\b|\bFazit\b|\bkommt\s+es\s+darauf\s+an\b",
        _I,
    ),
    "schritte": re.compile(
        # The step words in any case; the infinitive lead and the imperative by their case.
        rf"{_INFINITIVE_LEAD}|{_IMPERATIVE}|(?i:\bzunächst\b|\bzuerst\b|\bals\s+erste[sn]?\b|"
        r"\berste[rn]?\s+Schritt|\bim\s+(?:ersten|nächsten|zweiten)\s+Schritt|\bnächste[rn]?\s+Schritt|"
        r"\bbeginn(?:en|t)\b|\bStart(?:punkt)?\b|\bstarte[nt]\b|\bAuftakt\b|\banschließend\b|"
        r"\bdanach\b|\bim\s+Anschluss\b|\bPilot\w*|\bfestlegen\b|\beinrichten\b|\bbeschließen\b|"
        r"\bbenennen\b|\bumsetzen\b|\baufbauen\b|\bbis\s+(?:Ende|Mitte|Anfang)\s+\d{4}|"
        r"\b(?:Monat|Quartal|Jahr)\s+\d\b)",
        re.MULTILINE,
    ),
    "optionen": re.compile(
        r"\boder\b|\bentweder\b|\balternativ\w*|\bVariante\w*|\bOption\w*|\beinerseits\b|"
        r"\bandererseits\b|\bhingegen\b|\bdagegen\b|\bim\s+Unterschied\b|\bim\s+Gegensatz\b|"
        r"\bVorteil\w*|\bNachteil\w*|\bStärken\b|\bSchwächen\b|\bRisike?n?\b|\bRisiko\b|"
        r"\bje\s+nach\b|\bzum\s+einen\b|\bzum\s+anderen\b|\bHerangehensweise\w*|\bModell\w*",
        _I,
    ),
    "anlass": re.compile(
        r"\bHerausforderung\w*|\bProblem\w*|\bfehl(?:t|en|ende)\b|\bmangel\w*|\bBedarf\w*|"
        r"\bderzeit\b|\baktuell\b|\bbisher\b|\bheute\b|\bsteh(?:t|en)\s+vor\b|\bzunehmend\w*|"
        r"\bDruck\b|\bAnlass\b|\bAusgangslage\b|\bnotwendig\w*|\bBeschluss\b|\bbeauftragt\b|"
        r"\bverändert\b|\bWandel\b|\bChance\w*|\bMöglichkeit\w*|\bPotenzial\w*|\d+\s?(?:%|Prozent)",
        _I,
    ),
    "leitbild": re.compile(
        r"\bkein(?:en)?\s+Selbstzweck\b|\bMittel\s+zum\s+Zweck\b|\bMehrwert\w*|\bNutzen\b|"
        r"\blebenswert\w*|\bLebensqualität\b|\bim\s+(?:Mittelpunkt|Vordergrund)\b|\bVision\b|"
        r"\b(?:einfacher|leichter|sicherer|nachhaltiger|besser)\b|\bdien(?:en|t)\b|\bfür\s+(?:die\s+)?Menschen\b",
        _I,
    ),
    "grundsaetze": re.compile(
        r"\bGrundsatz\b|\bGrundsätze\w*|\bPrinzip\w*|\bWert(?:e|en)\b|\bHaltung\b|\bgilt\b|"
        r"\bniemand\b|\bjede[rsmn]?\b|\bmuss\b|\bmüssen\b|\bim\s+(?:Mittelpunkt|Vordergrund)\b|"
        r"\bvor\s+Technik\b|\bTeilhabe\b|\bOffenheit\b|\bTransparenz\b|\bmitsprechen\b|\bmitnehmen\b",
        _I,
    ),
}
"""Per role the cues of a sentence that fits it (``role`` of a part in structure.yaml)."""


def fits_role(role: str | None, sentence: str) -> bool:
    """Whether ``sentence`` reads like what a part of ``role`` says; False for no or an unknown role."""
    pattern = ROLES.get(role or "")
    return bool(pattern and pattern.search(sentence.strip()))


# A publication speaking about itself: its issue, series or article („Im Fokus dieser Ausgabe
# stehen …“, „In der nächsten Folge …“, „Lesen Sie …“, „unser Newsletter“), or its editors'
# mission („Die … Zeitung ist stets bestrebt …“, „… soll … beleuchtet werden“).
_PUBLICATION = re.compile(
    r"\b(?:dies(?:e[rsmn]?)?|der\s+(?:heutigen|aktuellen|nächsten|letzten|vorigen)|"
    r"die\s+(?:heutige|aktuelle|nächste|letzte|vorige)|vorliegende[rnm]?|unser(?:e[rnms]?)?)\s+"
    r"(?:Ausgabe|Folge|Newsletter\w*|Serie|Reihe|Beitrag\w*|Artikel\w*|Publikation|Broschüre|"
    r"Heft\w*|Magazin\w*|Zeitung|Blog\w*|Webseite|Website)\b|"
    r"\blesen\s+Sie\b|\berfahren\s+Sie\b|\bfinden\s+Sie\s+(?:hier|in|im|auf)\b|"
    r"\b(?:Redaktion|\w*[Zz]eitung|Newsletter|Magazin)\s+(?:ist|sind|will|möchte)\s+(?:stets\s+)?bestrebt\b|"
    r"\bist\s+stets\s+bestrebt\b|\bbeleuchtet\s+(?:und\b[^.]*\s)?(?:werden|wird)\b|\bbeleuchten\s+wir\b",
    _I,
)


def refers_to_publication(sentence: str) -> bool:
    """Whether a sentence talks about its own issue, article or publication, not about the topic."""
    return bool(_PUBLICATION.search(sentence))
