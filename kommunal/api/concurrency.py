"""Running the blocking core from async routes: a read/write lock, timeouts, streams in a thread.

The core (index, models) is synchronous. Reads (search, ask) run concurrently in worker
threads; writes (upload, delete, reindex) are exclusive, because the index facade shares
one SQLite connection whose transactions other threads would otherwise see half-done.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from assistant.errors import AssistantError

T = TypeVar("T")


class RequestTimeoutError(AssistantError):
    """The request's work did not finish within ``api_timeout_s``."""

    code = "timeout"


class ReadWriteLock:
    """Many readers or one writer; a waiting writer blocks new readers (no writer starvation)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._writers_waiting += 1
            try:
                while self._writer or self._readers:
                    self._cond.wait()
            finally:
                self._writers_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


async def run_blocking(func: Callable[[], T], timeout_s: float) -> T:
    """``func()`` in a worker thread; :class:`RequestTimeoutError` when it takes longer than ``timeout_s``.

    Python cannot stop a thread: on timeout the work finishes in the background and its
    result is dropped. The dependencies have their own timeouts, so it does end.
    """
    try:
        return await asyncio.wait_for(run_in_threadpool(func), timeout=timeout_s)
    except TimeoutError as exc:
        raise RequestTimeoutError(
            f"Die Anfrage wurde nicht innerhalb von {timeout_s:g} s bearbeitet. "
            "Bitte später erneut versuchen."
        ) from exc


_DONE = object()


async def iterate_in_thread(
    make_iterator: Callable[[], Iterator[T]], *, cancelled: threading.Event
) -> AsyncIterator[T]:
    """Drive a blocking iterator in its own thread and hand its items to async code.

    Setting ``cancelled`` (the caller does so when the client goes away) makes the thread
    stop after the item it is producing and close the iterator, which closes whatever it
    holds open (for example the streaming connection to the language model). Leaving the
    ``async for`` early sets it too.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[object] = asyncio.Queue()

    def put(item: object) -> None:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, item)
        except RuntimeError:  # the event loop is gone (server shutting down)
            cancelled.set()

    def work() -> None:
        iterator = None
        try:
            iterator = make_iterator()
            for item in iterator:
                if cancelled.is_set():
                    break
                put(item)
        except BaseException as exc:  # noqa: BLE001 - handed to the async side
            put(_Failure(exc))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
            put(_DONE)

    threading.Thread(target=work, name="api-stream", daemon=True).start()
    try:
        while True:
            item = await queue.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        cancelled.set()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error
