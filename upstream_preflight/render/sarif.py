"""SARIF 2.1.0 for code scanning: one run, one rule per code that was reported, one result
per finding.

Written for GitHub code scanning as the SARIF Multitool's GitHub rules (`--rule-kind
"Sarif;Gh"`) describe it: every result has a location with a `region` (line 1 when the line
is unknown) and `partialFingerprints` that stay the same from run to run (code, stage,
object and file; not the message, which carries durations and addresses); every rule a
short and a full description and a `helpUri`. Levels are the real severities (error,
warning, note for info). A silenced finding is a result with an external suppression whose
justification is the reason. A crash of the tool (`preflight.E003`) is not an alert about
the project: it is a tool execution notification, and the invocation did not succeed.
Locations: see `render.locations`.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from upstream_preflight import __version__, catalogue, links
from upstream_preflight.catalogue import django_codes
from upstream_preflight.findings import Finding, Report, Severity
from upstream_preflight.render.locations import Locations

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
TOOL = "upstream-preflight"
CRASH = "preflight.E003"
FINGERPRINT = "preflightFinding/v1"
UNKNOWN_LINE = 1


def rule(finding: Finding) -> dict[str, Any]:
    level = {"level": LEVELS[finding.severity]}
    try:
        entry = catalogue.get(finding.code)
    except catalogue.UnknownCode:  # Django's own checks (security.W004, ...)
        return django_rule(finding) | {"defaultConfiguration": level}
    help_text = (
        f"What it checks: {entry.checks}\nWhy it matters: {entry.impact}\n"
        f"How to fix: {entry.generic_fix}"
    )
    return {
        "id": entry.code,
        "shortDescription": {"text": entry.title},
        "fullDescription": {"text": entry.checks},
        "help": {"text": help_text},
        "helpUri": links.code_url(entry.code, __version__),
        "defaultConfiguration": level,
        "properties": {"stage": entry.stage},
    }


def django_rule(finding: Finding) -> dict[str, Any]:
    """A Django check id: its text from Django's check reference, else the message itself."""
    documented = django_codes.get(finding.code)
    full = documented.message if documented else finding.message
    help_text = full if not finding.hint else f"{full}\nHow to fix: {finding.hint}"
    return {
        "id": finding.code,
        "shortDescription": {"text": django_codes.first_sentence(full)},
        "fullDescription": {"text": full},
        "help": {"text": help_text},
        "helpUri": documented.url if documented else links.DJANGO_CHECKS,
        "properties": {"stage": "django"},
    }


def fingerprint(finding: Finding, stage_id: str, uri: str) -> str:
    key = "\x1f".join((finding.code, stage_id, finding.obj or "", uri))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def result(finding: Finding, stage_id: str, index: int, where: Locations | None) -> dict[str, Any]:
    text = finding.message
    if finding.hint and not finding.silenced:
        text += f"\nFix: {finding.hint}"
    data: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
    }
    location = where.of(stage_id, finding) if where is not None else None
    uri = location.uri if location is not None else ""
    if location is not None:
        region = {"startLine": location.line or UNKNOWN_LINE}
        physical = {"artifactLocation": {"uri": uri}, "region": region}
        data["locations"] = [{"physicalLocation": physical}]
    data["partialFingerprints"] = {FINGERPRINT: fingerprint(finding, stage_id, uri)}
    data["properties"] = {"stage": stage_id}
    if finding.obj:
        data["properties"]["object"] = finding.obj
    if finding.silenced:
        suppression = {"kind": "external", "status": "accepted"}
        data["suppressions"] = [suppression | {"justification": finding.silenced_reason or ""}]
    return data


def notification(finding: Finding, stage_id: str) -> dict[str, Any]:
    """A crash of the tool: reported against the tool, not as an alert on the project."""
    return {
        "level": "error",
        "message": {"text": finding.message},
        "descriptor": {"id": finding.code},
        "properties": {"stage": stage_id},
    }


def sarif_document(report: Report, where: Locations | None = None) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results = []
    notifications = []
    for stage in report.stages:
        for finding in stage.findings:
            if finding.code == CRASH:
                notifications.append(notification(finding, stage.id))
                continue
            if finding.code not in index:
                index[finding.code] = len(rules)
                rules.append(rule(finding))
            results.append(result(finding, stage.id, index[finding.code], where))
    invocation: dict[str, Any] = {
        "executionSuccessful": not (report.crashed or report.interrupted or notifications),
        "exitCode": report.exit_code,
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL,
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": links.REPOSITORY,
                        "rules": rules,
                    }
                },
                "invocations": [invocation],
                "results": results,
                "properties": {
                    "settingsModule": report.settings_module,
                    "settingsSource": report.settings_source,
                    "strict": report.strict,
                    "deploy": report.deploy,
                    "overallStatus": report.overall_status,
                },
            }
        ],
    }


def render_sarif(report: Report, where: Locations | None = None) -> str:
    return json.dumps(sarif_document(report, where), indent=2, ensure_ascii=False)
