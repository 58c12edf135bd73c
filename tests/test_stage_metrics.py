"""`metrics` stage: custom metrics, a registry that renders, and the metrics URL."""

from __future__ import annotations

from collections.abc import Iterator

from django.test import override_settings
from prometheus_client import REGISTRY

from tests.stage_helpers import ALL_STAGES, codes_of, make_ctx, only
from upstream_preflight.stages import metrics as stage

WITHOUT_MONITORING = ALL_STAGES - {"monitoring"}


class BrokenCollector:
    def collect(self) -> Iterator[object]:
        raise RuntimeError("collector failed")

    def describe(self) -> list[object]:
        return []


def test_healthy_registry_lists_custom_metrics() -> None:
    output = stage.run(make_ctx())
    assert codes_of(output) == []
    assert "Custom metrics (1): preflight_tests_requests" in output.notes
    assert "Metrics endpoint: /metrics" in output.notes


def test_missing_metrics_module_is_reported_once() -> None:
    for module in ("tests.no_such_metrics", "tests.projects.metrics_raises"):
        with_monitoring = stage.run(make_ctx(metrics_module=module))
        assert codes_of(with_monitoring) == []
        # E003 of the monitoring stage says it; no note restates it beside that finding
        assert not any(module in note for note in with_monitoring.notes), with_monitoring.notes

    alone = stage.run(make_ctx(metrics_module="tests.no_such_metrics", selected=WITHOUT_MONITORING))
    [error] = only(alone, "monitoring.E003")
    assert error.obj == "tests.no_such_metrics"
    assert codes_of(stage.run(make_ctx(selected=WITHOUT_MONITORING))) == []


def test_collector_that_raises_breaks_rendering() -> None:
    collector = BrokenCollector()
    REGISTRY.register(collector)  # type: ignore[arg-type]
    try:
        [error] = only(stage.run(make_ctx()), "preflight.E601")
        assert "RuntimeError" in error.message
    finally:
        REGISTRY.unregister(collector)  # type: ignore[arg-type]
    assert "preflight.E601" not in codes_of(stage.run(make_ctx()))


def test_metrics_url_must_resolve() -> None:
    with override_settings(ROOT_URLCONF="tests.apps.urls_without_metrics"):
        output = stage.run(make_ctx())
    assert codes_of(output) == ["preflight.W601"]


def test_urlconf_that_does_not_import() -> None:
    with override_settings(ROOT_URLCONF="tests.apps.no_such_urls"):
        [warning] = only(stage.run(make_ctx()), "preflight.W601")
    assert "ModuleNotFoundError" in warning.message
