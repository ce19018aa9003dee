"""A rich progress bar on stderr behind the core's plain ``progress(label, done, total)`` callbacks.

Shown only where a person watches: stderr is a terminal and the command was not asked for
``--json``. Otherwise the callback is None, so the core does no reporting at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from assistant.progress import ProgressCallback
from kommunal.cli.output import err

LABEL_WIDTH = 50


@contextmanager
def progress_bar(title: str, *, as_json: bool = False) -> Iterator[ProgressCallback | None]:
    """A callback drawing a transient bar titled ``title`` on stderr, or None (``--json``, no terminal).

    The bar's total follows the callback's, so one bar can show operations in phases.
    """
    if as_json or not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task(title, total=None)

        def update(label: str, done: int, total: int) -> None:
            text = f"{title}: {label}" if label else title
            if len(text) > LABEL_WIDTH:  # keep the end: file names differ there
                text = "…" + text[-(LABEL_WIDTH - 1) :]
            bar.update(task, description=text, completed=done, total=total or None)

        yield update
