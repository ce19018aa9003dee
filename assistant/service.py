"""The assistant: what the CLI, the API and the bots call to search and answer."""

from __future__ import annotations

import time
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, Unpack

from assistant.config import Settings
from assistant.conversation import Condenser, RuleCondenser, StandaloneQuestion, Turn
from assistant.embeddings import Embedder
from assistant.generation.base import Answerer
from assistant.index import Index
from assistant.index.opening import open_index
from assistant.retrieval.base import Retriever
from assistant.retrieval.safe_text import SafeTextRetriever
from assistant.retrieval.stack import RetrieverSpec, build_stack
from assistant.types import Answer, Passage, SearchFilters

if TYPE_CHECKING:
    from assistant.drafting import Draft, DraftRequest
    from assistant.drafting.progress import ProgressHook


EMPTY_INDEX = (
    "Der Index enthält noch keine Dokumente. Bitte zuerst Dokumente einlesen "
    "(kommunal-assistant ingest ORDNER oder Upload über die API)."
)


class AskOptions(TypedDict, total=False):
    """The keyword options of :meth:`Assistant.ask` and :meth:`Assistant.ask_stream`."""

    k: int
    """How many passages the answer is read from (default 5)."""
    history: Sequence[Turn] | None
    """The conversation so far, oldest first: a follow-up question is read with it."""


@dataclass(frozen=True)
class _Retrieved:
    """A question on its way to an answer: as understood, its passages, and its clock."""

    asked: StandaloneQuestion
    passages: list[Passage]
    started: float
    retrieved: float


class Assistant:
    """Search and cited answers over one index."""

    def __init__(self, index: Index, settings: Settings, answerer: Answerer | None = None) -> None:
        self.index = index
        self.settings = settings
        self._answerer = answerer
        self._condenser: Condenser | None = None

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        write: bool = False,
        shared: bool = False,
        purpose: str = "assistant",
        embedder: Embedder | None = None,
        answerer: Answerer | None = None,
    ) -> Assistant:
        """The composition root: index, embedder and assistant of ``settings``, for every entry point.

        ``write`` takes the writer lock (ingest, uploads, maintenance); ``shared`` makes the index
        safe to share between request threads (API, Slack bot); see
        :func:`assistant.index.opening.open_index`. Close it with :meth:`close` or ``with``.
        """
        index = open_index(settings, write=write, shared=shared, purpose=purpose, embedder=embedder)
        return cls(index, settings, answerer)

    def close(self) -> None:
        """Close the index (and with it Chroma, the manifest and the lock)."""
        self.index.close()

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def retriever(
        self,
        mode: str = "hybrid",
        *,
        diverse: bool = False,
        windows: bool = False,
        prefer: Collection[str] = (),
    ) -> Retriever:
        """The retriever for ``mode``; ``diverse`` adds the diversity step, ``windows`` hands each
        hit over with ``settings.reader_window`` neighbouring chunks on each side, ``prefer``
        boosts the passages of those documents (a follow-up's earlier sources)."""
        spec = RetrieverSpec.from_settings(self.settings, mode).with_(
            prefer=tuple(prefer),
            diverse=diverse,
            window=self.settings.reader_window if windows else 0,
        )
        return build_stack(self.index, spec)

    def answer_passages(
        self, question: str, filters: SearchFilters | None = None, k: int = 5, *, prefer: Collection[str] = ()
    ) -> list[Passage]:
        """What an answerer reads for ``question``: diversified hybrid hits as windows, their
        document text neutralised (:mod:`assistant.retrieval.safe_text`)."""
        with self.index.snapshot():  # one version of every document across dense + lexical
            retriever = self.retriever("hybrid", diverse=True, windows=True, prefer=prefer)
            return SafeTextRetriever(retriever).retrieve(question, k, filters)

    @property
    def answerer(self) -> Answerer:
        if self._answerer is None:
            from assistant.generation import create_answerer

            self._answerer = create_answerer(self.settings, self.index)
        return self._answerer

    def search(
        self, query: str, k: int = 5, filters: SearchFilters | None = None, mode: str = "hybrid"
    ) -> list[Passage]:
        """Ranked passages for a query, their document text neutralised."""
        with self.index.snapshot():  # one version of every document across dense + lexical
            return SafeTextRetriever(self.retriever(mode, windows=True)).retrieve(query, k, filters)

    def standalone(self, question: str, history: Sequence[Turn] | None = None) -> StandaloneQuestion:
        """``question`` made answerable on its own, given the conversation so far
        (:mod:`assistant.conversation`)."""
        if not history:
            return StandaloneQuestion(question, question)
        return self.condenser.condense(list(history), question)

    @property
    def condenser(self) -> Condenser:
        """The rules (:mod:`assistant.conversation`), or with an LLM configured its condense prompt
        with the rules as fallback (:mod:`assistant.generation.condense`)."""
        if self._condenser is None:
            rules = RuleCondenser(self.index)
            if self.settings.llm_base_url:
                from assistant.generation.chat_model import create_chat_model
                from assistant.generation.condense import LLMCondenser

                self._condenser = LLMCondenser(create_chat_model(self.settings), rules)
            else:
                self._condenser = rules
        return self._condenser

    def ask(
        self, question: str, filters: SearchFilters | None = None, **options: Unpack[AskOptions]
    ) -> Answer:
        """A cited German answer, or an honest abstention; a follow-up is read with ``history``."""
        turn = self._retrieve(question, filters, **options)
        return self._finish(self.answerer.answer(turn.asked.query, turn.passages), turn)

    def ask_stream(
        self, question: str, filters: SearchFilters | None = None, **options: Unpack[AskOptions]
    ) -> Iterator[str | Answer]:
        """Text pieces as they come, then the final answer with citations (with the same
        warnings and timings as :meth:`ask`)."""
        turn = self._retrieve(question, filters, **options)
        for piece in self.answerer.stream(turn.asked.query, turn.passages):
            yield self._finish(piece, turn) if isinstance(piece, Answer) else piece

    def _retrieve(
        self,
        question: str,
        filters: SearchFilters | None,
        *,
        k: int = 5,
        history: Sequence[Turn] | None = None,
    ) -> _Retrieved:
        """The first half of every answer: the question made standalone and its passages."""
        started = time.perf_counter()
        asked = self.standalone(question, history)
        passages = self.answer_passages(asked.query, filters, k, prefer=asked.prefer_doc_ids)
        return _Retrieved(asked, passages, started, time.perf_counter())

    def _finish(self, answer: Answer, turn: _Retrieved) -> Answer:
        """What every answer carries: the user's wording, index warnings and timings."""
        _as_asked(answer, turn.asked)
        answer.warnings += self._index_warnings(turn.passages)
        answer.timings["retrieve_ms"] = round((turn.retrieved - turn.started) * 1000, 2)
        answer.timings["total_ms"] = round((time.perf_counter() - turn.started) * 1000, 2)
        return answer

    def draft(
        self,
        request: DraftRequest,
        filters: SearchFilters | None = None,
        *,
        progress: ProgressHook | None = None,
    ) -> Draft:
        """A cited draft of one section of a Digitale Agenda (see docs/drafting.md); ``progress``
        is called when each part starts and finishes (:mod:`assistant.drafting.progress`)."""
        from assistant.drafting import create_drafter

        drafter = create_drafter(self.settings, self.index, self.retriever("hybrid"))
        draft = drafter.draft(request, filters, progress=progress)
        draft.warnings += self._index_warnings(draft.sources)
        return draft

    def _index_warnings(self, found: Sequence[object]) -> list[str]:
        """Tell the reader why nothing was found when the index itself is empty."""
        if found or self.index.manifest.count_chunks():
            return []
        return [EMPTY_INDEX]


def _as_asked(answer: Answer, asked: StandaloneQuestion) -> None:
    """The answer keeps the user's wording and says what a follow-up was related to."""
    answer.question = asked.question
    if asked.rewritten:
        answer.interpreted_as = asked.query
        answer.related_note = asked.note
