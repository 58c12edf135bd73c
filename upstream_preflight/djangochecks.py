"""Run Django's own system checks and turn their messages into findings.

Like `django.core.checks.run_checks`, but a check that raises becomes a finding instead of
ending the run, and tags can be excluded (the `monitoring` tag has a stage of its own).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from upstream_preflight import catalogue
from upstream_preflight.findings import Finding, Severity

logger = logging.getLogger("upstream_preflight")


def run_django_checks(
    *, deploy: bool, exclude_tags: Iterable[str] = (), deploy_only: bool = False
) -> list[Finding]:
    from django.core.checks.registry import registry

    excluded = set(exclude_tags)
    findings: list[Finding] = []
    for check in registry.get_checks(include_deployment_checks=deploy):
        if excluded & set(getattr(check, "tags", ())):
            continue
        if deploy_only and check not in registry.deployment_checks:
            continue
        try:
            messages = check(app_configs=None, databases=None)
        except Exception as exc:
            name = getattr(check, "__qualname__", repr(check))
            logger.debug("django check %s crashed", name, exc_info=True)
            findings.append(
                catalogue.finding("preflight.E003", f"{name} raised {type(exc).__name__}")
            )
            continue
        findings.extend(_to_finding(message) for message in messages)
    return findings


def _to_finding(message: object) -> Finding:
    from django.core.checks import CheckMessage

    assert isinstance(message, CheckMessage)
    obj = None
    if message.obj is not None:
        meta = getattr(message.obj, "_meta", None)
        obj = str(meta.label) if meta is not None else str(message.obj)
    return Finding(
        code=message.id or "django.unknown",
        severity=Severity.from_django_level(message.level),
        message=str(message.msg),
        hint=str(message.hint or ""),
        obj=obj,
        silenced=message.is_silenced(),
    )
