"""Rich live progress for a terminal: a spinner on the running stage, then its mark, title,
duration, findings and notes. Colour is a separate choice (NO_COLOR keeps the progress). With
`progress_only` (a machine report on stdout) only the spinner and each stage's line: the
findings are in the report. The only module of the core that imports Rich."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from rich.console import Console
from rich.status import Status
from rich.text import Text

from upstream_preflight.findings import Report, StageResult, StageStatus
from upstream_preflight.render.plain import (
    MARKS,
    body_lines,
    duration_text,
    header_lines,
    status_text,
    summary_lines,
)
from upstream_preflight.render.validate_text import component_lines
from upstream_preflight.stages.base import Stage

STATUS_STYLES = {
    StageStatus.PASSED: "green",
    StageStatus.WARNING: "yellow",
    StageStatus.FAILED: "red",
    StageStatus.SKIPPED: "dim",
}
VERDICT_STYLES = {"✓": "bold green", "!": "bold yellow"}
"""By the verdict's mark: a pass with warnings or unhealthy components is not green."""
LINE_STYLES = {
    "note": "",
    "error": "red",
    "warning": "yellow",
    "info": "blue",
    "hint": "dim",
    "silenced": "dim",
}


class LiveObserver:
    def __init__(self, stream: TextIO, *, color: bool = True, progress_only: bool = False) -> None:
        self.console = Console(
            file=stream,
            highlight=False,
            emoji=False,
            markup=False,
            no_color=not color,
            force_terminal=True,
        )
        self.progress_only = progress_only
        self._status: Status | None = None

    def _stop_spinner(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None

    def run_started(
        self,
        settings_module: str | None,
        stages: Sequence[Stage],
        settings_source: str | None = None,
    ) -> None:
        if self.progress_only:
            return
        for line in header_lines(settings_module, settings_source):
            self.console.print(Text(line, style="bold"))

    def stage_started(self, stage: Stage) -> None:
        self._stop_spinner()
        self._status = self.console.status(Text(f"{stage.title}…"), spinner="dots")
        self._status.start()

    def stage_finished(self, result: StageResult) -> None:
        self._stop_spinner()
        style = STATUS_STYLES[result.status]
        line = Text()
        line.append(f"{MARKS[result.status]} ", style=style)
        line.append(result.title, style="bold")
        if result.status is StageStatus.SKIPPED or self.progress_only:
            line.append(f"  {status_text(result)}", style="dim")
        if result.status is not StageStatus.SKIPPED:
            line.append(f"  {duration_text(result.duration_ms)}", style="dim")
        self.console.print(line)
        if self.progress_only:
            return
        for kind, text in body_lines(result):
            self.console.print(Text(f"    {text}", style=LINE_STYLES[kind]))

    def run_finished(self, report: Report) -> None:
        self._stop_spinner()
        if self.progress_only:
            return
        self.console.print()
        if report.components:
            for text in component_lines(report):
                style = "red" if "✗" in text else "dim" if "○" in text else ""
                self.console.print(Text(text, style=style))
            self.console.print()
        lines = summary_lines(report)
        verdict = VERDICT_STYLES.get(lines[-2][:1], "bold red")
        for index, text in enumerate(lines):
            is_verdict = index >= len(lines) - 2
            self.console.print(Text(text, style=verdict if is_verdict and text else ""))
