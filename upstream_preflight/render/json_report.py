"""The `--json` document (schema: upstream_preflight/schema/report.schema.json)."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from upstream_preflight import __version__
from upstream_preflight.findings import Report

SCHEMA_VERSION = 1


def report_document(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "upstream-preflight", "version": __version__},
        "settings_module": report.settings_module,
        "settings_source": report.settings_source,
        "strict": report.strict,
        "deploy": report.deploy,
        "exit_code": report.exit_code,
        "summary": report.summary.to_dict(),
        "stages": [stage.to_dict() for stage in report.stages],
        "overall_status": report.overall_status,
        "components": report.components,
        "crashed": report.crashed,
        "interrupted": report.interrupted,
    }


def render_json(report: Report) -> str:
    return json.dumps(report_document(report), indent=2, ensure_ascii=False)


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document, as shipped inside the package."""
    text = (
        resources.files("upstream_preflight")
        .joinpath("schema/report.schema.json")
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema
