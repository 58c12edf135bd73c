"""`/api/monitoring/status/` over real HTTP (the example project under `runserver`), and the
shared-refresh cache behind it, in-process."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.cli_support import REPO
from tests.projects.processes import (
    LOOPBACK_DSN,
    PROXY_HEADERS,
    Site,
    example_env,
    runserver,
)
from tests.servers import CeleryWorker, RedisServer, free_port
from upstream_preflight.monitoring.cache import SharedRefreshCache

COMPONENTS = ("prometheus", "sentry", "logging", "celery", "redis")
REDIS_PASSWORD = "Redis-Pa55-4f9a1c"


def get(site: Site, method: str = "GET") -> requests.Response:
    return requests.request(method, site.status_url, headers=PROXY_HEADERS, timeout=30)


def assert_seed_shape(document: dict[str, Any]) -> None:
    assert set(document) == {"overall_status", "components", *COMPONENTS}
    assert document["overall_status"] in {"healthy", "degraded", "unhealthy"}
    assert set(document["components"]) == set(COMPONENTS)
    for name in COMPONENTS:
        component = document["components"][name]
        assert isinstance(component["healthy"], bool)
        assert isinstance(component["message"], str) and component["message"]
        assert document[name] is component["healthy"]


@pytest.fixture(scope="module")
def healthy_site(
    tmp_path_factory: pytest.TempPathFactory,
    redis_server: RedisServer,
    celery_worker: CeleryWorker,
) -> Iterator[Site]:
    """Production settings, every component working: Redis, a worker, Sentry initialised."""
    tmp = tmp_path_factory.mktemp("healthy")
    env = example_env(
        tmp,
        REDIS_URL=redis_server.url(2),
        CELERY_BROKER_URL=celery_worker.broker_url,
        SENTRY_DSN=LOOPBACK_DSN,
    )
    with runserver(env, tmp / "runserver.log") as site:
        yield site


@pytest.fixture(scope="module")
def degraded_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The example's local settings: local-memory cache, Celery off, no Sentry in production."""
    tmp = tmp_path_factory.mktemp("degraded")
    with runserver(example_env(tmp, "upstream.settings.local"), tmp / "runserver.log") as site:
        yield site


@pytest.fixture(scope="module")
def down_port() -> int:
    return free_port()


@pytest.fixture(scope="module")
def unhealthy_site(tmp_path_factory: pytest.TempPathFactory, down_port: int) -> Iterator[Site]:
    """Production settings, Redis (with a password in its URL) not running: still starts."""
    tmp = tmp_path_factory.mktemp("unhealthy")
    url = f"redis://:{REDIS_PASSWORD}@127.0.0.1:{down_port}/0"
    with runserver(example_env(tmp, REDIS_URL=url), tmp / "runserver.log") as site:
        yield site


# --- status codes and the document ------------------------------------------------------------


def test_healthy_is_200_with_every_component_healthy(healthy_site: Site) -> None:
    response = get(healthy_site)
    assert response.status_code == 200, response.text
    document = response.json()
    assert_seed_shape(document)
    assert document["overall_status"] == "healthy"
    assert all(document[name] for name in COMPONENTS)
    assert document["components"]["celery"]["message"] == "Workers are running"
    assert document["components"]["redis"]["message"] == "Cache and session storage working"
    assert "enabled" not in document["components"]["celery"]


def test_degraded_is_200_and_disabled_celery_is_healthy_not_counted(degraded_site: Site) -> None:
    response = get(degraded_site)
    assert response.status_code == 200, response.text
    document = response.json()
    assert_seed_shape(document)
    assert document["overall_status"] == "degraded"
    celery = document["components"]["celery"]
    assert celery["enabled"] is False and celery["healthy"] is True and document["celery"]
    assert "disabled" in celery["message"].lower()
    assert document["sentry"] is False  # production, no DSN: the optional part that degrades
    assert document["redis"] is True  # a local-memory cache whose round trip works
    assert "not Redis" in document["components"]["redis"]["message"]


def test_unhealthy_is_503_when_redis_is_down(unhealthy_site: Site) -> None:
    response = get(unhealthy_site)
    assert response.status_code == 503
    document = response.json()
    assert_seed_shape(document)
    assert document["overall_status"] == "unhealthy"
    assert document["redis"] is False
    assert document["components"]["redis"]["message"] == "Cannot connect to Redis cache"


def test_unhealthy_body_reveals_no_host_port_password_or_exception(
    unhealthy_site: Site, down_port: int
) -> None:
    body = get(unhealthy_site).text
    for secret in (REDIS_PASSWORD, "127.0.0.1", "redis://", "localhost", str(down_port)):
        assert secret not in body
    for exception_text in (
        "refused",
        "ConnectionError",
        "Exception",
        "Traceback",
        "errno",
        "timed out",
    ):
        assert exception_text not in body


# --- HTTP semantics --------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["healthy_site", "unhealthy_site"])
def test_head_answers_same_status_without_body(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    site: Site = request.getfixturevalue(fixture)
    head, got = get(site, "HEAD"), get(site)
    assert head.status_code == got.status_code
    assert head.content == b""
    assert head.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(degraded_site: Site, method: str) -> None:
    response = get(degraded_site, method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD"}


@pytest.mark.parametrize("fixture", ["healthy_site", "degraded_site", "unhealthy_site"])
def test_responses_are_json_and_never_cached(fixture: str, request: pytest.FixtureRequest) -> None:
    response = get(request.getfixturevalue(fixture))
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"].startswith("application/json")


# --- SharedRefreshCache, in-process ----------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class GatedCompute:
    """A computation that blocks until released, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0
        self.started = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    def __call__(self) -> str:
        with self.lock:
            self.calls += 1
            call = self.calls
        self.started.set()
        assert self.release.wait(30), "test never released the computation"
        return f"value-{call}"


def run_threads(count: int, fn: Any) -> list[Any]:
    results: list[Any] = [None] * count
    barrier = threading.Barrier(count)

    def worker(index: int) -> None:
        barrier.wait()
        results[index] = fn()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    return [threads, results]


def test_cache_twenty_threads_on_empty_cache_compute_once() -> None:
    compute = GatedCompute()
    cache = SharedRefreshCache(compute, clock=FakeClock())
    threads, results = run_threads(20, lambda: cache.get(max_age=5, wait_limit=30))
    assert compute.started.wait(30)
    compute.release.set()
    for thread in threads:
        thread.join(30)
    assert compute.calls == 1
    assert results == ["value-1"] * 20


def test_cache_twenty_threads_on_expired_cache_one_refresh_stale_served_meanwhile() -> None:
    clock = FakeClock()
    compute = GatedCompute()
    cache = SharedRefreshCache(compute, clock=clock)
    compute.release.set()
    assert cache.get(max_age=5, wait_limit=30) == "value-1"
    compute.release.clear()
    compute.started.clear()
    clock.now += 6  # expired

    leader_result: list[str | None] = []
    leader = threading.Thread(target=lambda: leader_result.append(cache.get(5, 30)))
    leader.start()
    assert compute.started.wait(30)
    # The refresh is blocked: everyone else gets the stale value at once, computing nothing.
    threads, results = run_threads(19, lambda: cache.get(max_age=5, wait_limit=30))
    for thread in threads:
        thread.join(30)
        assert not thread.is_alive()
    assert results == ["value-1"] * 19
    compute.release.set()
    leader.join(30)
    assert leader_result == ["value-2"]
    assert compute.calls == 2
    assert cache.get(max_age=5, wait_limit=30) == "value-2"
    assert compute.calls == 2


def test_cache_reuses_value_until_max_age() -> None:
    clock = FakeClock()
    compute = GatedCompute()
    compute.release.set()
    cache = SharedRefreshCache(compute, clock=clock)
    assert cache.get(5, 30) == "value-1"
    clock.now += 4.9
    assert cache.get(5, 30) == "value-1"
    clock.now += 0.2
    assert cache.get(5, 30) == "value-2"


def test_cache_failed_computation_is_retried_by_the_next_caller() -> None:
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("probe crashed")
        return "ok"

    cache = SharedRefreshCache(compute, clock=FakeClock())
    with pytest.raises(RuntimeError):
        cache.get(5, 30)
    assert cache.get(5, 30) == "ok"
    assert len(calls) == 2


def test_cache_first_computation_outlasting_wait_limit_gives_none() -> None:
    compute = GatedCompute()
    cache = SharedRefreshCache(compute, clock=FakeClock())
    leader = threading.Thread(target=lambda: cache.get(5, 30))
    leader.start()
    assert compute.started.wait(30)
    assert cache.get(max_age=5, wait_limit=0.05) is None
    compute.release.set()
    leader.join(30)
    assert cache.get(5, 30) == "value-1"


# --- the view in-process: details for token holders, one evaluation per cache period ----------


@pytest.fixture
def fresh_status_cache() -> Iterator[None]:
    from upstream_preflight import views

    views.status_cache.clear()
    yield
    views.status_cache.clear()


STATUS_PATH = "/api/monitoring/status/"
TOKEN = "status-token-81d0e2"


@pytest.mark.usefixtures("fresh_status_cache")
def test_token_holder_gets_details_anonymous_callers_do_not() -> None:
    from django.test import Client, override_settings

    preflight = {"METRICS_MODULE": "tests.metrics_module", "TIMEOUT": 2, "STATUS_TOKEN": TOKEN}
    with override_settings(PREFLIGHT=preflight):
        client = Client()
        anonymous = client.get(STATUS_PATH).json()
        wrong = client.get(STATUS_PATH, headers={"Authorization": "Bearer nope"}).json()
        holder = client.get(STATUS_PATH, headers={"Authorization": f"Bearer {TOKEN}"})
    assert all("details" not in c for c in anonymous["components"].values())
    assert all("details" not in c for c in wrong["components"].values())
    details = holder.json()["components"]["redis"]["details"]
    assert set(details) == {"latency_ms", "backend"}
    assert TOKEN not in holder.content.decode()


@pytest.mark.usefixtures("fresh_status_cache")
def test_view_evaluates_once_per_cache_period() -> None:
    from django.test import Client

    from upstream_preflight import views

    client = Client()
    before = views.status_cache.computations
    first = client.get(STATUS_PATH)
    second = client.head(STATUS_PATH)
    assert first.status_code == second.status_code == 200
    assert views.status_cache.computations == before + 1


@pytest.mark.usefixtures("fresh_status_cache")
def test_every_document_leaves_through_the_door() -> None:
    """A value the configuration holds as a secret is masked in the status documents too
    (here, a signing key that happens to equal the cache's class path)."""
    from django.test import Client, override_settings

    preflight = {"METRICS_MODULE": "tests.metrics_module", "TIMEOUT": 2, "STATUS_TOKEN": TOKEN}
    backend = "django.core.cache.backends.locmem.LocMemCache"
    caches = {"default": {"BACKEND": backend, "LOCATION": "door"}}
    with override_settings(PREFLIGHT=preflight, CACHES=caches, DOOR_SIGNING_KEY=backend):
        client = Client()
        anonymous = client.get(STATUS_PATH)
        holder = client.get(STATUS_PATH, headers={"Authorization": f"Bearer {TOKEN}"})
    for response in (anonymous, holder):
        assert backend not in response.content.decode()
    assert holder.json()["components"]["redis"]["details"]["backend"] == "***"


def test_the_bearer_scheme_is_case_insensitive_over_http(tmp_path: Path) -> None:
    """RFC 7235: `bearer`, `BEARER` and `Bearer` name the same scheme (real HTTP, runserver)."""
    (tmp_path / "token_settings.py").write_text(
        "from upstream.settings.local import *  # noqa: F403\n"
        f"PREFLIGHT = {{**PREFLIGHT, 'STATUS_TOKEN': {TOKEN!r}}}  # noqa: F405\n"
    )
    env = example_env(
        tmp_path, "token_settings", PYTHONPATH=os.pathsep.join([str(tmp_path), str(REPO)])
    )
    with runserver(env, tmp_path / "runserver.log") as site:

        def components(authorization: str) -> dict[str, Any]:
            headers = {**PROXY_HEADERS, "Authorization": authorization}
            answer = requests.get(site.status_url, headers=headers, timeout=30)
            assert answer.status_code == 200, site.log.read_text()
            return answer.json()["components"]

        for scheme in ("bearer", "BEARER", "Bearer", "bEaReR"):
            assert "details" in components(f"{scheme} {TOKEN}")["redis"], scheme
        assert "details" in components(f"Bearer   {TOKEN}")["redis"]  # 1*SP
        for refused in (f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN, f"Bearer{TOKEN}"):
            assert "details" not in components(refused)["redis"], refused
