"""One evaluation of the monitoring checks plus component health.

The status view, `validate_monitoring` and the `monitoring` stage of `preflight run` all call
`evaluate`, so they agree by construction. Network probes (the cache round trip and the
Celery ping) start first, in threads, and the static checks run while they wait.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from upstream_preflight.findings import Finding
from upstream_preflight.monitoring.checks import (
    CHECKS,
    celery_enabled,
    make_context,
    run_guarded,
    sentry_dsn,
)
from upstream_preflight.options import Options, is_production, text_setting
from upstream_preflight.probes import import_quietly
from upstream_preflight.probes.cache import CacheProbeResult
from upstream_preflight.probes.celery import CeleryProbeResult, client_modules, probe_celery
from upstream_preflight.waiting import join_within

T = TypeVar("T")

HEALTHY, DEGRADED, UNHEALTHY = "healthy", "degraded", "unhealthy"
CRITICAL_COMPONENTS = ("prometheus", "logging", "redis")
COMPONENT_ORDER = ("prometheus", "sentry", "logging", "celery", "redis")


@dataclass(frozen=True)
class Component:
    name: str
    healthy: bool
    message: str
    critical: bool
    enabled: bool = True
    details: dict[str, Any] = field(default_factory=dict)
    """Latencies and the like: for operators and token holders, never anonymous callers."""

    def to_dict(self, with_details: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"healthy": self.healthy, "message": self.message}
        if not self.enabled:
            data["enabled"] = False
        if with_details and self.details:
            data["details"] = dict(self.details)
        return data


@dataclass(frozen=True)
class MonitoringOutcome:
    findings: list[Finding]
    """Every finding, silenced ones flagged as such."""
    components: dict[str, Component]

    @property
    def overall_status(self) -> str:
        counted = [c for c in self.components.values() if c.enabled and not c.healthy]
        if any(c.critical for c in counted):
            return UNHEALTHY
        return DEGRADED if counted else HEALTHY

    def components_document(self) -> dict[str, dict[str, Any]]:
        """Each component as the reports show it (no details)."""
        return {name: c.to_dict() for name, c in self.components.items()}

    def status_document(self, with_details: bool = False) -> dict[str, Any]:
        """The seed's document: overall status, one boolean per component, components."""
        document: dict[str, Any] = {"overall_status": self.overall_status}
        for name in COMPONENT_ORDER:
            document[name] = self.components[name].healthy
        document["components"] = {
            name: self.components[name].to_dict(with_details) for name in COMPONENT_ORDER
        }
        return document


class _Background:
    """A probe started now and collected later; the probe bounds its own time. A probe that
    raises yields `fallback(exc)` instead, so one broken probe never ends the evaluation."""

    def __init__(
        self, fn: Callable[[], Any], name: str, fallback: Callable[[BaseException], Any]
    ) -> None:
        self._result: list[Any] = []

        def target() -> None:
            try:
                self._result.append(fn())
            except Exception as exc:
                logging.getLogger("upstream_preflight").debug(
                    "probe %s crashed", name, exc_info=True
                )
                self._result.append(fallback(exc))

        self._thread = threading.Thread(target=target, name=name, daemon=True)
        self._thread.start()

    def result(self) -> Any:
        join_within(self._thread)
        return self._result[0]


def _crashed(exc: BaseException) -> str:
    return f"the probe itself crashed ({type(exc).__name__})"


def evaluate(options: Options) -> MonitoringOutcome:
    from django.conf import settings

    from upstream_preflight.probes.cache import cache_client_modules, probe_default_cache

    broker_url = text_setting("CELERY_BROKER_URL") or ""
    with_celery = celery_enabled() and bool(broker_url)
    # One thread imports what both probe threads need: two importing it at once are slow.
    import_quietly(*cache_client_modules(), *(client_modules(broker_url) if with_celery else []))
    cache_probe = _Background(
        lambda: probe_default_cache(options.timeout),
        "preflight-cache",
        lambda exc: CacheProbeResult("", False, "", False, detail=_crashed(exc)),
    )
    celery_probe = None
    if with_celery:
        celery_probe = _Background(
            lambda: probe_celery(broker_url, options.timeout, first_reply_is_enough=True),
            "preflight-celery",
            lambda exc: CeleryProbeResult(False, detail=_crashed(exc)),
        )
    ctx = make_context(options)
    ctx.cache_probe = cache_probe.result
    raw: list[Finding] = []
    for check in CHECKS:
        raw.extend(run_guarded(check, ctx))
    silenced = set(getattr(settings, "SILENCED_SYSTEM_CHECKS", []) or [])
    findings = [f.as_silenced() if f.code in silenced else f for f in raw]
    codes_found = {f.code for f in raw}
    components = {
        "prometheus": _prometheus(codes_found),
        "sentry": _sentry(codes_found),
        "logging": _logging(codes_found),
        "celery": _celery(codes_found, celery_probe.result() if celery_probe else None),
        "redis": _redis(codes_found, cache_probe.result()),
    }
    outcome = MonitoringOutcome(findings, components)
    from upstream_preflight.monitoring import gauges  # prometheus_client only when evaluating

    gauges.record(outcome)
    return outcome


def _prometheus(found: set[str]) -> Component:
    if found & {"monitoring.E001", "monitoring.E002", "monitoring.E003"}:
        return Component(
            "prometheus",
            False,
            "Metrics not available - check django-prometheus configuration",
            True,
        )
    return Component("prometheus", True, "Metrics are being collected", True)


def _sentry(found: set[str]) -> Component:
    enabled = is_production()
    if not sentry_dsn():
        message, healthy = "Error tracking not configured (no SENTRY_DSN)", False
    elif "monitoring.E004" in found:
        message, healthy = "Sentry SDK not installed", False
    elif "monitoring.W004" in found:
        message, healthy = "Sentry SDK has no active client", False
    elif "monitoring.E015" in found:
        message, healthy = "Sentry would receive log records with PHI unscrubbed", False
    else:
        message, healthy = "Error tracking is active", True
    if not enabled:
        message += " (counts in production only)"
    return Component("sentry", healthy, message, False, enabled)


def _logging(found: set[str]) -> Component:
    if "monitoring.E005" in found:
        return Component("logging", False, "Logging is not configured", True)
    if "monitoring.E006" in found:
        return Component("logging", False, "Logging has no PHI scrubbing on every handler", True)
    if "monitoring.E016" in found:
        return Component("logging", False, "A log file cannot be written", True)
    return Component("logging", True, "Logging is configured with PHI scrubbing", True)


def _celery(found: set[str], probe: CeleryProbeResult | None) -> Component:
    if not celery_enabled():
        return Component("celery", True, "Celery is disabled", False, enabled=False)
    if "monitoring.E007" in found:
        return Component("celery", False, "Celery broker not configured", False)
    if "monitoring.E008" in found:
        return Component("celery", False, "Celery monitoring not available", False)
    assert probe is not None
    details = {"latency_ms": probe.elapsed_ms, "workers": len(probe.workers)}
    if not probe.broker_reachable:
        return Component("celery", False, "Celery broker unreachable", False, details=details)
    if not probe.workers:
        return Component("celery", False, "No Celery workers answering", False, details=details)
    return Component("celery", True, "Workers are running", False, details=details)


def _redis(found: set[str], probe: CacheProbeResult) -> Component:
    details = {"latency_ms": probe.elapsed_ms, "backend": probe.backend}
    if "monitoring.E010" in found:
        return Component("redis", False, "Cannot connect to Redis cache", True, details=details)
    if "monitoring.E009" in found:
        return Component("redis", False, "Redis cache not working properly", True, details=details)
    if probe.is_redis:
        if not probe.ok:  # E009/E010 crashed or were skipped: trust the probe
            return Component(
                "redis", False, "Redis cache not working properly", True, details=details
            )
        return Component("redis", True, "Cache and session storage working", True, details=details)
    backend = probe.backend.rsplit(".", 1)[-1] or "none"
    if not probe.ok:
        return Component(
            "redis",
            False,
            f"Default cache is not Redis ({backend}); round trip failed",
            True,
            details=details,
        )
    return Component(
        "redis",
        True,
        f"Default cache is not Redis ({backend}); round trip works",
        True,
        details=details,
    )
