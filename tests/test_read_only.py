"""A full run changes nothing it inspects: the Redis key space (values and expiry times), the
PostgreSQL database (pg_dump of schema and data, sequences included), STATIC_ROOT and the
log directory are the same before and after `preflight run --deploy`, `validate_monitoring
--deploy` and status-view requests. The Redis probe's own key is gone afterwards.

The Celery broker is a separate Redis and is not snapshotted: a ping is a message through it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.cli_support import PREFLIGHT
from tests.projects.planted import (
    REDIS_PASSWORD,
    STATUS_TOKEN,
    planted_env,
    planted_project,
    redis_url,
    runserver,
)
from tests.projects.processes import PROXY_HEADERS
from tests.servers import PG_BIN, CeleryWorker, PostgresServer, RedisServer


@pytest.fixture(scope="module")
def setup(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_server: PostgresServer,
    cache_redis: RedisServer,
    celery_worker: CeleryWorker,
) -> tuple[Path, dict[str, str]]:
    project = planted_project(tmp_path_factory.mktemp("read-only"))
    (project.parent / "logs").mkdir(exist_ok=True)
    url = postgres_server.create_database("read_only_target")
    env = planted_env(
        project,
        DATABASE_URL=url,
        REDIS_URL=redis_url(cache_redis.port, REDIS_PASSWORD, db=1),
        CELERY_BROKER_URL=celery_worker.broker_url,
    )
    migrate = [sys.executable, "manage.py", "migrate", "-v0", "--skip-checks"]
    subprocess.run(migrate, cwd=project, env=env, check=True, capture_output=True, timeout=120)
    postgres_server.psql(
        "INSERT INTO auth_group (name) VALUES ('clinicians'), ('auditors');"
        "INSERT INTO django_session VALUES ('s1', 'e30', now() + interval '1 day');",
        dbname="read_only_target",
    )
    return project, env


def redis_snapshot(server: RedisServer) -> dict[tuple[int, bytes], tuple[Any, ...]]:
    """Every key of every database: its serialized value and its absolute expiry time."""
    snapshot: dict[tuple[int, bytes], tuple[Any, ...]] = {}
    for db in range(16):
        client = server.client(db)
        for key in client.scan_iter(count=1000):
            expiry = client.execute_command("PEXPIRETIME", key)
            snapshot[(db, key)] = (client.type(key), client.dump(key), expiry)
    return snapshot


def plant_redis_keys(server: RedisServer) -> None:
    cache, other = server.client(1), server.client(3)
    cache.set(":1:session-abc", b"pickled-session", ex=3600)
    cache.set(":1:report-cache", b"rows")
    cache.hset("tenant:7", mapping={"name": "Clinic", "plan": "gold"})
    other.rpush("queue:billing", "job-1", "job-2")
    other.set("lock:nightly", "held", px=86_400_000)


def pg_dump(server: PostgresServer, dbname: str) -> str:
    result = subprocess.run(
        [
            str(PG_BIN / "pg_dump"),
            "-h",
            "127.0.0.1",
            "-p",
            str(server.port),
            "-U",
            server.user,
            "--no-owner",
            dbname,
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PGPASSWORD": server.password},
        timeout=60,
    )
    # `\restrict KEY` / `\unrestrict KEY` carry a random key per dump.
    return "\n".join(
        line
        for line in result.stdout.splitlines()
        if not line.startswith(("\\restrict", "\\unrestrict"))
    )


def tree_snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every file under `root`: modification time (ns) and content hash."""
    return {
        str(path.relative_to(root)): (
            path.stat().st_mtime_ns,
            hashlib.sha256(path.read_bytes()).hexdigest(),
        )
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_full_run_changes_nothing_it_inspects(
    setup: tuple[Path, dict[str, str]],
    postgres_server: PostgresServer,
    cache_redis: RedisServer,
) -> None:
    project, env = setup
    plant_redis_keys(cache_redis)
    static_root, logs = project / "staticfiles", project.parent / "logs"
    before = (
        redis_snapshot(cache_redis),
        pg_dump(postgres_server, "read_only_target"),
        tree_snapshot(static_root),
        tree_snapshot(logs),
    )
    assert before[0] and "clinicians" in before[1] and before[2]

    run = subprocess.run(
        [PREFLIGHT, "run", "--deploy", "--json"],
        cwd=project, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert '"overall_status": "healthy"' in run.stdout, run.stdout + run.stderr
    validate = subprocess.run(
        [sys.executable, "manage.py", "validate_monitoring", "--deploy"],
        cwd=project, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert validate.returncode in (0, 2), validate.stdout + validate.stderr
    with runserver(project, env) as (url, _log):
        for headers in (PROXY_HEADERS, {**PROXY_HEADERS, "X-Preflight-Token": STATUS_TOKEN}):
            assert requests.get(url, headers=headers, timeout=60).status_code == 200

    after = (
        redis_snapshot(cache_redis),
        pg_dump(postgres_server, "read_only_target"),
        tree_snapshot(static_root),
        tree_snapshot(logs),
    )
    assert after[0] == before[0], "Redis keys, values or expiry changed (or the probe key stayed)"
    assert after[1] == before[1], "the database changed"
    assert after[2] == before[2], "STATIC_ROOT changed"
    assert after[3] == before[3], "a log file was written"
