"""SARIF 2.1.0 for code scanning: one run, one rule per code that was reported, one result
per finding.

Levels are the real severities (error, warning, note for info). A silenced finding is a
result with an external suppression whose justification is the reason. Locations point at
the settings file (or pyproject.toml, or the env file) where that is known; see
`render.locations`.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, metadata
from typing import Any

from upstream_preflight import __version__, catalogue
from upstream_preflight.findings import Finding, Report, Severity
from upstream_preflight.render.locations import Locations

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
TOOL = "upstream-preflight"


def information_uri() -> dict[str, str]:
    """The project's home page from the package metadata, when it declares one."""
    try:
        meta = metadata(TOOL)
    except PackageNotFoundError:
        return {}
    urls = [u.split(",", 1)[-1].strip() for u in meta.get_all("Project-URL") or []]
    home = meta.get("Home-page") or next(iter(urls), None)
    return {"informationUri": home} if home else {}


def rule(finding: Finding) -> dict[str, Any]:
    level = {"level": LEVELS[finding.severity]}
    try:
        entry = catalogue.get(finding.code)
    except catalogue.UnknownCode:  # Django's own checks (security.W004, ...)
        return {
            "id": finding.code,
            "shortDescription": {"text": finding.message.splitlines()[0]},
            "help": {"text": finding.hint or finding.message},
            "defaultConfiguration": level,
        }
    help_text = (
        f"What it checks: {entry.checks}\nWhy it matters: {entry.impact}\n"
        f"How to fix: {entry.generic_fix}"
    )
    return {
        "id": entry.code,
        "shortDescription": {"text": entry.title},
        "fullDescription": {"text": entry.checks},
        "help": {"text": help_text},
        "defaultConfiguration": level,
        "properties": {"stage": entry.stage},
    }


def result(finding: Finding, stage_id: str, index: int, where: Locations | None) -> dict[str, Any]:
    text = finding.message
    if finding.hint and not finding.silenced:
        text += f"\nFix: {finding.hint}"
    data: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": text},
        "properties": {"stage": stage_id},
    }
    if finding.obj:
        data["properties"]["object"] = finding.obj
    location = where.of(stage_id, finding) if where is not None else None
    if location is not None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": location.uri}}
        if location.line is not None:
            physical["region"] = {"startLine": location.line}
        data["locations"] = [{"physicalLocation": physical}]
    if finding.silenced:
        suppression = {"kind": "external", "status": "accepted"}
        data["suppressions"] = [suppression | {"justification": finding.silenced_reason or ""}]
    return data


def sarif_document(report: Report, where: Locations | None = None) -> dict[str, Any]:
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results = []
    for stage in report.stages:
        for finding in stage.findings:
            if finding.code not in index:
                index[finding.code] = len(rules)
                rules.append(rule(finding))
            results.append(result(finding, stage.id, index[finding.code], where))
    invocation = {
        "executionSuccessful": not (report.crashed or report.interrupted),
        "exitCode": report.exit_code,
    }
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL,
                        "version": __version__,
                        **information_uri(),
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
