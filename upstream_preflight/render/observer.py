"""How the runner reports progress, and the choice of renderer for a stream.

The runner calls an Observer; it never writes to a terminal itself. Only `render.live`
imports Rich, and only when a live display is chosen.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol, TextIO

from upstream_preflight.findings import Report, StageResult
from upstream_preflight.stages.base import Stage


class Observer(Protocol):
    def run_started(
        self,
        settings_module: str | None,
        stages: Sequence[Stage],
        settings_source: str | None = None,
    ) -> None: ...

    def stage_started(self, stage: Stage) -> None: ...

    def stage_finished(self, result: StageResult) -> None:
        """Called once per reported stage, in report order; a skipped stage, or the
        `run` stage holding setup problems, gets no `stage_started`."""
        ...

    def run_finished(self, report: Report) -> None: ...


class NullObserver:
    def run_started(
        self,
        settings_module: str | None,
        stages: Sequence[Stage],
        settings_source: str | None = None,
    ) -> None:
        pass

    def stage_started(self, stage: Stage) -> None:
        pass

    def stage_finished(self, result: StageResult) -> None:
        pass

    def run_finished(self, report: Report) -> None:
        pass


def color_allowed(stream: TextIO, no_color: bool = False) -> bool:
    """Live, coloured output only on a terminal, without --no-color, NO_COLOR or TERM=dumb."""
    if no_color or os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def make_observer(stream: TextIO, *, no_color: bool = False, quiet: bool = False) -> Observer:
    """Rich live progress on a colour terminal; plain lines anywhere else or with --quiet."""
    if not quiet and color_allowed(stream, no_color):
        from upstream_preflight.render.live import LiveObserver

        return LiveObserver(stream)
    from upstream_preflight.render.plain import PlainObserver

    return PlainObserver(stream, quiet=quiet)
