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


def _django_check(
    check: MonitoringCheck, runs_in: Callable[[], bool]
) -> Callable[..., list[checks.CheckMessage]]:
    def run(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
        if not runs_in():
            return []
        options, _problem = options_or_defaults()
        return [to_check_message(f) for f in run_guarded(check, make_context(options))]

    run.__name__ = check.function.__name__
    run.__qualname__ = check.function.__name__
    return run


def _in_production() -> bool:
    from django.conf import settings

    return settings.DEBUG is False


def _in_development() -> bool:
    return not _in_production()


def _always() -> bool:
    return True


_registered = False


def register_monitoring_checks() -> None:
    """Register each check so that it never stands in a developer's way.

    In production a check that needs no network runs on every management command (a
    misconfigured container refuses to start); in development (DEBUG true) it runs only where
    deployment checks do (`check --deploy`), so `runserver`, `migrate` and `test` are never
    stopped by it. Each check is registered twice, once per case, and each copy runs in its
    case only, so no message is reported twice. Checks that touch the network are always
    deployment checks: a Redis outage never stops `migrate`.
    """
    global _registered
    if _registered:
        return
    for check in CHECKS:
        if check.network:
            checks.register(_django_check(check, _always), TAG, deploy=True)
            continue
        checks.register(_django_check(check, _in_production), TAG)
        checks.register(_django_check(check, _in_development), TAG, deploy=True)
    _registered = True
