"""Silencing: `--ignore`, `ignore` in [tool.preflight] and SILENCED_SYSTEM_CHECKS mark
findings silenced in every stage, keep them listed with the reason, and keep them out of the
stage status and the exit status."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from django.test import override_settings

from tests.cli_support import assert_clean, clean_env, copy_example, json_document, preflight
from tests.servers import free_port
from upstream_preflight import catalogue
from upstream_preflight.findings import Report, StageResult, StageStatus
from upstream_preflight.render.observer import NullObserver
from upstream_preflight.silencing import (
    FLAG_REASON,
    IgnoreError,
    Rule,
    Silencer,
    SilencingObserver,
    flag_rules,
    normalize_code,
)
from upstream_preflight.stages.base import Stage


def celery_result() -> StageResult:
    findings = [catalogue.finding("preflight.E501", "refused"), catalogue.finding("preflight.W501")]
    return StageResult("celery", "Celery", StageStatus.FAILED, 3, findings)


def test_a_rule_silences_any_stage_and_recomputes_its_status() -> None:
    result = celery_result()
    Silencer([Rule("preflight.E501", "broker is down on purpose", "--ignore")]).stage(result)
    e501, w501 = result.findings
    assert e501.silenced and e501.silenced_reason == "broker is down on purpose"
    assert not w501.silenced
    assert result.status is StageStatus.WARNING
    report = Report(stages=[result])
    assert report.summary.silenced == 1 and report.summary.errors == 0 and report.exit_code == 0
    assert e501.to_dict()["silenced_reason"] == "broker is down on purpose"


def test_silencing_twice_changes_nothing_and_skipped_stays_skipped() -> None:
    silencer = Silencer([Rule("preflight.E501", "first", "pyproject.toml")])
    result = celery_result()
    silencer.stage(result)
    once = list(result.findings)
    Silencer([Rule("preflight.E501", "second", "--ignore")]).stage(result)
    assert result.findings == once
    skipped = StageResult("celery", "Celery", StageStatus.SKIPPED, skip_reason="off")
    silencer.stage(skipped)
    assert skipped.status is StageStatus.SKIPPED


def test_silenced_system_checks_silence_every_stage_with_their_reason() -> None:
    result = celery_result()
    already = catalogue.finding("monitoring.W003").as_silenced()  # as Django's checks mark it
    monitoring = StageResult("monitoring", "Monitoring", StageStatus.PASSED, 1, [already])
    with override_settings(SILENCED_SYSTEM_CHECKS=["preflight.W501", "monitoring.W003"]):
        Silencer().report(Report(stages=[result, monitoring]))
    assert result.findings[1].silenced_reason == "listed in SILENCED_SYSTEM_CHECKS"
    assert monitoring.findings[0].silenced_reason == "listed in SILENCED_SYSTEM_CHECKS"
    assert result.status is StageStatus.FAILED  # E501 is not listed


def test_the_observer_sees_silenced_results() -> None:
    seen: list[StageResult] = []

    class Recorder(NullObserver):
        def stage_finished(self, result: StageResult) -> None:
            seen.append(result)

    observer = SilencingObserver(Recorder(), Silencer(flag_rules(["preflight.e501"])))
    observer.run_started(None, [Stage("celery", "Celery", True, lambda ctx: None)])  # type: ignore[arg-type,return-value]
    observer.stage_finished(celery_result())
    assert seen[0].findings[0].silenced and seen[0].findings[0].silenced_reason == FLAG_REASON


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["W003"], [("monitoring.W003", FLAG_REASON)]),
        (
            ["e010,preflight.e501"],
            [("monitoring.E010", FLAG_REASON), ("preflight.E501", FLAG_REASON)],
        ),
        (
            ["security.W004=TLS ends at the load balancer, by design"],
            [("security.W004", "TLS ends at the load balancer, by design")],
        ),
        (["admin.E108"], [("admin.E108", FLAG_REASON)]),
    ],
)
def test_flag_rules(values: Sequence[str], expected: list[tuple[str, str]]) -> None:
    assert [(r.code, r.reason) for r in flag_rules(values)] == expected


@pytest.mark.parametrize("text", ["monitoring.E999", "preflight.E5O1", "W", "not a code", ""])
def test_unknown_or_malformed_codes_are_refused(text: str) -> None:
    with pytest.raises(IgnoreError):
        normalize_code(text)


def test_ignore_in_a_real_run_silences_other_stages_and_changes_the_exit_status(
    tmp_path: Path,
) -> None:
    """Production settings, Redis refused: E010 and E501 are the only errors. Silenced, the
    run passes, and both are still listed with their reasons."""
    project = copy_example(tmp_path, prepared=False)
    env = clean_env(REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    args = ["run", "--settings", "upstream.settings.prod", "--timeout", "1", "--json"]
    args += ["--skip", "database,static"]  # not migrated: not what this test is about
    failing = preflight(*args, cwd=project, env=env)
    assert failing.returncode == 1, failing.stderr
    ignore = ["--ignore", "monitoring.E010", "--ignore", "preflight.E501=broker down on purpose"]
    result = preflight(*args, *ignore, cwd=project, env=env)
    assert_clean(result)
    document = json_document(result)
    assert result.returncode == 0, result.stderr
    silenced = {
        f["code"]: f["silenced_reason"]
        for stage in document["stages"]
        for f in stage["findings"]
        if f.get("silenced")
    }
    assert silenced == {"monitoring.E010": FLAG_REASON, "preflight.E501": "broker down on purpose"}
    assert document["summary"]["silenced"] == 2 and document["summary"]["errors"] == 0
    celery = next(s for s in document["stages"] if s["id"] == "celery")
    assert celery["status"] != "failed"
    assert "(silenced: broker down on purpose)" in result.stderr  # the live text says why
