"""What a request is about: its topic words and its questions.

"Entwurf für die Präambel …: Wofür wollen wir Digitalisierung nutzen? Wen beteiligen wir wann
und wie?" → the topic without request words ("Entwurf", "bitte", "für unsere Kleinstadt") and
the questions, each split into its sub-questions, that become the retrieval queries of a draft.
"""

from __future__ import annotations

import re

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
