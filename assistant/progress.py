"""Progress reporting for long core operations, without any display library.

A callback ``progress(label, done, total)`` hears what is being done (a German label for the
person waiting), how much of it is done and of how much; ``done`` never decreases within one
operation. The CLI turns it into a rich bar (:mod:`kommunal.cli.progress`); the core only
calls it.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressCallback = Callable[[str, int, int], None]
"""``progress(label, done, total)``."""


class Steps:
    """Named steps of a known number, reported to an optional callback.

    ``with steps.step("Stichwortindex"): ...`` reports the step as started (``done`` steps so
    far) and, at its end, one more done; :meth:`finish` reports ``total`` of ``total``.
    """

    def __init__(self, progress: ProgressCallback | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.done = 0
        self.label = ""

    def start(self, label: str) -> None:
        """The next step begins."""
        self.label = label
        self._report()

    def advance(self, steps: int = 1) -> None:
        """``steps`` more are done (still under the current label)."""
        self.done = min(self.total, self.done + steps)
        self._report()

    def nested(self) -> ProgressCallback | None:
        """A callback for an inner operation: its label joins this step's, its counts are dropped
        (the inner operation is one step here, so ``done`` stays monotonic)."""
        if self.progress is None:
            return None
        outer = self.label

        def report(label: str, done: int, total: int) -> None:
            self.label = f"{outer}: {label}"
            self._report()

        return report

    def finish(self) -> None:
        """Everything is done."""
        self.done = self.total
        self._report()

    def _report(self) -> None:
        if self.progress is not None:
            self.progress(self.label, self.done, self.total)


def as_started(progress: ProgressCallback | None, prefix: str = "") -> ProgressCallback | None:
    """For callers that report ``(name, number, total)`` as item ``number`` (from 1) *starts*, as
    the ingestor does: the callback hears ``number - 1`` done, the label after ``prefix``."""
    if progress is None:
        return None
    return lambda name, number, total: progress(prefix + name, number - 1, total)
