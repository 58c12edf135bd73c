"""Plain-text output of `preflight run`: lines without escape codes, for pipes, CI logs and
NO_COLOR. The line builders here are shared with the live renderer, which only adds style."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Sequence
from typing import TextIO

from upstream_preflight.findings import Report, Severity, StageResult, StageStatus
from upstream_preflight.render.validate_text import component_lines, finding_lines
from upstream_preflight.stages import NOT_SELECTED, STAGE_IDS
from upstream_preflight.stages.base import Stage

BANNER = "=" * 32
RULE = "-" * 40
NOTE_MARK = "·"
"""Notes are facts, not verdicts: they never carry a status mark (a ✓ means something passed)."""
MARKS = {
    StageStatus.PASSED: "✓",
    StageStatus.WARNING: "!",
    StageStatus.FAILED: "✗",
    StageStatus.SKIPPED: "○",
}


def duration_text(ms: int) -> str:
    return f"{ms} ms" if ms < 1000 else f"{ms / 1000:.1f} s"


def header_lines(settings_module: str | None, settings_source: str | None = None) -> list[str]:
    lines = [BANNER, "Upstream Pre-Deployment Checks", BANNER]
    if settings_module:
        source = f" (from {settings_source})" if settings_source else ""
        lines.append(f"Settings: {settings_module}{source}")
    return lines


def body_lines(result: StageResult) -> list[tuple[str, str]]:
    """The stage's notes and findings as (kind, text); kind is `note`, `hint`, or the
    finding's severity label (`error`, `warning`, `info`), or `silenced`."""
    lines: list[tuple[str, str]] = [("note", f"{NOTE_MARK} {note}") for note in result.notes]
    for finding in result.findings:
        kind = "silenced" if finding.silenced else finding.severity.label
        first, *rest = finding_lines(finding, indent="")
        lines.append((kind, first))
        lines.extend(("hint", line) for line in rest)
    return lines


def status_text(result: StageResult) -> str:
    """`passed`, `2 errors, 1 warning`, or `skipped: <reason>`."""
    if result.status is StageStatus.SKIPPED:
        return f"skipped: {result.skip_reason}" if result.skip_reason else "skipped"
    active = [f for f in result.findings if not f.silenced]
    counts = []
    for severity, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning")):
        n = sum(f.severity == severity for f in active)
        if n:
            counts.append(f"{n} {word}{'s' if n > 1 else ''}")
    return ", ".join(counts) or "passed"


def summary_lines(report: Report) -> list[str]:
    summary = report.summary
    lines = [BANNER, "Summary", BANNER]
    lines.append(f"Errors:   {summary.errors}")
    lines.append(f"Warnings: {summary.warnings}")
    if summary.info:
        lines.append(f"Info:     {summary.info}")
    if summary.silenced:
        lines.append(f"Silenced: {summary.silenced}")
    skipped = [s.id for s in report.stages if s.status is StageStatus.SKIPPED]
    if skipped:
        lines.append(f"Skipped:  {', '.join(skipped)}")
    return [*lines, "", *verdict_lines(report)]


def verdict_lines(report: Report) -> list[str]:
    """Two lines: the verdict and what to do. "Ready to deploy" only when everything ran and
    passed with no warning and no counted component unhealthy."""
    if report.interrupted:
        return [
            "✗ Interrupted: the checks did not finish",
            "Do not deploy until a full run passes.",
        ]
    if report.crashed:
        return [
            "✗ preflight itself failed (a bug): the checks are incomplete",
            "Please report the preflight.E003 finding above.",
        ]
    summary = report.summary
    if summary.errors:
        return ["✗ Pre-deployment checks FAILED", "Fix the errors above before deploying."]
    if report.strict and summary.warnings:
        return [
            "✗ Pre-deployment checks FAILED (--strict: warnings count as failures)",
            "Fix the warnings above, or run without --strict.",
        ]
    ran = {s.id for s in report.stages if s.skip_reason != NOT_SELECTED}
    partial = not ran.issuperset(STAGE_IDS)
    checks = "selected pre-deployment checks" if partial else "pre-deployment checks"
    unhealthy = unhealthy_components(report)
    caveats = []
    if summary.warnings:
        caveats.append(plural(summary.warnings, "warning"))
    if unhealthy:
        caveats.append(f"monitoring {report.overall_status or 'unhealthy'}: {', '.join(unhealthy)}")
    if not caveats:
        headline = f"✓ All {checks} PASSED"
    else:
        headline = f"! {checks[0].upper()}{checks[1:]} PASSED with {'; '.join(caveats)}"
    advice = []
    if partial:
        advice.append("Only some stages ran: this is not a full pre-deployment check.")
    if report.overall_status == "unhealthy" and unhealthy:
        advice.append("Do not deploy until every critical component is healthy.")
    elif caveats:
        advice.append(f"Review the {' and '.join(_caveat_words(report))} before deploying.")
    if not advice:
        advice.append("Ready to deploy to production.")
    return [headline, " ".join(advice)]


def unhealthy_components(report: Report) -> list[str]:
    """Names of the components that count towards the overall status and are unhealthy."""
    return [
        name
        for name, component in report.components.items()
        if component.get("enabled") is not False and not component.get("healthy")
    ]


def _caveat_words(report: Report) -> list[str]:
    words = []
    if report.summary.warnings:
        words.append("warnings above")
    if unhealthy_components(report):
        words.append("unhealthy components")
    return words


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def render_plain(report: Report, quiet: bool = False) -> str:
    """The whole report at once (what PlainObserver prints piece by piece)."""
    lines: list[str] = []
    if not quiet:
        lines += header_lines(report.settings_module, report.settings_source)
    for result in report.stages:
        lines += stage_block(result, quiet, with_heading=True)
    lines += closing_lines(report, quiet)
    return "\n".join(lines) + "\n"


def stage_heading(title: str) -> list[str]:
    return ["", f"▶ {title}", RULE]


def stage_block(result: StageResult, quiet: bool, with_heading: bool) -> list[str]:
    if quiet:
        return [text for kind, text in body_lines(result) if kind not in ("note",)]
    lines = stage_heading(result.title) if with_heading else []
    lines += [text for _kind, text in body_lines(result)]
    status = status_text(result)
    if result.status is not StageStatus.SKIPPED:
        status += f" ({duration_text(result.duration_ms)})"
    lines.append(f"{MARKS[result.status]} {status}")
    return lines


def closing_lines(report: Report, quiet: bool) -> list[str]:
    lines = [""]
    if report.components and not quiet:
        lines += [*component_lines(report), ""]
    return lines + summary_lines(report)


class PlainObserver:
    """Prints each stage's heading when it starts (so a slow stage is visible in CI logs)
    and its result when it finishes."""

    def __init__(self, stream: TextIO, quiet: bool = False) -> None:
        self.stream = stream
        self.quiet = quiet
        self._open: str | None = None
        self._closed = False

    def _write(self, lines: Sequence[str]) -> None:
        if lines and not self._closed:
            self._closed = not write_or_silence(self.stream, "\n".join(lines) + "\n")

    def run_started(
        self,
        settings_module: str | None,
        stages: Sequence[Stage],
        settings_source: str | None = None,
    ) -> None:
        if not self.quiet:
            self._write(header_lines(settings_module, settings_source))

    def stage_started(self, stage: Stage) -> None:
        self._open = stage.id
        if not self.quiet:
            self._write(stage_heading(stage.title))

    def stage_finished(self, result: StageResult) -> None:
        with_heading = self._open != result.id
        self._open = None
        self._write(stage_block(result, self.quiet, with_heading))

    def run_finished(self, report: Report) -> None:
        self._write(closing_lines(report, self.quiet))


def write_or_silence(stream: TextIO, text: str) -> bool:
    """Write and flush; when the reader has gone (`preflight run | head`), point the stream at
    /dev/null so that neither this run nor the interpreter's exit trips over it again."""
    try:
        stream.write(text)
        stream.flush()
        return True
    except BrokenPipeError:
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)
        return False
