"""JUnit XML for GitLab and Jenkins test reports: one test case per stage.

A stage fails the way the run's exit status does: by an error, or by a warning under
`--strict`. Its failing findings go into one `<failure>` (one element, since GitLab reads a
single one per case) whose `type` and `message` name the most severe of them, a crash of the
tool (`preflight.E003`) into `<error>`, a skipped stage into `<skipped>`; every other finding
(warnings, info, silenced) is listed in `<system-out>`. A case's `file` is the file its
findings point at (see `render.locations`), as GitLab shows it; the suite carries the run's
`timestamp` and the `hostname`. The attribute counts are those of the elements, as consumers
recompute them.
"""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET

from upstream_preflight.findings import Finding, Report, Severity, StageResult, StageStatus
from upstream_preflight.render.locations import Locations

SUITE = "preflight"
CRASH = "preflight.E003"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped: replace them."""
    return _NOT_XML.sub("\ufffd", text)


def fails(finding: Finding, strict: bool) -> bool:
    if finding.silenced:
        return False
    return finding.severity >= Severity.ERROR or (strict and finding.severity == Severity.WARNING)


def finding_text(finding: Finding) -> str:
    lines = [f"{finding.code} [{finding.severity.label}]: {finding.message}"]
    if finding.obj:
        lines.append(f"  Object: {finding.obj}")
    if finding.silenced:
        lines.append(f"  Silenced: {finding.silenced_reason or 'yes'}")
    elif finding.hint:
        lines.append(f"  Fix: {finding.hint}")
    return "\n".join(lines)


def headline(failing: list[Finding]) -> Finding:
    """A crash of the tool first, else the most severe finding (the first of equals)."""
    crash = next((f for f in failing if f.code == CRASH), None)
    return crash or max(failing, key=lambda f: f.severity)


def testcase(stage: StageResult, strict: bool, where: Locations | None = None) -> ET.Element:
    case = ET.Element(
        "testcase",
        name=xml_safe(stage.title),
        classname=f"{SUITE}.{stage.id}",
        time=f"{stage.duration_ms / 1000:.3f}",
    )
    failing = [f for f in stage.findings if fails(f, strict)]
    others = [f for f in stage.findings if not fails(f, strict)]
    first = headline(failing) if failing else None
    about = first or next(iter(stage.findings), None)
    location = where.of_stage(stage.id, about) if where is not None else None
    if location is not None:
        case.set("file", xml_safe(location.path))
    if first is not None:
        more = f" (and {len(failing) - 1} more)" if len(failing) > 1 else ""
        element = ET.SubElement(
            case,
            "error" if first.code == CRASH else "failure",
            type=first.code,
            message=xml_safe(f"{first.code}: {first.message}{more}"),
        )
        element.text = xml_safe("\n".join(finding_text(f) for f in failing))
    elif stage.status is StageStatus.SKIPPED:
        ET.SubElement(case, "skipped", message=xml_safe(stage.skip_reason or "skipped"))
    lines = [*stage.notes, *(finding_text(f) for f in others)]
    if lines:
        ET.SubElement(case, "system-out").text = xml_safe("\n".join(lines))
    return case


def render_junit(report: Report, where: Locations | None = None) -> str:
    cases = [testcase(stage, report.strict, where) for stage in report.stages]
    counts = {
        kind: sum(case.find(kind) is not None for case in cases)
        for kind in ("failure", "error", "skipped")
    }
    total_time = f"{sum(s.duration_ms for s in report.stages) / 1000:.3f}"
    root = ET.Element(
        "testsuites",
        name=SUITE,
        tests=str(len(cases)),
        failures=str(counts["failure"]),
        errors=str(counts["error"]),
        time=total_time,
    )
    suite = ET.SubElement(
        root,
        "testsuite",
        name=SUITE,
        tests=str(len(cases)),
        failures=str(counts["failure"]),
        errors=str(counts["error"]),
        skipped=str(counts["skipped"]),
        time=total_time,
        timestamp=report.started_at.isoformat(timespec="seconds"),
        hostname=xml_safe(socket.gethostname()),
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("settings_module", report.settings_module or ""),
        ("settings_source", report.settings_source or ""),
        ("strict", str(report.strict).lower()),
        ("deploy", str(report.deploy).lower()),
        ("exit_code", str(report.exit_code)),
        ("silenced", str(report.summary.silenced)),
    ):
        ET.SubElement(properties, "property", name=name, value=xml_safe(value))
    suite.extend(cases)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
