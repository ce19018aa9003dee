"""Progress of a draft while it is made: an event when each part starts and finishes.

A draft is made in two phases (see :class:`assistant.drafting.drafter.Drafter`): first the
evidence of every part is gathered (the length budget of each part depends on which parts have
evidence at all), then the parts are written one after the other. Both phases report each part,
so a client can show „Teil 2 von 5: Maßnahmen“ while retrieval (extractive mode) or the language
model (LLM mode) works. The hook only observes: the draft is the same with or without it. An
exception raised by the hook ends the draft (this is how the API stops the work for a client
that went away).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, Field

from assistant.drafting.structure import PartSpec

Phase = Literal["evidence", "writing"]
Status = Literal["started", "finished"]

_PHASE_LABELS = {"evidence": "Belege werden gesucht", "writing": "wird geschrieben"}


class DraftProgress(BaseModel):
    """One step of a draft: part ``index`` of ``total`` started or finished a phase."""

    phase: Phase = Field(description="evidence (Belege suchen) oder writing (Teil schreiben).")
    status: Status
    index: int = Field(ge=1, description="Nummer des Teils, ab 1.")
    total: int = Field(ge=1, description="Zahl der Teile der Gliederung.")
    key: str = Field(description="Schlüssel des Teils, z. B. massnahmen.")
    title: str = Field(description="Deutsche Überschrift des Teils, z. B. „Maßnahmen“.")
    mode: str = Field(description="extractive oder llm: der Schreiber dieses Schritts.")
    sources: int = Field(
        ge=0,
        description="Bisher zitierte Quellen des ganzen Entwurfs (in der Belegsuche noch 0; "
        "der fertige Entwurf kann nach dem Kürzen weniger haben).",
    )
    gap: bool | None = Field(
        default=None, description="Nach Abschluss: ob der Teil ohne Belege bleibt; sonst null."
    )

    def describe(self) -> str:
        """German, for a progress line: „Teil 2 von 5: Maßnahmen (Belege werden gesucht)“."""
        line = f"Teil {self.index} von {self.total}: {self.title} ({_PHASE_LABELS[self.phase]})"
        if self.status == "finished" and self.gap:
            line += " – keine Belege gefunden"
        return line


ProgressHook = Callable[[DraftProgress], None]
"""Called with each :class:`DraftProgress`, in the thread that drafts."""


class ProgressReporter:
    """Sends the progress of one draft to an optional hook; a no-op without one."""

    def __init__(self, hook: ProgressHook | None, total: int) -> None:
        self.hook = hook
        self.total = total

    def report(
        self,
        phase: Phase,
        status: Status,
        index: int,
        spec: PartSpec,
        *,
        mode: str,
        sources: int = 0,
        gap: bool | None = None,
    ) -> None:
        """Report the part ``spec`` at ``index`` (0-based)."""
        if self.hook is None:
            return
        self.hook(
            DraftProgress(
                phase=phase,
                status=status,
                index=index + 1,
                total=self.total,
                key=spec.key,
                title=spec.title,
                mode=mode,
                sources=sources,
                gap=gap,
            )
        )
