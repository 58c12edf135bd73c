"""The shipped JSON Schema describes every `--json` document (the CLI tests validate each
document they produce; these cover the shapes a healthy run seldom makes)."""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from typing import Any

import jsonschema
import pytest

from tests.cli_support import REPO, VALIDATOR
from upstream_preflight import catalogue
from upstream_preflight.findings import Report, StageResult, StageStatus
from upstream_preflight.render.json_report import load_schema, render_json, report_document
from upstream_preflight.stages import STAGE_IDS


def full_report() -> Report:
    silenced = catalogue.finding("monitoring.W007", "LocMemCache").as_silenced()
    setup_failed = catalogue.finding("preflight.E002", "x")
    return Report(
        stages=[
            StageResult("run", "Project Setup", StageStatus.FAILED, 3, [setup_failed]),
            StageResult("python", "Python", StageStatus.PASSED, 2, notes=["Python 3.11.7"]),
            StageResult("monitoring", "Monitoring", StageStatus.WARNING, 41, [silenced]),
            StageResult("celery", "Celery", StageStatus.SKIPPED, skip_reason="off"),
        ],
        strict=True,
        deploy=True,
        settings_module="upstream.settings.prod",
        components={
            "redis": {"healthy": False, "message": "Cannot connect to Redis cache"},
            "celery": {"healthy": True, "message": "Celery is disabled", "enabled": False},
        },
        overall_status="unhealthy",
    )


def test_the_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_schema_ships_as_package_data() -> None:
    shipped = resources.files("upstream_preflight").joinpath("schema/report.schema.json")
    assert shipped.is_file()
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "schema/*.json" in pyproject["tool"]["setuptools"]["package-data"]["upstream_preflight"]


@pytest.mark.parametrize(
    "report",
    [
        Report(),
        full_report(),
        Report(stages=full_report().stages[1:2], interrupted=True),
        Report(stages=full_report().stages[:1], crashed=True),
    ],
    ids=["empty", "full", "interrupted", "crashed"],
)
def test_documents_validate(report: Report) -> None:
    document = json.loads(render_json(report))
    VALIDATOR.validate(document)
    assert document["exit_code"] == report.exit_code


def test_every_key_of_the_document_is_described() -> None:
    schema = load_schema()
    document = report_document(full_report())
    assert set(document) <= set(schema["properties"])
    stage_keys = {key for stage in document["stages"] for key in stage}
    assert stage_keys <= set(schema["$defs"]["stage"]["properties"])
    finding_keys = {key for stage in document["stages"] for f in stage["findings"] for key in f}
    assert finding_keys <= set(schema["$defs"]["finding"]["properties"])


def test_stage_ids_match_the_runner() -> None:
    assert load_schema()["$defs"]["stage"]["properties"]["id"]["enum"] == ["run", *STAGE_IDS]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("stages", 0, "findings", 0, "severity"), "fatal"),
        (("stages", 0, "status"), "ok"),
        (("stages", 0, "id"), "lint"),
        (("overall_status",), "fine"),
        (("exit_code",), 3),
        (("summary", "errors"), -1),
        (("components", "redis", "healthy"), "no"),
    ],
)
def test_the_schema_rejects_what_the_contract_forbids(path: tuple[Any, ...], value: Any) -> None:
    document = report_document(full_report())
    holder: Any = document
    for key in path[:-1]:
        holder = holder[key]
    holder[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(document)


def test_a_missing_required_key_is_rejected() -> None:
    document = report_document(full_report())
    del document["summary"]
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(document)
