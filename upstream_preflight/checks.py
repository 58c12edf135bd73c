"""Django system-check shells over the monitoring checks (tag `monitoring`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core import checks

from upstream_preflight.findings import Finding, Severity
from upstream_preflight.monitoring.checks import CHECKS, MonitoringCheck, make_context, run_guarded
from upstream_preflight.options import options_or_defaults

TAG = "monitoring"
_LEVELS = {
    Severity.ERROR: checks.ERROR,
    Severity.WARNING: checks.WARNING,
    Severity.INFO: checks.INFO,
}


def to_check_message(finding: Finding) -> checks.CheckMessage:
    return checks.CheckMessage(
        _LEVELS[finding.severity],
        finding.message,
        hint=finding.hint or None,
        obj=finding.obj,
        id=finding.code,
    )


def _django_check(check: MonitoringCheck) -> Callable[..., list[checks.CheckMessage]]:
    def run(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        options, _problem = options_or_defaults()
        return [to_check_message(f) for f in run_guarded(check, make_context(options))]

    run.__name__ = check.function.__name__
    run.__qualname__ = check.function.__name__
    return run


_registered = False


def register_monitoring_checks() -> None:
    global _registered
    if _registered:
        return
    for check in CHECKS:
        checks.register(_django_check(check), TAG, deploy=check.network)
    _registered = True
