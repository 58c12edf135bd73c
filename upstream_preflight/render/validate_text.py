"""The seed's `validate_monitoring` report as plain text (no terminal library needed)."""

from __future__ import annotations

from upstream_preflight.findings import Finding, Report, Severity

RULE = "=" * 60
MARKS = {Severity.ERROR: "✗", Severity.WARNING: "!", Severity.INFO: "i"}
OVERALL_MARKS = {"HEALTHY": "✓", "DEGRADED": "!"}


def finding_lines(finding: Finding, indent: str = "  ") -> list[str]:
    mark = "-" if finding.silenced else MARKS[finding.severity]
    reason = f": {finding.silenced_reason}" if finding.silenced_reason else ""
    suffix = f" (silenced{reason})" if finding.silenced else ""
    lines = [f"{indent}{mark} {finding.code}: {finding.message}{suffix}"]
    if finding.hint and not finding.silenced:
        lines.append(f"{indent}    Fix: {finding.hint}")
    return lines


def component_lines(report: Report) -> list[str]:
    lines = ["Monitoring Components:"]
    for name, component in report.components.items():
        if component.get("enabled") is False:
            if name == "celery" and component["healthy"]:
                lines.append(f"  ○ {name}: disabled")
                continue
            state = "healthy" if component["healthy"] else "not configured"
            lines.append(f"  ○ {name}: {state} (not counted) - {component['message']}")
            continue
        mark, state = ("✓", "healthy") if component["healthy"] else ("✗", "unhealthy")
        lines.append(f"  {mark} {name}: {state} - {component['message']}")
    return lines


def render_validate_text(report: Report) -> str:
    lines = [
        "",
        "Monitoring Configuration Validation",
        RULE,
        "",
        "Running monitoring checks...",
        "",
    ]
    for stage in report.stages:
        if stage.findings:
            lines.append(f"{stage.title}:")
            for finding in stage.findings:
                lines.extend(finding_lines(finding))
            lines.append("")
    summary = report.summary
    lines += [
        "Summary:",
        f"  Errors:   {summary.errors}",
        f"  Warnings: {summary.warnings}",
        f"  Info:     {summary.info}",
    ]
    if summary.silenced:
        lines.append(f"  Silenced: {summary.silenced}")
    lines.append("")
    lines += component_lines(report)
    lines.append("")
    overall = (report.overall_status or "unknown").upper()
    lines.append(f"{OVERALL_MARKS.get(overall, '✗')} Overall Status: {overall}")
    lines.append("")
    code = report.exit_code
    if report.interrupted:
        lines.append("✗ Validation INTERRUPTED: the checks did not finish")
    elif report.crashed:
        lines.append("✗ Validation FAILED: validate_monitoring itself failed (a bug)")
    elif code == 0:
        plural = "" if summary.warnings == 1 else "s"
        caveats = [f"{summary.warnings} warning{plural}"] if summary.warnings else []
        if overall != "HEALTHY":
            caveats.append(f"monitoring {overall.lower()}")
        if caveats:
            lines.append(f"! Validation PASSED with {', '.join(caveats)}: review before deploying")
        else:
            lines.append("✓ Validation PASSED")
    elif code == 2:
        lines.append("✗ Validation FAILED (--strict: warnings found)")
    else:
        lines.append("✗ Validation FAILED")
    return "\n".join(lines) + "\n"
