"""`validate_monitoring` as data: the monitoring checks, component health and, with deploy,
Django's deployment checks, gathered into one Report. The report leaves through the door
(redaction/door.py): masked, with control sequences made inert."""

from __future__ import annotations

import time

from upstream_preflight import catalogue
from upstream_preflight.djangochecks import run_django_checks
from upstream_preflight.findings import Report, StageResult, StageStatus
from upstream_preflight.monitoring.status import MonitoringOutcome, evaluate
from upstream_preflight.options import options_or_defaults
from upstream_preflight.redaction.door import Door

MONITORING_TITLE = "Monitoring Configuration"
DEPLOY_TITLE = "Django Deployment Checks"


def monitoring_stage(outcome: MonitoringOutcome, duration_ms: int) -> StageResult:
    return StageResult(
        "monitoring",
        MONITORING_TITLE,
        StageResult.status_for(outcome.findings),
        duration_ms,
        list(outcome.findings),
    )


def apply_outcome(report: Report, outcome: MonitoringOutcome) -> None:
    report.components = outcome.components_document()
    report.overall_status = outcome.overall_status


def validate(*, strict: bool, deploy: bool, timeout: float | None = None) -> Report:
    from django.conf import settings

    report = Report(strict=strict, deploy=deploy, settings_module=settings.SETTINGS_MODULE)
    options, _problem = options_or_defaults(timeout)
    started = time.monotonic()
    outcome = evaluate(options)
    report.stages.append(monitoring_stage(outcome, int((time.monotonic() - started) * 1000)))
    apply_outcome(report, outcome)
    if deploy:
        started = time.monotonic()
        findings = run_django_checks(deploy=True, exclude_tags={"monitoring"}, deploy_only=True)
        report.stages.append(
            StageResult(
                "django",
                DEPLOY_TITLE,
                StageResult.status_for(findings),
                int((time.monotonic() - started) * 1000),
                findings,
            )
        )
    return Door.collect().report(report)


def failed_report(
    *, strict: bool, deploy: bool, error: BaseException | None = None, interrupted: bool = False
) -> Report:
    """The report of a validation that did not finish: it crashed (a bug) or was interrupted."""
    from django.conf import settings

    findings = []
    if error is not None:
        detail = f"validate_monitoring raised {type(error).__name__}"
        findings.append(catalogue.finding("preflight.E003", detail))
    stage = StageResult(
        "monitoring",
        MONITORING_TITLE,
        StageStatus.FAILED if findings else StageStatus.SKIPPED,
        findings=findings,
        skip_reason="interrupted" if interrupted else None,
    )
    report = Report(
        stages=[stage],
        strict=strict,
        deploy=deploy,
        settings_module=settings.SETTINGS_MODULE,
        crashed=error is not None,
        interrupted=interrupted,
    )
    return Door.collect().report(report)
