"""GitHub Actions workflow commands: one annotation per finding, then a one-line summary.

`::error title=...,file=...,line=...::message`. Errors are `error`, warnings `warning`, info
and silenced findings `notice`. Values are escaped as the Actions runner expects (data: `%`,
CR, LF; properties also `:` and `,`), so no message can end the command or start another.
"""

from __future__ import annotations

from upstream_preflight.findings import Finding, Report, Severity
from upstream_preflight.render.locations import Locations

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(
    finding: Finding, stage_id: str, stage_title: str, where: Locations | None = None
) -> str:
    command = "notice" if finding.silenced else COMMANDS[finding.severity]
    title = f"{finding.code} ({stage_title})"
    if finding.silenced:
        title += " silenced"
    properties = [("title", title)]
    location = where.of(stage_id, finding) if where is not None else None
    if location is not None:
        properties.append(("file", location.path))
        if location.line is not None:
            properties.append(("line", str(location.line)))
    message = finding.message
    if finding.obj:
        message += f"\nObject: {finding.obj}"
    if finding.silenced:
        message += f"\nSilenced: {finding.silenced_reason or 'yes'}"
    elif finding.hint:
        message += f"\nFix: {finding.hint}"
    head = ",".join(f"{key}={escape_property(value)}" for key, value in properties)
    return f"::{command} {head}::{escape_data(message)}"


def render_github(report: Report, where: Locations | None = None) -> str:
    lines = [
        annotation(finding, stage.id, stage.title, where)
        for stage in report.stages
        for finding in stage.findings
    ]
    s = report.summary
    lines.append(
        f"preflight: {s.errors} error(s), {s.warnings} warning(s), {s.info} info, "
        f"{s.silenced} silenced; exit status {report.exit_code}"
    )
    return "\n".join(lines) + "\n"
