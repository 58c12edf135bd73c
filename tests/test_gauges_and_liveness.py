"""Component health as Prometheus gauges, and the liveness URL beside the status view.

The gauges are set when the status is computed and only read by a scrape: the example project
under `runserver` shows them on its real `/metrics`, and fifty scrapes leave both the Redis
server's SET count and the gauges' own computed-at timestamp untouched. The liveness URL touches
no backend: with the default cache on a server that never answers, it answers while no
connection ever reaches that server (the status view, as a control, does connect).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from django.test import Client, override_settings
from django.urls import reverse
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from tests.projects.processes import LOOPBACK_DSN, PROXY_HEADERS, example_env, runserver
from tests.servers import Blackhole, RedisServer
from upstream_preflight import views
from upstream_preflight.monitoring import gauges
from upstream_preflight.monitoring.status import Component, MonitoringOutcome, evaluate
from upstream_preflight.options import options_or_defaults

COMPONENTS = ("prometheus", "sentry", "logging", "celery", "redis")
SCRAPES = 50


def outcome(unhealthy: set[str] = frozenset(), disabled: set[str] = frozenset()) -> Any:
    components = {
        name: Component(
            name,
            name not in unhealthy,
            "message",
            critical=name in {"prometheus", "logging", "redis"},
            enabled=name not in disabled,
        )
        for name in COMPONENTS
    }
    return MonitoringOutcome([], components)


def sample(name: str, **labels: str) -> float | None:
    return REGISTRY.get_sample_value(name, labels)


def test_record_sets_one_gauge_per_component_and_one_status() -> None:
    gauges.record(outcome(unhealthy={"sentry"}, disabled={"celery"}))
    assert sample(gauges.COMPONENT_HEALTHY, component="sentry") == 0
    assert sample(gauges.COMPONENT_HEALTHY, component="redis") == 1
    assert sample(gauges.COMPONENT_ENABLED, component="celery") == 0
    assert sample(gauges.COMPONENT_ENABLED, component="sentry") == 1
    assert [sample(gauges.OVERALL_STATUS, status=s) for s in gauges.STATUSES] == [0, 1, 0]

    gauges.record(outcome(unhealthy={"redis"}))
    assert sample(gauges.COMPONENT_HEALTHY, component="redis") == 0
    assert sample(gauges.COMPONENT_HEALTHY, component="sentry") == 1
    assert [sample(gauges.OVERALL_STATUS, status=s) for s in gauges.STATUSES] == [0, 0, 1]


def test_gauges_are_registered_once_even_when_the_module_state_is_lost() -> None:
    gauges.record(outcome())
    first = REGISTRY._names_to_collectors[gauges.COMPONENT_HEALTHY]  # type: ignore[attr-defined]
    gauges._gauges = None  # what a reloaded module sees: the registry already has the names
    gauges.record(outcome(unhealthy={"logging"}))
    assert REGISTRY._names_to_collectors[gauges.COMPONENT_HEALTHY] is first  # type: ignore[attr-defined]
    assert sample(gauges.COMPONENT_HEALTHY, component="logging") == 0


def test_evaluate_records_what_it_computed() -> None:
    gauges.record(outcome(unhealthy=set(COMPONENTS)))
    gauges._registered().computed_at.set(0)
    options, _problem = options_or_defaults()
    result = evaluate(options)
    assert (sample(gauges.COMPUTED_AT) or 0.0) > 0
    for name, component in result.components.items():
        assert sample(gauges.COMPONENT_HEALTHY, component=name) == int(component.healthy)
    assert sample(gauges.OVERALL_STATUS, status=result.overall_status) == 1


# --- liveness, in-process ------------------------------------------------------------------


def test_live_answers_get_and_head_only_and_is_never_cached() -> None:
    client = Client()
    url = reverse("monitoring-live")
    assert url == "/api/monitoring/live/"
    response = client.get(url)
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "alive"}
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"
    head = client.head(url)
    assert (head.status_code, head.content, head["Cache-Control"]) == (200, b"", "no-store")
    for method in ("post", "put", "delete", "patch"):
        assert getattr(client, method)(url).status_code == 405, method


def pending_connection(hole: Blackhole) -> bool:
    """True when something connected to the blackhole since it was last drained."""
    hole.sock.setblocking(False)
    try:
        conn, _ = hole.sock.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


def blackhole_cache(hole: Blackhole, timeout: float) -> Any:
    return override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": hole.url(),
            }
        },
        PREFLIGHT={"METRICS_MODULE": "tests.metrics_module", "TIMEOUT": timeout},
    )


@pytest.fixture
def fresh_status_cache() -> Iterator[None]:
    views.status_cache.clear()
    yield
    views.status_cache.clear()


@pytest.mark.usefixtures("fresh_status_cache")
def test_live_touches_no_backend_while_redis_is_a_blackhole(blackhole: Blackhole) -> None:
    answers: list[int] = []

    def ask_live() -> None:
        client = Client()
        answers.extend(client.get("/api/monitoring/live/").status_code for _ in range(20))

    # A probe would wait up to TIMEOUT (60 s) on this server: answering at all proves no wait.
    with blackhole_cache(blackhole, timeout=60.0):
        thread = threading.Thread(target=ask_live, daemon=True)
        thread.start()
        thread.join(20)
        assert not thread.is_alive(), "the live URL waited on the blackholed Redis"
    assert answers == [200] * 20
    assert views.status_cache.computations == 0
    assert not pending_connection(blackhole), "the live URL connected to Redis"

    # Control: the status view under the same cache does reach the blackhole.
    with blackhole_cache(blackhole, timeout=0.5):
        status = Client().get("/api/monitoring/status/")
    assert status.status_code == 503
    assert pending_connection(blackhole)


# --- the example project's real /metrics ---------------------------------------------------


def set_calls(server: RedisServer) -> int:
    stats = server.client().info("commandstats")
    return int(stats.get("cmdstat_set", {}).get("calls", 0))


def families(text: str) -> dict[str, Any]:
    return {family.name: family for family in text_string_to_metric_families(text)}


def values(family: Any, label: str) -> dict[str, float]:
    return {s.labels[label]: s.value for s in family.samples if label in s.labels}


def test_example_exposes_gauges_on_metrics_and_scrapes_run_no_probe(
    tmp_path: Any, own_redis: RedisServer
) -> None:
    env = example_env(tmp_path, REDIS_URL=own_redis.url(0), SENTRY_DSN=LOOPBACK_DSN)
    with runserver(env, tmp_path / "runserver.log") as site:
        base = f"http://127.0.0.1:{site.port}"

        def scrape() -> dict[str, Any]:
            response = requests.get(f"{base}/metrics", headers=PROXY_HEADERS, timeout=30)
            assert response.status_code == 200
            return families(response.text)

        assert "upstream_preflight_component_healthy" not in scrape()  # lazy: nothing computed
        sets_before = set_calls(own_redis)

        status = requests.get(site.status_url, headers=PROXY_HEADERS, timeout=30)
        document = status.json()
        assert status.status_code == 200 and document["overall_status"] == "degraded"
        sets_after_status = set_calls(own_redis)
        assert sets_after_status > sets_before  # the probe's SET is what the counter sees

        exposed = scrape()
        healthy = values(exposed["upstream_preflight_component_healthy"], "component")
        assert healthy == {name: float(document[name]) for name in COMPONENTS}
        enabled = values(exposed["upstream_preflight_component_enabled"], "component")
        assert enabled == dict.fromkeys(COMPONENTS, 1.0)  # production, Celery on
        overall = values(exposed["upstream_preflight_overall_status"], "status")
        assert overall == {"healthy": 0.0, "degraded": 1.0, "unhealthy": 0.0}
        computed = exposed["upstream_preflight_status_computed_timestamp_seconds"]
        computed_at = computed.samples[0].value
        assert computed_at > 0

        for _ in range(SCRAPES):
            again = scrape()
        assert set_calls(own_redis) == sets_after_status
        last = again["upstream_preflight_status_computed_timestamp_seconds"].samples[0].value
        assert last == computed_at

        live = requests.get(f"{base}/api/monitoring/live/", headers=PROXY_HEADERS, timeout=30)
        assert (live.status_code, live.json()) == (200, {"status": "alive"})
        assert live.headers["Cache-Control"] == "no-store"
