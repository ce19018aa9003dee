"""Follow-up questions: from (conversation so far, new question) to what retrieval and the reader use.

One home for every entry point: the OpenAI-compatible chat route (its messages), the native
API (``history``) and Slack threads (the thread's earlier questions) all call
:func:`condense`. Without an LLM the rules below decide; with one configured, a condense
prompt may rewrite the question and this rule-based version is the fallback.

A question is a follow-up when the conversation has an earlier question and the new one

* points back: a pronoun or pronominal adverb („das“, „dort“, „dafür“, „davon“ …; „das“ only
  when no noun follows it, so „das Netz“ is an article),
* or is elliptical: at most four words without a noun of its own („Und wo?“, „Seit wann?“),
* or opens with „Und …“ / „Was ist mit …“,

and names no new subject of its own: an entity the earlier questions do not have (a word with
inner capitals or digits, „openDesk“, „LoRaWAN“, or a noun right after „in“, „beim“, „Stadt“ …)
or, when nothing points back, two or more nouns that are rare in the corpus. „Und was kostet
das LoRaWAN-Netz in Brunnhagen?“ after a question about openDesk is a new question; „Und wie
hoch war die Anschlussquote?“ after one about a Glasfaser project is a follow-up.

A follow-up is answered as ``question + the earlier question's key terms`` (its names and
nouns, rarest first; those the earlier answer's source titles also name when there are any),
and the documents the earlier answer cited are preferred in retrieval
(never required: the answer may lie elsewhere). The answer names what it related the
question to („Bezogen auf die vorige Frage: Kessbach, openDesk“).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from assistant.text.german import words
from assistant.types import Answer

MAX_KEY_TERMS = 4
ELLIPTIC_MAX_WORDS = 4

_POINTERS = frozenset(
    " ".join(
        (
            "dies diese dieser dieses diesem diesen dort dorthin dabei dafür dazu davon damit darüber",
            "daran darin darauf daraus dadurch dagegen hierfür hierzu hiervon hierbei deren dessen denen",
            "derselbe dieselbe dasselbe es sie er ihr ihre ihren ihrem ihrer sein seine seinen seinem",
            "seiner solche solches",
        )
    ).split()  # noqa: SIM905 - a word list reads better as text
)
_ARTICLE_OR_PRONOUN = frozenset({"das", "die", "der", "den", "dem"})
_OPENERS = re.compile(
    r"^\s*(?:und|aber|und zwar|was ist mit|wie ist es mit|wie sieht es mit|wie steht es um)\b", re.I
)
_QUESTION_WORDS = frozenset(
    " ".join(
        (
            "wer wie was wo wann warum wieso weshalb welche welcher welches welchen welchem wieviel",
            "wieviele woher wohin womit wofür wovon worüber gibt gib bitte und aber auch noch",
        )
    ).split()  # noqa: SIM905
)
_TOKEN = re.compile(r"[\wÄÖÜäöüß]+(?:[-/][\wÄÖÜäöüß]+)*")


@dataclass(frozen=True)
class Turn:
    """An earlier exchange: what was asked, and the documents its answer cited."""

    question: str
    answer: str = ""
    cited_doc_ids: tuple[str, ...] = ()
    cited_titles: tuple[str, ...] = ()  # titles of those documents: they name the topic


@dataclass(frozen=True)
class StandaloneQuestion:
    """What to answer: the user's ``question`` and the ``query`` retrieval and the reader use."""

    question: str
    query: str
    rewritten: bool = False
    about: str = ""  # German, for the answer: what the question was related to
    prefer_doc_ids: tuple[str, ...] = field(default_factory=tuple)

    @property
    def note(self) -> str:
        """The line an answer shows when the question was related to an earlier one."""
        return f"Bezogen auf die vorige Frage: {self.about}" if self.rewritten and self.about else ""


class TermWeights(Protocol):
    """How rare a term is in the corpus (the lexical index)."""

    def analyze(self, text: str) -> list[str]: ...

    def idf(self, token: str) -> float: ...


class Condenser(Protocol):
    """Turns (history, question) into a standalone question."""

    def condense(self, history: Sequence[Turn], question: str) -> StandaloneQuestion: ...


# Only after a question mark: „Was kostet die Stabsstelle (Digitalisierung)“ keeps its parenthesis.
_CONTEXT = re.compile(r"^(?P<question>.*\?)\s+\((?P<context>[^()]*)\)\s*$", re.DOTALL)


def with_context(question: str, terms: Sequence[str]) -> str:
    """``question`` with context terms in a trailing parenthesis: „Und was kostet das? (Kessbach)“."""
    return f"{question} ({', '.join(terms)})" if terms else question


def split_context(query: str) -> tuple[str, str]:
    """(question, context terms) of a query made by :func:`with_context`; ("…", "") otherwise.

    The reader counts context terms for less than the question's own words: they say what the
    question is about, not what it asks.
    """
    match = _CONTEXT.match(query)
    return (match.group("question"), match.group("context")) if match else (query, "")


def _surface_words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _is_name_like(word: str, position: int) -> bool:
    """A noun or name: capitalised (not as the sentence's first word), or with inner capitals/digits."""
    if any(ch.isdigit() for ch in word) or any(ch.isupper() for ch in word[1:]):
        return True
    return position > 0 and word[:1].isupper()


def _names(text: str) -> list[str]:
    found = []
    for position, word in enumerate(_surface_words(text)):
        if word.lower() in _QUESTION_WORDS:
            continue
        if _is_name_like(word, position):
            found.append(word)
    return found


_ENTITY_LEADS = frozenset(
    "in im aus von vom bei beim nach stadt gemeinde landkreis kreis region projekt programm".split()  # noqa: SIM905
)


def _entity_like(name: str, question: str) -> bool:
    """A name with inner capitals or digits („openDesk“, „LoRaWAN“), or a noun right after a word
    that introduces a place, body or project („in Brunnhagen“, „beim Glasfaserausbau“)."""
    if any(ch.isdigit() for ch in name) or any(ch.isupper() for ch in name[1:]):
        return True
    tokens = _surface_words(question)
    return any(
        word == name and i > 0 and tokens[i - 1].lower() in _ENTITY_LEADS for i, word in enumerate(tokens)
    )


def _points_back(question: str) -> bool:
    tokens = _surface_words(question)
    for i, word in enumerate(tokens):
        lower = word.lower()
        if lower in _POINTERS:
            return True
        if lower in _ARTICLE_OR_PRONOUN:
            following = tokens[i + 1] if i + 1 < len(tokens) else ""
            if not following[:1].isupper():  # „kostet das?“, „was hat das gebracht“: no noun follows
                return True
    return False


def _elliptical(question: str) -> bool:
    tokens = _surface_words(question)
    return len(tokens) <= ELLIPTIC_MAX_WORDS and not _names(question)


class RuleCondenser:
    """The rule-based condenser (module docstring); ``terms`` judges how rare a word is."""

    def __init__(self, terms: TermWeights, *, rare_share: float = 0.5) -> None:
        self.terms = terms
        self.rare_share = rare_share

    def _rare(self, word: str) -> bool:
        tokens = self.terms.analyze(word)
        if not tokens:
            return False
        ceiling = max(self.terms.idf("\x00unseen\x00"), 1e-9)  # an unseen token has the highest idf
        return max(self.terms.idf(t) for t in tokens) >= self.rare_share * ceiling

    def _new_subject(self, question: str, earlier: str, *, points_back: bool) -> bool:
        """Whether ``question`` names a subject of its own: an entity the earlier questions do not
        have (a name with inner capitals or digits, or a noun right after „in“, „beim“, „der
        Stadt“ …: a place, project or body), or, when nothing in it points back, two or more
        rare nouns the earlier questions do not have."""
        known = set(words(earlier))
        new = [n for n in dict.fromkeys(_names(question)) if not set(words(n)) <= known]
        if any(_entity_like(n, question) for n in new):
            return True
        return not points_back and sum(self._rare(n) for n in new) >= 2

    def key_terms(self, text: str) -> list[str]:
        """The names and nouns of ``text``, rarest first, at most :data:`MAX_KEY_TERMS`."""
        names = list(dict.fromkeys(_names(text)))
        weighted = [(max((self.terms.idf(t) for t in self.terms.analyze(n)), default=0.0), n) for n in names]
        ranked = [n for _, n in sorted(weighted, key=lambda item: -item[0])[:MAX_KEY_TERMS]]
        return [n for n in names if n in ranked]  # in the order the question names them

    def condense(self, history: Sequence[Turn], question: str) -> StandaloneQuestion:
        question = question.strip()
        earlier = [t for t in history if t.question.strip()]
        if not earlier:
            return StandaloneQuestion(question, question)
        previous = earlier[-1]
        points_back = _points_back(question)
        signals = points_back or _elliptical(question) or bool(_OPENERS.match(question))
        context = " ".join(t.question for t in earlier[-2:])
        if not signals or self._new_subject(question, context, points_back=points_back):
            return StandaloneQuestion(question, question)
        keys = self.key_terms(previous.question) or self.key_terms(context)
        # The earlier question's subject is what its sources' titles name („Digitallotsen“), not
        # the detail it asked for („Beratungen im Pilotjahr“), which the follow-up replaces.
        titled = set(words(" ".join(previous.cited_titles)))
        topical = [k for k in keys if set(words(k)) & titled]
        keys = topical or keys
        if not keys:
            return StandaloneQuestion(question, question)
        missing = [k for k in keys if not set(words(k)) <= set(words(question))]
        query = with_context(question, missing)
        return StandaloneQuestion(
            question,
            query,
            rewritten=bool(missing),
            about=", ".join(keys),
            prefer_doc_ids=tuple(dict.fromkeys(d for t in earlier[-2:] for d in t.cited_doc_ids)),
        )


def condense(history: Sequence[Turn] | None, question: str, terms: TermWeights) -> StandaloneQuestion:
    """:class:`RuleCondenser` over ``terms``: the one entry point for every channel."""
    return RuleCondenser(terms).condense(list(history or ()), question)


def turn_of(answer: Answer) -> Turn:
    """An answered question as a turn of the conversation (its sources' documents and titles)."""
    return Turn(
        question=answer.question,
        answer=answer.answer,
        cited_doc_ids=tuple(dict.fromkeys(s.doc_id for s in answer.sources)),
        cited_titles=tuple(dict.fromkeys(s.title for s in answer.sources)),
    )
