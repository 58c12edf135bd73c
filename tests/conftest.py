"""Shared fixtures: Django for in-process tests, and real servers on loopback ports."""

from __future__ import annotations

import os
from collections.abc import Iterator

import django
import pytest

from tests.servers import (
    Blackhole,
    CeleryWorker,
    PostgresServer,
    RedisServer,
    SlamDoor,
    start_postgres,
    start_redis,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

# The tests that touch Django, Celery and the CLI: what noxfile.py runs on every supported
# combination of Python and Django (`pytest -m compat`); the whole suite runs on one. Chosen
# to cover each once within CI's time: the CLI's contracts on real runs, the three Django
# entry points against a real Celery worker, the Celery stage, Django's deployment checks and
# the monitoring checks. Renderers and help text do not depend on Django's version.
COMPAT_MODULES = frozenset(
    {
        "test_bootstrap",
        "test_cli_run",
        "test_entry_points",
        "test_monitoring_checks",
        "test_stage_celery",
        "test_stage_security",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.stem in COMPAT_MODULES:
            item.add_marker(pytest.mark.compat)


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One Redis for the session; tests use their own key names or db numbers."""
    server = start_redis()
    yield server
    server.stop()


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A Redis of this test's own, free to be killed or restarted."""
    server = start_redis()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def cache_redis() -> Iterator[RedisServer]:
    """A Redis of the module's own whose password is the planted secret of
    tests/projects/planted.py, for the secrets and read-only tests."""
    from tests.projects.planted import REDIS_PASSWORD

    server = start_redis(REDIS_PASSWORD)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture
def blackhole() -> Iterator[Blackhole]:
    hole = Blackhole()
    yield hole
    hole.close()


@pytest.fixture
def slam_door() -> Iterator[SlamDoor]:
    door = SlamDoor()
    yield door
    door.close()


@pytest.fixture(scope="session")
def celery_worker(redis_server: RedisServer) -> Iterator[CeleryWorker]:
    """A real worker on the session Redis (db 5), consuming queues `celery` and `default`."""
    worker = CeleryWorker(redis_server.url(5), queues=("celery", "default")).start()
    yield worker
    worker.stop()
