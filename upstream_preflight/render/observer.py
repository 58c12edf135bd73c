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
    """Colour: on a terminal, without --no-color, NO_COLOR or TERM=dumb."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return live_allowed(stream)


def live_allowed(stream: TextIO) -> bool:
    """Live progress (a spinner, each stage's line as it ends): on a terminal that is not
    TERM=dumb. NO_COLOR asks for no colour, not for no progress."""
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def make_observer(
    stream: TextIO, *, no_color: bool = False, quiet: bool = False, progress_only: bool = False
) -> Observer:
    """Rich live progress on a terminal (coloured unless NO_COLOR); plain lines anywhere else,
    with --quiet, or with --no-color ("plain output"). `progress_only`: a machine report goes
    to stdout, so a terminal's stderr shows the progress alone, not the human report again
    (a log that is not a terminal still gets the plain lines)."""
    if not quiet and not no_color and live_allowed(stream):
        from upstream_preflight.render.live import LiveObserver

        color = color_allowed(stream, no_color)
        return LiveObserver(stream, color=color, progress_only=progress_only)
    from upstream_preflight.render.plain import PlainObserver

    return PlainObserver(stream, quiet=quiet)
