"""One evaluation of the monitoring checks plus component health.

The status view, `validate_monitoring` and the `monitoring` stage of `preflight run` all call
`evaluate`, so they agree by construction. Network probes (the cache round trip and the
Celery ping) start first, in threads, and the static checks run while they wait.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from upstream_preflight.celery_settings import CeleryConfig
from upstream_preflight.findings import Finding
from upstream_preflight.monitoring.checks import CHECKS, make_context, run_guarded, sentry_dsn
from upstream_preflight.options import Options, is_production
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
    evaluated_at: float = field(default_factory=time.time, compare=False)
    """Unix time of the evaluation (the HTML status page shows it)."""

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

    celery = CeleryConfig(options)
    enabled = celery.enabled
    broker_url = celery.broker_url if enabled else ""
    with_celery = enabled and bool(broker_url)
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
        "celery": _celery(codes_found, enabled, celery_probe.result() if celery_probe else None),
        "redis": _redis(codes_found, cache_probe.result()),
    }
    outcome = MonitoringOutcome(findings, components)
    from upstream_preflight.monitoring import gauges  # prometheus_client only when evaluating

    gauges.record(outcome)
    return outcome


PROMETHEUS_FAILURES = (
    ("monitoring.E001", "django-prometheus is not installed"),
    ("monitoring.E003", "the custom metrics module cannot be imported"),
    ("monitoring.E002", "the custom metrics module registers no metric"),
)


def _prometheus(found: set[str]) -> Component:
    for code, what in PROMETHEUS_FAILURES:
        if code in found:
            return Component("prometheus", False, f"Metrics not available - {what} ({code})", True)
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


def _celery(found: set[str], enabled: bool, probe: CeleryProbeResult | None) -> Component:
    """Says exactly what failed, and what the worker ping found whatever else failed, so that
    it agrees with the `celery` stage of the same run."""
    if not enabled:
        return Component("celery", True, "Celery is disabled", False, enabled=False)
    if "monitoring.E007" in found:
        return Component(
            "celery", False, "No Celery broker URL configured (monitoring.E007)", False
        )
    if probe is None:
        return Component("celery", False, "Celery workers were not pinged (no broker URL)", False)
    # latency_ms: the broker connection only, not the window spent waiting for replies
    details = {"latency_ms": probe.elapsed_ms, "workers": len(probe.workers)}
    if not probe.broker_reachable:
        ping = "Celery broker unreachable"  # the reason is for the celery stage, not callers
    elif not probe.workers:
        ping = "Broker reachable, but no Celery worker answered a ping"
    else:
        ping = "Workers are running"
    if "monitoring.E008" in found:
        return Component(
            "celery",
            False,
            f"Celery monitoring module cannot be imported (monitoring.E008); {ping}",
            False,
            details=details,
        )
    healthy = probe.broker_reachable and bool(probe.workers)
    return Component("celery", healthy, ping, False, details=details)


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
    # Not Redis: healthy while a round trip works (W007 is the warning), said as a fact that
    # does not read as a contradiction of "healthy".
    backend = probe.backend.rsplit(".", 1)[-1] or "none"
    see = " (monitoring.W007)" if "monitoring.W007" in found else ""
    if not probe.ok:
        message = f"Default cache {backend} fails a round trip; it is not Redis{see}"
        return Component("redis", False, message, True, details=details)
    message = f"Default cache {backend} answers a round trip; it is not Redis{see}"
    return Component("redis", True, message, True, details=details)
