"""Reading a free-text German drafting request: type, section, profile, length and form.

"Bitte einen Entwurf für den Abschnitt Digitale Souveränität, Kleinstadt mit 20.000 Einwohnern,
ca. eine Seite" becomes ``DraftRequest(type="handlungsfeld", section="Digitale Souveränität",
profile=(inhabitants=20000, size_class="Kleinstadt", kind="Stadt"), length=1.0)``; "Kurzes Memo
an den Bürgermeister (halbe Seite): Sollen wir Smart City top-down oder bottom-up angehen?" a
memo whose section is its question. What the text does not say stays unset. A request is refused
only when it names nothing to write about. Hand-written rules: the phrasings are few and
regular, and a rule that fails is easy to see.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.drafting.models import WORDS_PER_PAGE
from assistant.errors import ConfigError
from assistant.text.folding import fold

if TYPE_CHECKING:
    from assistant.drafting.models import DraftRequest

__all__ = [
    "WORDS_PER_PAGE",
    "match_handlungsfeld",
    "parse_inhabitants",
    "parse_kind",
    "parse_length",
    "parse_max_words",
    "parse_name",
    "parse_request",
    "parse_section",
    "topic_text",
]

# Handlungsfeld variants, most specific first; matched case-insensitively on umlaut-folded text.
# The names and their fixed variants identify a Handlungsfeld anywhere in a request ...
_HANDLUNGSFELD_NAMES: tuple[tuple[str, str], ...] = (
    ("verwaltung", r"digitale?n? verwaltung|verwaltung und infrastruktur|e-government|egovernment"),
    ("gesellschaft", r"digitale?n? gesellschaft|soziale?n? innovation|gesellschaft und soziale"),
    ("wirtschaft", r"digitale?n? wirtschaft|wirtschaft und wissenschaft"),
    ("souveraenitaet", r"souveraenitaet|souveraen"),
    ("zukunft", r"digitale?n? zukunft"),
)
# ... a single word only in a section's name ("Kapitel Verwaltung"): in a whole request,
# "die Umsetzung in der Verwaltung" or "Wirtschaft und Bürgerschaft" name no Handlungsfeld.
_HANDLUNGSFELD_WORDS: tuple[tuple[str, str], ...] = (
    ("verwaltung", r"\bverwaltung\b|\binfrastruktur(?:en)?\b"),
    ("gesellschaft", r"\bgesellschaft\b"),
    ("wirtschaft", r"\bwirtschaft\b"),
    ("zukunft", r"\bzukunft\b"),
)
_HANDLUNGSFELD_PHRASE = re.compile(r"\bhandlungsfeld(?:es|s)?\s+(?:zur?\s+|der\s+|die\s+)?([\w-]+)")
_SLUGS = ("verwaltung", "gesellschaft", "wirtschaft", "souveraenitaet", "zukunft")

# "Abschnitt Digitale Souveränität", "Kapitel „Digitale Gesellschaft …“", "Kapitel zur Umsetzung"
_SECTION_PHRASE = re.compile(
    r"\b(?:Abschnitt|Kapitel|Handlungsfeld|Teil|Thema)\s+(?:(?:zu[mr]?|über|für|fürs|zum Thema)\s+)?"
    r"(?:(?:den|die|das|dem|der)\s+)?"
    r"(?:[„\"“»]\s*(?P<quoted>[^“\"”«]{2,120})[“\"”«]|(?P<plain>[A-ZÄÖÜ][^,.;:!?()\n–]{1,100}))"
)
# Words that end a section name written without quotes ("… Souveränität für unsere Kleinstadt").
_SECTION_END = re.compile(
    r"\s+(?:für|unserer?|unseres|mit|bei|als|von|vom|bitte|etwa|ca\.?|ungefähr|rund)\b.*$", re.I
)

_NUMBER = r"\d{1,3}(?:[.\s\u00a0\u202f]\d{3})+|\d+(?:,\d+)?"
_INHABITANTS = re.compile(
    rf"(?P<number>{_NUMBER})\s*(?P<scale>Tsd\.?|tausend|Mio\.?|Millionen?)?\s*"
    r"(?:Einwohner\w*|Einw\.|EW\b|Bürger\w*|Menschen)",
    re.I,
)
_KIND_WORDS: tuple[tuple[str, str, str | None], ...] = (
    # word, kind, size class
    ("Landgemeinde", "Gemeinde", "Landgemeinde"),
    ("Kleinstadt", "Stadt", "Kleinstadt"),
    ("Mittelstadt", "Stadt", "Mittelstadt"),
    ("Großstadt", "Stadt", "Großstadt"),
    ("Landkreis", "Landkreis", None),
    ("Kreis", "Landkreis", None),
    ("Gemeinde", "Gemeinde", None),
    ("Markt", "Gemeinde", None),
    ("Stadt", "Stadt", None),
    ("Region", "Region", None),
)
_KIND = re.compile(r"\b(" + "|".join(word for word, _, _ in _KIND_WORDS) + r")\b")
_NAME = re.compile(
    r"\b(Stadt|Gemeinde|Landkreis|Markt|Region)\s+"
    r"([A-ZÄÖÜ][\w-]+(?:\s+(?:am|an der|im|in der|ob der|vor der)\s+[A-ZÄÖÜ][\w-]+|\s+[A-ZÄÖÜ][\w-]+)?)"
)
# Capitalised words after "Stadt …" that are not part of a name.
_NOT_NAMES = frozenset(
    [
        "Digitale",
        "Digitalen",
        "Digitalstrategie",
        "Einwohner",
        "Einwohnern",
        "Smart",
        "Bitte",
        "Entwurf",
        "Kapitel",
        "Abschnitt",
        "Verwaltung",
        "Strategie",
        "Agenda",
        "Region",
        "Stadt",
        "Gemeinde",
    ]
)

_PAGE_WORDS = {
    "halbe": 0.5,
    "eine": 1.0,
    "einer": 1.0,
    "ein": 1.0,
    "anderthalb": 1.5,
    "eineinhalb": 1.5,
    "zwei": 2.0,
    "drei": 3.0,
    "vier": 4.0,
    "fünf": 5.0,
}
_PAGES = re.compile(
    r"(?:(?P<half>(?:eine\s+)?halbe)|(?P<number>\d+(?:[.,]\d+)?)|(?P<word>eine?r?|anderthalb|eineinhalb|zwei|drei|vier|fünf))"
    r"(?:\s+bis\s+(?P<upper>\d+|zwei|drei|vier|fünf))?\s*(?:DIN[- ]?A4[- ]?)?Seiten?\b",
    re.I,
)
_WORDS_COUNT = re.compile(r"(?P<number>\d{2,5})\s*Wörter?n?\b", re.I)
_AT_MOST = re.compile(r"\b(?:max(?:imal)?\.?|höchstens|nicht mehr als|bis zu|unter)\s*$", re.I)
_SHORT = re.compile(r"\b(?:kurz|kurze[nrs]?|knapp(?:e[nrs]?)?|kompakt(?:e[nrs]?)?|stichpunktartig)\b", re.I)
_LONG = re.compile(r"\b(?:ausführlich(?:e[nrs]?)?|detailliert(?:e[nrs]?)?|umfassend(?:e[nrs]?)?)\b", re.I)


def match_handlungsfeld(text: str, *, loose: bool = True) -> str | None:
    """The Handlungsfeld slug a section name or request refers to (names, slugs, variants), or None.

    ``loose=False`` is for a whole request: only the names and their fixed variants count, and a
    single word ("Verwaltung") only right after "Handlungsfeld".
    """
    folded = fold(text)
    stripped = folded.strip()
    if stripped in _SLUGS:
        return stripped
    for slug, pattern in _HANDLUNGSFELD_NAMES:
        if re.search(pattern, folded):
            return slug
    if not loose:
        phrase = _HANDLUNGSFELD_PHRASE.search(folded)
        folded = phrase.group(1) if phrase else ""
        if folded in _SLUGS:
            return folded
    for slug, pattern in _HANDLUNGSFELD_WORDS:
        if re.search(pattern, folded):
            return slug
    return None


def handlungsfeld_position(text: str) -> int | None:
    """Where (in the folded text) a request names a Handlungsfeld, or None."""
    folded = fold(text)
    found = [m.start() for _, pattern in _HANDLUNGSFELD_NAMES for m in [re.search(pattern, folded)] if m]
    phrase = _HANDLUNGSFELD_PHRASE.search(folded)
    if phrase and match_handlungsfeld(phrase.group(1)) is not None:
        found.append(phrase.start())
    return min(found) if found else None


def parse_inhabitants(text: str) -> int | None:
    """Inhabitants named in ``text``: "20.000 Einwohnern", "20 000 EW", "rund 8 Tsd. Einwohner"."""
    match = _INHABITANTS.search(text)
    if match is None:
        return None
    raw = match.group("number")
    scale = (match.group("scale") or "").lower()
    value = float(raw.replace(",", ".")) if "," in raw else float(re.sub(r"[.\s\u00a0\u202f]", "", raw))
    if scale.startswith(("tsd", "tausend")):
        value *= 1_000
    elif scale.startswith(("mio", "million")):
        value *= 1_000_000
    number = int(round(value))
    return number if number >= 1 else None


def parse_kind(text: str) -> tuple[str | None, str | None]:
    """``(kind, size_class)`` from words such as Kleinstadt, Gemeinde, Landkreis, Region."""
    match = _KIND.search(text)
    if match is None:
        return None, None
    for word, kind, size_class in _KIND_WORDS:
        if word == match.group(1):
            return kind, size_class
    return None, None  # pragma: no cover - the regex only matches listed words


def parse_name(text: str) -> str | None:
    """A municipality name such as "Gemeinde Steinau am Werder" or "Stadt Lindwerder"."""
    for match in _NAME.finditer(text):
        words = match.group(2).split()
        if words[0] in _NOT_NAMES:
            continue
        if len(words) == 2 and words[1] in _NOT_NAMES:
            words = words[:1]
        return f"{match.group(1)} {' '.join(words)}"
    return None


def parse_length(text: str) -> float | None:
    """Length in pages: "ca. eine Seite" -> 1, "zwei Seiten" -> 2, "kurz" -> 0.5, "300 Wörter" -> 0.75."""
    match = _PAGES.search(text)
    if match is not None:
        if match.group("half"):
            return 0.5
        upper = match.group("upper")
        if upper:  # "1 bis 2 Seiten": the upper bound is what the author allows
            return _page_number(upper)
        if match.group("number"):
            return _page_number(match.group("number"))
        return _page_number(match.group("word"))
    words = _WORDS_COUNT.search(text)
    if words is not None:
        return int(words.group("number")) / WORDS_PER_PAGE
    if _SHORT.search(text):
        return 0.5
    if _LONG.search(text):
        return 3.0
    return None


def parse_max_words(text: str) -> int | None:
    """An upper bound the request sets: "max. 300 Wörter" -> 300, "höchstens eine Seite" -> 400."""
    for pattern, pages in ((_WORDS_COUNT, False), (_PAGES, True)):
        for match in pattern.finditer(text):
            if _AT_MOST.search(text[: match.start()]):
                if not pages:
                    return int(match.group("number"))
                value = parse_length(match.group(0))
                return round(value * WORDS_PER_PAGE) if value else None
    return None


def _page_number(token: str) -> float:
    token = token.lower()
    if token in _PAGE_WORDS:
        return _PAGE_WORDS[token]
    return float(token.replace(",", "."))


# Words of a request that say what to do or for whom, not what about; kept out of the queries.
_REQUEST_WORDS = re.compile(
    r"(?<![\w-])(?:bitte|entwurf|entwurfs|entwerfen|schreib\w*|vorschreiben|formulier\w*|kapitel|abschnitt\w*|"
    r"handlungsfeld|einleitung|seiten?|etwa|ca|gern|gerne|brauche|brauchen|kannst|könntest|du|mir|uns|"
    r"unsere\w*|wir|ich|ihr|einwohner\w*|ew|digital\w*\s+agenda|agenda|"
    r"kleinstadt|mittelstadt|großstadt|gemeinde|stadt|landkreis|kreis|region|regionale|sachlich\w*|ton|"
    r"ratsvorlage|verweise\w*|quellen|dazu|auch|noch|fehlt|sollen|soll|sollten|wollen|haben|sind|gut|"
    r"knapp|rund|zwei|drei|vier|konkrete\w*|beispiele?|einbauen|reinschreiben|überlegen|achten|worauf|"
    r"was|wie|wer|wen|wem|wann|wo|wofür|wozu|womit|wodurch|warum|wieso|weshalb|welche\w*|"
    r"ziele\w*|maßnahmen|erste\w*|satz|themen|schwerpunkt|sagt|sein|"
    r"mit|bei|beim|aus|als|auf|der|die|das|den|dem|des|ein|eine|einen|einer|für|und|oder|zu|zum|"
    r"zur|im|in|von|vom|dass|allein|gelten|wird|erfahrung\w*|"
    r"kurz\w*|halbe|max|maximal|höchstens|wörter\w*|gliederung|stichpunkt\w*|memo|vermerk|"
    r"präambel|vorwort|(?:ober)?bürgermeister\w*|vorschlag|vorlage|kommen|kommt|frage|fragen|müssen|"
    r"muss|achten|beachten|gibt|geben|machen|tun|gehen|angehen|empfiehlst|empfehlen\w*|möchten|"
    r"möchte|ist|nehmen|voranstellen|binden|vorschlagen)(?![\w-])",
    re.IGNORECASE,
)
# Words that carry no topic even after the request words are gone: a greeting, a filler.
_FILLER = frozenset(
    {
        *("hallo", "hi", "hey", "moin", "servus", "tag", "guten", "morgen", "abend", "danke", "dank"),
        *("vielen", "grüße", "gruß", "geht", "gehts", "läuft", "test", "testen", "hilfe", "helfen"),
        *("frage", "fragen", "ok", "okay", "ja", "nein", "mal", "bitte", "schön", "schnell", "text"),
    }
)


def topic_text(text: str) -> str:
    """A section, question or note fragment without the words that only phrase a request."""
    words = [w for w in _REQUEST_WORDS.sub(" ", text).split() if not re.fullmatch(r"[\d.,]+", w)]
    return re.sub(r"\(\s*\)|\s+(?=[,;:?!])", "", " ".join(words)).strip(" -,;:")


def content_words(text: str) -> list[str]:
    """The words of a request that could name a topic: no request words, profile, length,
    stopwords or greetings ("Hallo, wie geht es?" has none)."""
    from assistant.text.german import words as german_words

    stop = _stopwords()
    return [
        w
        for w in german_words(topic_text(text))
        if len(w) >= 3 and not w.isdigit() and w not in stop and w not in _FILLER
    ]


def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_GERMAN

    return frozenset(STOPWORDS_GERMAN)


def parse_section(text: str) -> str | None:
    """The section the request names: a Handlungsfeld's full name or a free topic after
    "Abschnitt/Kapitel/Thema" ("Kapitel zur Umsetzung" -> "Umsetzung"), or None."""
    from assistant.handlungsfelder import HANDLUNGSFELDER

    candidate = section_phrase(text)
    slug = match_handlungsfeld(candidate) if candidate else match_handlungsfeld(text, loose=False)
    if slug is not None:
        return HANDLUNGSFELDER[slug]
    return candidate


def section_phrase(text: str) -> str | None:
    """The name after "Abschnitt/Kapitel/Handlungsfeld/Teil/Thema", or None."""
    phrase = _SECTION_PHRASE.search(text)
    if phrase is None:
        return None
    candidate = phrase.group("quoted") or _SECTION_END.sub("", phrase.group("plain") or "")
    candidate = re.sub(r"\s+(?:in|im|an|am|zu|zur|zum|der|die|das)$", "", candidate.strip(' „“"”-–'))
    return candidate or None


_LEAD_IN = re.compile(r"^.*?[:–]\s+(?=[A-ZÄÖÜ„\"])")


def parse_questions(text: str) -> list[str]:
    """The questions a request asks, without their lead-in ("Memo an …: Sollen wir …?")."""
    from assistant.text.sentences import split_sentences

    questions = []
    for sentence in split_sentences(" ".join(text.split())):
        sentence = sentence.strip()
        if not sentence.endswith("?"):
            continue
        question = split_lead_in(sentence)[1].strip()
        if content_words(question):
            questions.append(question)
    return questions


_SUB_QUESTION = re.compile(
    r"(?:,\s*|\s+)(?:(?:und|oder|sowie)\s+)?(?=(?:was|wie|wer|wen|wem|wann|wo|wofür|wozu|womit|warum|"
    r"wieso|weshalb|welche\w*|worauf|woran|inwiefern|ob)\b)",
    re.IGNORECASE,
)


def sub_questions(question: str) -> list[str]:
    """The questions one sentence asks („Welche Grundsätze gelten, und wie beteiligen wir
    Kommunen, Wirtschaft und Bürgerschaft?“ -> two), each with content words; an enumeration
    („Kommunen, Wirtschaft und Bürgerschaft“) stays in its question."""
    parts = [p.strip(" ,;?") for p in _SUB_QUESTION.split(question)]
    return [p for p in parts if content_words(p)]


def split_lead_in(sentence: str) -> tuple[str, str]:
    """A question sentence's lead-in and its question („Memo an …: Sollen wir …?“)."""
    match = _LEAD_IN.match(sentence)
    if match is None:
        return "", sentence
    return sentence[: match.end()].rstrip(" :–"), sentence[match.end() :]


def parse_form(text: str) -> list[str]:
    """The forms a request asks for ("als Gliederung mit Stichpunkten" -> stichpunkte,
    "mit einem Stufenplan" -> stufenplan), in the order of ``structure.yaml``."""
    from assistant.drafting.structure import load_structure

    folded = fold(text)
    forms = load_structure().forms.items()
    return [name for name, patterns in forms if any(p.search(folded) for p in patterns)]


def detect_type(text: str) -> str:
    """The document type a request asks for (keys of ``types`` in ``structure.yaml``).

    The earliest of these wins: a word naming the document („Memo an …“, „Präambel“,
    „Beteiligungskonzept“), a Handlungsfeld's name, or a section after „Kapitel/Abschnitt“
    (typed by its own words: „Kapitel zur Umsetzung“ is about governance, „Kapitel Digitale
    Zukunft“ a Handlungsfeld, anything else a generic chapter). Without any of them, weaker
    cues decide („Wen beteiligen wir wann?“ asks for a participation concept); else a chapter.
    """
    from assistant.drafting.structure import DEFAULT_TYPE, GENERIC_TYPE, load_structure

    types = load_structure().types
    folded = fold(text)
    named: list[tuple[int, str]] = []
    for key, spec in types.items():
        starts = [m.start() for p in spec.recognise for m in [p.search(folded)] if m]
        if starts:
            named.append((min(starts), key))
    position = handlungsfeld_position(text)
    if position is not None:
        named.append((position, DEFAULT_TYPE))
    phrase = _SECTION_PHRASE.search(text)
    if phrase is not None:
        section = section_phrase(text) or ""
        named.append((len(fold(text[: phrase.start()])), section_type(section) or GENERIC_TYPE))
    if named:
        return min(named)[1]
    cues = [
        (m.start(), key)
        for key, spec in types.items()
        for p in spec.topic_words
        for m in [p.search(folded)]
        if m
    ]
    return min(cues)[1] if cues else GENERIC_TYPE


def section_type(section: str) -> str | None:
    """The type a section's own name implies: a document word, a Handlungsfeld, then weaker cues."""
    from assistant.drafting.structure import DEFAULT_TYPE, load_structure

    types = load_structure().types
    folded = fold(section)
    for key, spec in types.items():
        if any(p.search(folded) for p in spec.recognise):
            return key
    if match_handlungsfeld(section) is not None:
        return DEFAULT_TYPE
    for key, spec in types.items():
        if any(p.search(folded) for p in spec.topic_words):
            return key
    return None


def infer_type(section: str, notes: str = "") -> str:
    """The type of a request given as fields: what the section's name implies, else what the
    notes name as the document ("als Memo an …"), else a Handlungsfeld or a chapter."""
    from assistant.drafting.structure import DEFAULT_TYPE, GENERIC_TYPE

    implied = section_type(section)
    if implied is not None:
        return implied
    if notes:
        named = detect_type(notes)
        if named not in (DEFAULT_TYPE, GENERIC_TYPE):
            return named
    if section.endswith("?"):
        return detect_type(section)
    return GENERIC_TYPE


EMPTY_REQUEST = (
    "Die Anfrage ist leer. Bitte ein Handlungsfeld, einen Abschnitt oder eine Frage nennen, "
    "z. B. „Entwurf für das Kapitel Digitale Souveränität“."
)
NO_CONTENT = (
    "Aus der Anfrage geht nicht hervor, worüber der Entwurf gehen soll. Bitte ein Thema nennen: "
    "ein Handlungsfeld (z. B. „Digitale Souveränität“), einen Abschnitt (z. B. „Kapitel "
    "Bürgerbeteiligung“) oder die Frage, um die es geht (z. B. „Memo: Sollen wir Smart City "
    "top-down oder bottom-up angehen?“)."
)
_MAX_SECTION_CHARS = 160


def parse_request(text: str, doc_type: str | None = None) -> DraftRequest:
    """A :class:`DraftRequest` from a German free-text request; unknown parts keep their defaults.

    ``doc_type`` forces the document type (a key or alias of ``structure.yaml``). The whole
    request is kept as ``notes``: its wording (topics, questions, local programmes) focuses the
    retrieval of every part. When no Handlungsfeld or section is named, the request's first
    question is the section; without one, its content words. Raises :class:`ConfigError` only
    when the request names nothing to write about.
    """
    from assistant.drafting.models import DraftRequest, MunicipalityProfile
    from assistant.drafting.structure import load_structure

    text = " ".join(text.split())
    if not text:
        raise ConfigError(EMPTY_REQUEST)
    structure = load_structure()
    try:
        chosen = structure.resolve_type(doc_type) if doc_type else detect_type(text)
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    section = request_section(text, chosen)
    if section is None:
        raise ConfigError(NO_CONTENT)
    kind, size_class = parse_kind(text)
    profile = MunicipalityProfile(
        name=parse_name(text),
        inhabitants=parse_inhabitants(text),
        kind=kind,  # type: ignore[arg-type]
        size_class=size_class,  # type: ignore[arg-type]
    )
    values: dict[str, object] = {
        "type": chosen,
        "section": section,
        "profile": profile,
        "notes": text,
        "form": parse_form(text),
    }
    length = parse_length(text)
    if length is not None:
        values["length"] = min(max(length, 0.25), 5.0)
    max_words = parse_max_words(text)
    if max_words is not None:
        values["max_words"] = max_words
    return DraftRequest.model_validate(values)


def request_section(text: str, doc_type: str) -> str | None:
    """What the draft is about: the named Handlungsfeld or section, else the first question, else
    the request's content words, else the type's implied topic; None when there is nothing."""
    from assistant.drafting.structure import DEFAULT_TYPE, load_structure

    named = parse_section(text)
    if named is not None and (doc_type == DEFAULT_TYPE or section_phrase(text) is not None):
        return named
    questions = parse_questions(text)
    if questions:
        return _clip(questions[0])
    if named is not None:
        return named
    content = topic_text(_strip_type_words(text, doc_type))
    if content_words(content):
        return _clip(content.strip(" ,.;:!?()"))
    return load_structure().types[doc_type].implied_topic


def _strip_type_words(text: str, doc_type: str) -> str:
    """The request without the words that name its document type („Beteiligungskonzept“)."""
    from assistant.drafting.structure import load_structure

    spec = load_structure().types[doc_type]
    words = []
    for word in text.split():
        folded = fold(word)
        if any(p.search(folded) for p in spec.recognise):
            continue
        words.append(word)
    return " ".join(words)


def _clip(text: str) -> str:
    if len(text) <= _MAX_SECTION_CHARS:
        return text
    cut = text[:_MAX_SECTION_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + " …"
