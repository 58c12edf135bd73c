"""monitoring.E009 / E010 against real Redis servers, with both Redis cache backends.

Refused port, blackhole (bounded), wrong password, db index out of range, a server killed
under us; the probe leaves every other key alone; the checks are deployment checks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import run_checks
from django.test import override_settings

from tests.servers import Blackhole, RedisServer, SlamDoor, free_port, start_redis
from upstream_preflight.findings import Finding
from upstream_preflight.monitoring.checks import CHECKS, make_context, run_guarded
from upstream_preflight.monitoring.status import evaluate
from upstream_preflight.options import parse_options
from upstream_preflight.probes.cache import PROBE_KEY_PREFIX

DJANGO_REDIS = "django.core.cache.backends.redis.RedisCache"
DJANGO_REDIS_PKG = "django_redis.cache.RedisCache"
BACKENDS = [DJANGO_REDIS, DJANGO_REDIS_PKG]
REDIS_CODES = {"monitoring.E009", "monitoring.E010"}
PASSWORD = "pw-Preflight-7c1e"
TIMEOUT = 1.0
EXAMPLE = Path(__file__).resolve().parent.parent / "example"


def cache_settings(backend: str, location: str, **options: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"BACKEND": backend, "LOCATION": location}
    if options:
        entry["OPTIONS"] = options
    return {"default": entry}


def redis_findings(caches: dict[str, Any], timeout: float = TIMEOUT) -> list[Finding]:
    """The E009/E010 check alone, as `manage.py check --deploy` runs it."""
    with override_settings(CACHES=caches, PREFLIGHT={"TIMEOUT": timeout}):
        ctx = make_context(parse_options({"TIMEOUT": timeout}))
        [check] = [c for c in CHECKS if c.network]
        return run_guarded(check, ctx)


def codes_of(findings: list[Finding]) -> set[str]:
    return {f.code for f in findings}


@pytest.fixture(scope="module")
def locked_redis() -> Iterator[RedisServer]:
    server = start_redis(password=PASSWORD)
    yield server
    server.stop()


# --- healthy -------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_E009_E010_do_not_fire_against_working_redis(
    redis_server: RedisServer, backend: str
) -> None:
    assert redis_findings(cache_settings(backend, redis_server.url(1))) == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_E009_E010_do_not_fire_with_right_password(locked_redis: RedisServer, backend: str) -> None:
    assert redis_findings(cache_settings(backend, locked_redis.url(0))) == []


def test_E009_does_not_fire_with_password_in_django_redis_options(
    locked_redis: RedisServer,
) -> None:
    caches = cache_settings(DJANGO_REDIS_PKG, locked_redis.url(0, password=""), PASSWORD=PASSWORD)
    assert redis_findings(caches) == []


def test_E009_E010_do_not_fire_for_non_redis_cache() -> None:
    caches = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert redis_findings(caches) == []


def test_E009_does_not_fire_for_a_non_redis_cache_whose_round_trip_fails() -> None:
    # E009 is about Redis; a dummy cache that stores nothing shows in the component instead.
    caches = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert redis_findings(caches) == []
    with override_settings(CACHES=caches):
        outcome = evaluate(parse_options({"TIMEOUT": TIMEOUT}))
    assert not REDIS_CODES & {f.code for f in outcome.findings}
    redis = outcome.components["redis"]
    assert redis.healthy is False
    assert redis.message.startswith("Default cache DummyCache fails a round trip; it is not Redis")


# --- E010: unreachable -----------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_E010_fires_on_refused_port(backend: str) -> None:
    findings = redis_findings(cache_settings(backend, f"redis://127.0.0.1:{free_port()}/0"))
    assert codes_of(findings) == {"monitoring.E010"}
    assert "refused" in findings[0].message


@pytest.mark.parametrize("backend", BACKENDS)
def test_E010_fires_on_blackhole_within_timeout(blackhole: Blackhole, backend: str) -> None:
    started = time.monotonic()
    findings = redis_findings(cache_settings(backend, blackhole.url()), timeout=TIMEOUT)
    elapsed = time.monotonic() - started
    assert codes_of(findings) == {"monitoring.E010"}
    assert elapsed < TIMEOUT * 3 + 5, f"probe took {elapsed:.1f} s"


@pytest.mark.parametrize("backend", BACKENDS)
def test_E010_fires_when_server_closes_every_connection(slam_door: SlamDoor, backend: str) -> None:
    assert codes_of(redis_findings(cache_settings(backend, slam_door.url()))) == {"monitoring.E010"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_E010_fires_after_redis_is_killed(own_redis: RedisServer, backend: str) -> None:
    caches = cache_settings(backend, own_redis.url(0))
    assert redis_findings(caches) == []
    own_redis.stop()
    assert codes_of(redis_findings(caches)) == {"monitoring.E010"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_E010_message_masks_the_password_of_the_location(backend: str) -> None:
    url = f"redis://:{PASSWORD}@127.0.0.1:{free_port()}/0"
    [finding] = redis_findings(cache_settings(backend, url))
    assert finding.code == "monitoring.E010"
    assert PASSWORD not in finding.message
    assert ":***@127.0.0.1" in finding.message


def test_E010_does_not_hang_through_evaluate(blackhole: Blackhole) -> None:
    caches = cache_settings(DJANGO_REDIS, blackhole.url())
    started = time.monotonic()
    with override_settings(CACHES=caches):
        outcome = evaluate(parse_options({"TIMEOUT": TIMEOUT}))
    elapsed = time.monotonic() - started
    assert "monitoring.E010" in {f.code for f in outcome.findings}
    assert outcome.components["redis"].healthy is False
    assert outcome.overall_status == "unhealthy"
    assert elapsed < TIMEOUT * 3 + 5, f"evaluate took {elapsed:.1f} s"


# --- E009: reachable but broken --------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_E009_fires_on_wrong_password(locked_redis: RedisServer, backend: str) -> None:
    caches = cache_settings(backend, locked_redis.url(0, password="wrong-" + PASSWORD))
    findings = redis_findings(caches)
    assert codes_of(findings) == {"monitoring.E009"}
    assert "authentication" in findings[0].message
    assert PASSWORD not in findings[0].message


@pytest.mark.parametrize("backend", BACKENDS)
def test_E009_fires_without_password_when_one_is_required(
    locked_redis: RedisServer, backend: str
) -> None:
    caches = cache_settings(backend, locked_redis.url(0, password=""))
    assert codes_of(redis_findings(caches)) == {"monitoring.E009"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_E009_fires_on_db_index_out_of_range(redis_server: RedisServer, backend: str) -> None:
    findings = redis_findings(cache_settings(backend, redis_server.url(999)))
    assert codes_of(findings) == {"monitoring.E009"}
    assert "out of range" in findings[0].message.lower()


def test_E009_fires_for_a_location_that_is_not_a_redis_url() -> None:
    caches = cache_settings(DJANGO_REDIS, "http://127.0.0.1:1/0")
    assert codes_of(redis_findings(caches)) == {"monitoring.E009"}


@pytest.mark.parametrize("location", ["", 42, None])
def test_E009_fires_for_a_malformed_location_without_crashing_evaluate(location: Any) -> None:
    caches = {"default": {"BACKEND": DJANGO_REDIS, "LOCATION": location}}
    with override_settings(CACHES=caches):
        outcome = evaluate(parse_options({"TIMEOUT": TIMEOUT}))
    assert REDIS_CODES & {f.code for f in outcome.findings}
    assert outcome.components["redis"].healthy is False


# --- the key space is left alone ------------------------------------------------------------


def snapshot(server: RedisServer, db: int) -> dict[bytes, tuple[bytes, Any, int]]:
    client = server.client(db)
    state = {}
    for key in client.keys("*"):
        kind = client.type(key)
        value = client.dump(key)
        ttl = client.ttl(key)
        state[key] = (kind, value, -1 if ttl == -1 else 1)
    client.close()
    return state


@pytest.mark.parametrize("backend", BACKENDS)
def test_probe_leaves_key_space_unchanged(own_redis: RedisServer, backend: str) -> None:
    db = 3
    client = own_redis.client(db)
    client.set("app:session:1", "planted")
    client.set("app:ttl", "expires", ex=600)
    client.hset("app:hash", mapping={"a": "1", "b": "2"})
    client.rpush("app:list", "x", "y")
    client.set(PROBE_KEY_PREFIX + "not-ours", "someone else's")
    other_db = own_redis.client(0)
    other_db.set("db0:key", "untouched")
    before, before_db0 = snapshot(own_redis, db), snapshot(own_redis, 0)

    for _ in range(3):
        assert redis_findings(cache_settings(backend, own_redis.url(db))) == []

    assert snapshot(own_redis, db) == before
    assert snapshot(own_redis, 0) == before_db0
    assert client.get("app:session:1") == b"planted"
    assert client.ttl("app:ttl") > 0
    client.close()
    other_db.close()


def test_probe_leaves_key_space_unchanged_when_it_fails(locked_redis: RedisServer) -> None:
    client = locked_redis.client(0)
    client.set("app:planted", "1")
    before = snapshot(locked_redis, 0)
    caches = cache_settings(DJANGO_REDIS, locked_redis.url(0, password="wrong"))
    assert codes_of(redis_findings(caches)) == {"monitoring.E009"}
    assert snapshot(locked_redis, 0) == before
    client.delete("app:planted")
    client.close()


# --- deployment checks, silencing ------------------------------------------------------------


def test_E010_is_a_deploy_check_not_run_by_plain_check() -> None:
    caches = cache_settings(DJANGO_REDIS, f"redis://127.0.0.1:{free_port()}/0")
    with override_settings(CACHES=caches, PREFLIGHT={"TIMEOUT": TIMEOUT}):
        plain = {m.id for m in run_checks(tags=["monitoring"])}
        deploy = {m.id for m in run_checks(tags=["monitoring"], include_deployment_checks=True)}
    assert not plain & REDIS_CODES
    assert "monitoring.E010" in deploy


def test_E009_is_a_deploy_check_not_run_by_plain_check(locked_redis: RedisServer) -> None:
    caches = cache_settings(DJANGO_REDIS, locked_redis.url(0, password="wrong"))
    with override_settings(CACHES=caches, PREFLIGHT={"TIMEOUT": TIMEOUT}):
        plain = {m.id for m in run_checks(tags=["monitoring"])}
        deploy = {m.id for m in run_checks(tags=["monitoring"], include_deployment_checks=True)}
    assert not plain & REDIS_CODES
    assert "monitoring.E009" in deploy


def test_silenced_E010_is_silenced_in_django_and_flagged_in_evaluate() -> None:
    caches = cache_settings(DJANGO_REDIS, f"redis://127.0.0.1:{free_port()}/0")
    with override_settings(
        CACHES=caches, PREFLIGHT={"TIMEOUT": TIMEOUT}, SILENCED_SYSTEM_CHECKS=["monitoring.E010"]
    ):
        messages = run_checks(tags=["monitoring"], include_deployment_checks=True)
        silenced = {m.id: m.is_silenced() for m in messages if m.id == "monitoring.E010"}
        outcome = evaluate(parse_options({"TIMEOUT": TIMEOUT}))
    assert silenced == {"monitoring.E010": True}
    [finding] = [f for f in outcome.findings if f.code == "monitoring.E010"]
    assert finding.silenced
    # Silencing the code does not make Redis work: the component still says so.
    assert outcome.components["redis"].healthy is False


# --- the figure: validate_monitoring against a hung Redis ------------------------------------


def test_validate_monitoring_against_hung_redis_is_bounded(blackhole: Blackhole) -> None:
    """A real process: the example's production settings, Redis and broker on a blackhole,
    TIMEOUT 2 (the example's PREFLIGHT)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "upstream.settings.prod",
        "REDIS_URL": blackhole.url(),
        "CELERY_BROKER_URL": blackhole.url(),
        "SENTRY_DSN": "",
    }
    env.pop("PYTHONPATH", None)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", "validate_monitoring", "--json"],
        cwd=EXAMPLE,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.monotonic() - started
    print(f"\nvalidate_monitoring against a hung Redis (TIMEOUT 2): {elapsed:.2f} s")
    assert result.returncode == 1, result.stderr
    assert '"monitoring.E010"' in result.stdout
    assert elapsed < 2 * 3 + 5
