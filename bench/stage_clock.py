"""Where a query's time goes: exclusive wall time per stage, by wrapping the objects involved.

A wrapped call's time counts for its own stage only; time spent in a wrapped call inside it
(for example the manifest lookups inside an answer) counts for the inner stage. Whatever no
wrapper covers (fusion, diversity, glue) is reported as the rest: total minus all stages.
This is a benchmark instrument, applied to one process's objects; nothing in the product
is changed.
"""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from collections.abc import Callable
from typing import Any


class StageClock:
    """Collects per-stage milliseconds for the current query."""

    def __init__(self) -> None:
        self._stack: list[list[Any]] = []  # [stage, started, time spent in inner stages]
        self.current: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)

    def wrap(self, owner: object, attribute: str, stage: str) -> None:
        """Replace ``owner.attribute`` (a bound method or function) by a timed version."""
        original: Callable[..., Any] = getattr(owner, attribute)

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [stage, time.perf_counter(), 0.0]
            self._stack.append(frame)
            try:
                return original(*args, **kwargs)
            finally:
                self._stack.pop()
                spent = time.perf_counter() - frame[1]
                self.current[stage] += (spent - frame[2]) * 1000
                self.calls[stage] += 1
                if self._stack:
                    self._stack[-1][2] += spent

        setattr(owner, attribute, timed)

    def reset(self) -> None:
        self.current = defaultdict(float)
        self.calls = defaultdict(int)

    def take(self, total_ms: float) -> dict[str, float]:
        """This query's stages (plus ``rest``), then start afresh."""
        stages = dict(self.current)
        stages["rest"] = max(total_ms - sum(stages.values()), 0.0)
        self.reset()
        return stages
