"""Component health as Prometheus gauges in the target's default registry.

`record(outcome)` is called by `status.evaluate` each time health is computed; a scrape only
reads the last values, so `/metrics` never runs a probe. The gauges are registered lazily, once
per process, in `prometheus_client.REGISTRY`, which django_prometheus's `/metrics` exposes.

    upstream_preflight_component_healthy{component="redis"}      1 or 0
    upstream_preflight_component_enabled{component="sentry"}     0: does not count
    upstream_preflight_overall_status{status="degraded"}         1 for the current status
    upstream_preflight_status_computed_timestamp_seconds         when they were last set
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from upstream_preflight.monitoring.status import MonitoringOutcome

logger = logging.getLogger("upstream_preflight")

COMPONENT_HEALTHY = "upstream_preflight_component_healthy"
COMPONENT_ENABLED = "upstream_preflight_component_enabled"
OVERALL_STATUS = "upstream_preflight_overall_status"
COMPUTED_AT = "upstream_preflight_status_computed_timestamp_seconds"
STATUSES = ("healthy", "degraded", "unhealthy")
NAMES = (COMPONENT_HEALTHY, COMPONENT_ENABLED, OVERALL_STATUS, COMPUTED_AT)


@dataclass(frozen=True)
class _Gauges:
    healthy: Any
    enabled: Any
    overall: Any
    computed_at: Any


_lock = threading.Lock()
_gauges: _Gauges | None = None


def _gauge(name: str, documentation: str, labels: tuple[str, ...]) -> Any:
    """A gauge in the default registry; the one already there if this process made it before
    (a module reloaded by a test runner or an autoreloader registers the name twice)."""
    from prometheus_client import REGISTRY, Gauge

    # Under multiprocess mode (PROMETHEUS_MULTIPROC_DIR) each worker computes its own status:
    # expose the most recent value of the live workers rather than one series per pid.
    modes = getattr(Gauge, "_MULTIPROC_MODES", ())
    mode = "livemostrecent" if "livemostrecent" in modes else "liveall"
    try:
        return Gauge(name, documentation, labels, registry=REGISTRY, multiprocess_mode=mode)
    except ValueError:  # "Duplicated timeseries in CollectorRegistry"
        existing = getattr(REGISTRY, "_names_to_collectors", {}).get(name)
        if isinstance(existing, Gauge) and tuple(existing._labelnames) == labels:
            return existing
        raise


def _registered() -> _Gauges:
    global _gauges
    with _lock:
        if _gauges is None:
            _gauges = _Gauges(
                _gauge(
                    COMPONENT_HEALTHY, "1 if the monitoring component is healthy.", ("component",)
                ),
                _gauge(
                    COMPONENT_ENABLED,
                    "1 if the component counts towards the overall status.",
                    ("component",),
                ),
                _gauge(OVERALL_STATUS, "1 for the current overall monitoring status.", ("status",)),
                _gauge(COMPUTED_AT, "Unix time the monitoring status was last computed.", ()),
            )
        return _gauges


def register() -> None:
    """Register the gauges now, without values (idempotent): what a registry renders then no
    longer depends on whether a status evaluation has already run in this process."""
    _registered()


def record(outcome: MonitoringOutcome) -> None:
    """Set the gauges from one evaluation. Never raises: metrics must not break the status."""
    try:
        gauges = _registered()
        for name, component in outcome.components.items():
            gauges.healthy.labels(component=name).set(1 if component.healthy else 0)
            gauges.enabled.labels(component=name).set(1 if component.enabled else 0)
        current = outcome.overall_status
        for status in STATUSES:
            gauges.overall.labels(status=status).set(1 if status == current else 0)
        gauges.computed_at.set_to_current_time()
    except Exception:
        logger.debug("monitoring gauges could not be updated", exc_info=True)
