"""Component messages say exactly what failed, never read as a contradiction of their own
verdict, and agree with the `celery` stage of the same run; broker latency is connection time."""

from __future__ import annotations

from django.test import override_settings

from tests.servers import CeleryWorker, RedisServer
from upstream_preflight.monitoring.status import evaluate
from upstream_preflight.options import parse_options
from upstream_preflight.probes.celery import probe_celery

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_a_healthy_cache_that_is_not_redis_is_said_as_a_fact() -> None:
    with override_settings(CACHES=LOCMEM, DEBUG=False):
        outcome = evaluate(parse_options({"TIMEOUT": 2.0}))
    redis = outcome.components["redis"]
    assert redis.healthy is True
    assert redis.message == (
        "Default cache LocMemCache answers a round trip; it is not Redis (monitoring.W007)"
    )
    with override_settings(CACHES=LOCMEM, DEBUG=True):  # no W007 in development
        message = evaluate(parse_options({"TIMEOUT": 2.0})).components["redis"].message
    assert message == "Default cache LocMemCache answers a round trip; it is not Redis"


def test_prometheus_names_what_failed() -> None:
    options = parse_options({"TIMEOUT": 2.0, "METRICS_MODULE": "tests.projects.metrics_raises"})
    prometheus = evaluate(options).components["prometheus"]
    assert prometheus.healthy is False
    assert prometheus.message == (
        "Metrics not available - the custom metrics module cannot be imported (monitoring.E003)"
    )
    assert "django-prometheus" not in prometheus.message


def test_celery_monitoring_failure_still_says_the_worker_answers(
    celery_worker: CeleryWorker,
) -> None:
    options = parse_options(
        {"TIMEOUT": 2.0, "CELERY_MONITORING_MODULE": "no_such_package_for_preflight.monitoring"}
    )
    with override_settings(CELERY_ENABLED=True, CELERY_BROKER_URL=celery_worker.broker_url):
        outcome = evaluate(options)
    assert "monitoring.E008" in {f.code for f in outcome.findings}
    celery = outcome.components["celery"]
    assert celery.healthy is False
    assert celery.message == (
        "Celery monitoring module cannot be imported (monitoring.E008); Workers are running"
    )
    assert celery.details["workers"] == 1


def test_no_worker_is_said_with_the_broker_reachable(redis_server: RedisServer) -> None:
    options = parse_options({"TIMEOUT": 1.0, "CELERY_MONITORING_MODULE": "tests.worker_app"})
    with override_settings(CELERY_ENABLED=True, CELERY_BROKER_URL=redis_server.url(11)):
        celery = evaluate(options).components["celery"]
    assert celery.healthy is False
    assert celery.message == "Broker reachable, but no Celery worker answered a ping"


def test_broker_latency_is_the_connection_not_the_reply_window(
    redis_server: RedisServer,
) -> None:
    """No worker listens on this database, so the ping waits out its whole reply window (the
    4 s timeout, as the status view asks): a latency that included it could not be under
    4000 ms."""
    result = probe_celery(redis_server.url(12), 4.0, first_reply_is_enough=True)
    assert result.broker_reachable and result.workers == []
    assert 0 <= result.elapsed_ms < 4000
