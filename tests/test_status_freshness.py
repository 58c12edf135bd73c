"""A single poller of the status view, polling less often than STATUS_CACHE_SECONDS, with
Celery enabled and no worker answering (so every refresh outlasts the view's stale wait): it
must get the state of the last cache window, not the state of its own previous poll. Real
Redis (down, then up) and a real broker with no worker; no timed assertion: the test waits for
refreshes to complete, as the time between two polls would."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings

from tests.servers import RedisServer, free_port
from upstream_preflight import views
from upstream_preflight.monitoring.cache import SharedRefreshCache

STATUS_PATH = "/api/monitoring/status/"


@pytest.fixture
def fresh_status_cache() -> Iterator[None]:
    views.status_cache.clear()
    yield
    views.status_cache.clear()


def wait_for_computations(cache: SharedRefreshCache[object], count: int, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while cache.computations < count:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.usefixtures("fresh_status_cache")
def test_a_single_poller_sees_redis_come_back_at_its_first_poll_after(
    redis_server: RedisServer,
) -> None:
    cache_port = free_port()
    overrides = {
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{cache_port}/0",
            }
        },
        "CELERY_ENABLED": True,
        "CELERY_BROKER_URL": redis_server.url(11),  # no worker consumes db 11
        "PREFLIGHT": {
            "METRICS_MODULE": "tests.metrics_module",
            "TIMEOUT": 1.0,
            "STATUS_CACHE_SECONDS": 1,
        },
    }
    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(**overrides):
        down = client.get(STATUS_PATH)
        assert down.status_code == 503 and down.json()["redis"] is False
        cache = RedisServer(cache_port).start()
        try:
            # The poller sleeps; meanwhile a refresh that began after Redis came back ends.
            after = views.status_cache.computations + 2
            assert wait_for_computations(views.status_cache, after, 30), (
                "no refresh between two polls: the next poll gets its previous poll's state"
            )
            up = client.get(STATUS_PATH)
        finally:
            cache.stop()
    assert up.json()["redis"] is True
    assert up.json()["celery"] is False  # no worker: the refreshes did outlast the stale wait
    assert up.status_code == 200


def refresh_threads(before: set[threading.Thread]) -> list[threading.Thread]:
    """Refresh threads started since `before` (other caches may have their own)."""
    started = set(threading.enumerate()) - before
    return [t for t in started if t.name == "preflight-status-refresh"]


def test_background_refreshes_stop_when_nobody_asks() -> None:
    calls = {"n": 0}

    def compute() -> int:
        calls["n"] += 1
        return calls["n"]

    cache = SharedRefreshCache(compute, keep_warm=0.2)
    before = set(threading.enumerate())
    assert cache.get(max_age=0.1, wait_limit=30) == 1
    refreshers = refresh_threads(before)
    for thread in refreshers:
        thread.join(30)
    assert not any(thread.is_alive() for thread in refreshers)
    assert calls["n"] == 1  # nobody asked within keep_warm when the next one was due


def test_clear_ends_the_background_refreshes() -> None:
    cache = SharedRefreshCache(lambda: "value", keep_warm=600)
    before = set(threading.enumerate())
    assert cache.get(max_age=600, wait_limit=30) == "value"
    [thread] = refresh_threads(before)
    cache.clear()
    thread.join(30)
    assert not thread.is_alive()
    assert cache.computations == 1
