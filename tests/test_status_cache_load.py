"""The status cache under concurrent load: stale answers while one background refresh runs.

Pure-logic tests of SharedRefreshCache with a gated computation (no timed assertions: events
show who returned before the computation finished), plus the real view against a blackholed
Redis, where every request after the first is answered from the cache.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client, override_settings

from tests.servers import Blackhole, RedisServer
from upstream_preflight import views
from upstream_preflight.monitoring.cache import SharedRefreshCache
from upstream_preflight.probes.cache import probe_default_cache

BLOCK_SECONDS = 2.0
THREADS = 24


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class BlockingCompute:
    """The first call answers at once; later ones block up to 2 s (or until released)."""

    def __init__(self) -> None:
        self.calls = 0
        self.running = 0
        self.most_at_once = 0
        self.started = threading.Event()
        self.release = threading.Event()
        self.finished = threading.Event()
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            self.calls += 1
            call = self.calls
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        try:
            if call > 1:
                self.started.set()
                self.release.wait(BLOCK_SECONDS)
            return f"value-{call}"
        finally:
            with self._lock:
                self.running -= 1
            if call > 1:
                self.finished.set()


def primed(compute: BlockingCompute) -> tuple[SharedRefreshCache[str], FakeClock]:
    clock = FakeClock()
    cache = SharedRefreshCache(compute, clock=clock)
    assert cache.get(max_age=5, wait_limit=30) == "value-1"
    clock.now += 6  # expired
    return cache, clock


def concurrently(count: int, fn: Callable[[], Any], finished: threading.Event) -> list[Any]:
    """Run fn in `count` threads at once; each records (result, finished-when-returned)."""
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def worker(index: int) -> None:
        barrier.wait()
        value = fn()
        results[index] = (value, finished.is_set())

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(BLOCK_SECONDS * 3 + 5)
        assert not thread.is_alive()
    return results


def test_expired_cache_answers_everyone_stale_before_the_blocking_refresh_ends() -> None:
    compute = BlockingCompute()
    cache, _clock = primed(compute)
    results = concurrently(
        THREADS, lambda: cache.get(max_age=5, wait_limit=30, stale_wait=0), compute.finished
    )
    assert results == [("value-1", False)] * THREADS
    assert compute.started.wait(BLOCK_SECONDS * 3 + 5)  # the refresh runs in the background
    compute.release.set()
    assert compute.finished.wait(BLOCK_SECONDS * 3 + 5)
    assert compute.calls == 2
    assert compute.most_at_once == 1
    assert cache.get(max_age=5, wait_limit=30, stale_wait=0) == "value-2"
    assert compute.calls == 2


def test_refresh_starter_waits_at_most_stale_wait_then_answers_stale() -> None:
    compute = BlockingCompute()
    cache, _clock = primed(compute)
    assert cache.get(max_age=5, wait_limit=30, stale_wait=0.05) == "value-1"
    assert not compute.finished.is_set()  # it gave up waiting; the refresh goes on
    compute.release.set()
    assert compute.finished.wait(BLOCK_SECONDS * 3 + 5)
    assert cache.get(max_age=5, wait_limit=30, stale_wait=0) == "value-2"
    assert compute.calls == 2


def test_quick_refresh_within_stale_wait_is_answered_fresh() -> None:
    compute = BlockingCompute()
    cache, _clock = primed(compute)
    compute.release.set()  # the refresh does not block
    assert cache.get(max_age=5, wait_limit=30, stale_wait=30) == "value-2"


def test_clear_forgets_a_refresh_in_flight() -> None:
    compute = BlockingCompute()
    cache, _clock = primed(compute)
    assert cache.get(max_age=5, wait_limit=30, stale_wait=0) == "value-1"
    assert compute.started.wait(BLOCK_SECONDS * 3 + 5)
    cache.clear()
    compute.release.set()  # the next computation (call 3) does not block either
    assert cache.get(max_age=5, wait_limit=30) == "value-3"
    assert compute.finished.wait(BLOCK_SECONDS * 3 + 5)
    # The cleared refresh's late result did not replace the newer one.
    assert cache.get(max_age=5, wait_limit=30) == "value-3"


class EventHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []
        self.emitted = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self.emitted.set()


def test_background_refresh_error_is_logged_and_stale_value_kept() -> None:
    calls: list[int] = []
    failed = threading.Event()

    def compute() -> str:
        calls.append(1)
        if len(calls) == 2:
            failed.set()
            raise RuntimeError("probe crashed")
        return f"value-{len(calls)}"

    clock = FakeClock()
    cache = SharedRefreshCache(compute, clock=clock)
    assert cache.get(5, 30) == "value-1"
    clock.now += 6
    handler = EventHandler()
    logger = logging.getLogger("upstream_preflight")  # does not propagate: listen on it
    logger.addHandler(handler)
    try:
        assert cache.get(5, 30, stale_wait=0) == "value-1"
        assert failed.wait(BLOCK_SECONDS * 3 + 5)
        assert handler.emitted.wait(BLOCK_SECONDS * 3 + 5)
    finally:
        logger.removeHandler(handler)
    assert handler.messages == ["monitoring status refresh failed"]
    # The failure left the stale value in place; the next caller starts a refresh that works.
    assert cache.get(5, 30) == "value-3"


# --- the real view, Redis blackholed ---------------------------------------------------------


def test_view_with_hung_redis_answers_from_cache_one_evaluation_at_a_time(
    blackhole: Blackhole, monkeypatch: pytest.MonkeyPatch
) -> None:
    running = {"now": 0, "most": 0, "calls": 0}
    lock = threading.Lock()
    gate = threading.Event()  # holds the refresh open until every request has its answer
    refresh_done = threading.Event()

    def counted_evaluate() -> Any:
        with lock:
            running["now"] += 1
            running["calls"] += 1
            running["most"] = max(running["most"], running["now"])
            call = running["calls"]
        try:
            outcome = views._evaluate()
            if call > 1:
                gate.wait(30)
            return outcome
        finally:
            with lock:
                running["now"] -= 1
            if call > 1:
                refresh_done.set()

    monkeypatch.setattr(views, "status_cache", SharedRefreshCache(counted_evaluate))
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": blackhole.url(),
        }
    }
    preflight = {"METRICS_MODULE": "tests.metrics_module", "TIMEOUT": 1.0}
    with override_settings(CACHES=caches, PREFLIGHT={**preflight, "STATUS_CACHE_SECONDS": 60}):
        first = Client(HTTP_HOST="127.0.0.1").get("/api/monitoring/status/")  # waits: no value
    assert first.status_code == 503
    assert first.json()["redis"] is False
    # Every request now finds the outcome stale: one refresh starts (and is held open), and
    # every request is answered from the stale outcome meanwhile.
    with override_settings(CACHES=caches, PREFLIGHT={**preflight, "STATUS_CACHE_SECONDS": 0.001}):
        results = concurrently(
            THREADS,
            lambda: Client(HTTP_HOST="127.0.0.1").get("/api/monitoring/status/"),
            refresh_done,
        )
        gate.set()
        assert refresh_done.wait(30)
    assert [done for _, done in results] == [False] * THREADS
    assert {response.status_code for response, _ in results} == {503}
    assert all(response.json()["redis"] is False for response, _ in results)
    assert running["calls"] == 2
    assert running["most"] == 1


def test_cache_with_its_own_socket_timeouts_is_probed(redis_server: RedisServer) -> None:
    """The bench's production-like cache sets socket timeouts in OPTIONS; the probe forces its
    own and must not pass both (that was a TypeError reported as E009)."""
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url(3),
            "OPTIONS": {"socket_connect_timeout": 5, "socket_timeout": 5},
        }
    }
    with override_settings(CACHES=caches):
        result = probe_default_cache(1.0)
    assert (result.ok, result.detail) == (True, "")
