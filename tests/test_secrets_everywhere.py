"""No planted secret in any output of any entry point, in every case the reliability table
lists: healthy, backends down, hung, wrong passwords, settings that raise with secrets in the
message, a check that crashes and a bug of the tool.

Each case is the example project (tests/projects/planted.py) run as real processes:
`preflight run` (text, --json, --quiet), `validate_monitoring` (text, --json),
`manage.py check --tag monitoring --deploy`, the status view over HTTP (anonymous and with the
token) and the server's log, each with the tool's own log records captured at DEBUG.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.projects.planted import (
    BROKER_PASSWORD,
    FIELD_ENCRYPTION_KEY,
    OLD_SECRET_KEY,
    REDIS_PASSWORD,
    SECRET_KEY,
    SENTRY_KEY,
    STATUS_TOKEN,
    WRONG_BROKER_PASSWORD,
    WRONG_PG_PASSWORD,
    WRONG_REDIS_PASSWORD,
    CaseOutputs,
    planted_env,
    planted_project,
    redis_url,
    run_every_entry_point,
    secret_forms,
)
from tests.servers import (
    LOOPBACK,
    Blackhole,
    CeleryWorker,
    PostgresServer,
    RedisServer,
    free_port,
    start_redis,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return planted_project(tmp_path_factory.mktemp("secrets"))


@pytest.fixture(scope="module")
def broker() -> Iterator[tuple[RedisServer, CeleryWorker]]:
    """A broker whose password holds `/ ? # @ ;`, and a worker on it."""
    server = start_redis(BROKER_PASSWORD)
    worker = CeleryWorker(redis_url(server.port, BROKER_PASSWORD)).start()
    yield server, worker
    worker.stop()
    server.stop()


@pytest.fixture(scope="module")
def database_url(postgres_server: PostgresServer, project: Path) -> str:
    """A migrated PostgreSQL database for the example, its password in the URL."""
    url = postgres_server.create_database("planted_secrets")
    env = planted_env(project, DATABASE_URL=url, REDIS_URL="redis://127.0.0.1:9/0")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0", "--skip-checks"],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return url


@pytest.fixture
def blackhole_pg(blackhole: Blackhole) -> str:
    return f"postgres://preflight:{WRONG_PG_PASSWORD}@{LOOPBACK}:{blackhole.port}/x"


# The --json run prints the text report on stderr; validate_monitoring's text and JSON
# come from one evaluation. Cases that repeat a risk ask the cheaper set.
COVERED = ("preflight run", "preflight run --quiet", "validate_monitoring")


def healthy(project: Path, cache: RedisServer, broker_port: int, db: str) -> dict[str, str]:
    return planted_env(
        project,
        REDIS_URL=redis_url(cache.port, REDIS_PASSWORD),
        CELERY_BROKER_URL=redis_url(broker_port, BROKER_PASSWORD),
        DATABASE_URL=db,
    )


def every_secret(postgres_server: PostgresServer) -> set[str]:
    return secret_forms(
        REDIS_PASSWORD,
        BROKER_PASSWORD,
        SECRET_KEY,
        OLD_SECRET_KEY,
        SENTRY_KEY,
        FIELD_ENCRYPTION_KEY,
        STATUS_TOKEN,
        WRONG_REDIS_PASSWORD,
        WRONG_BROKER_PASSWORD,
        WRONG_PG_PASSWORD,
        postgres_server.password,
    )


def assert_no_secret(case: CaseOutputs, secrets: set[str]) -> None:
    leaks = [
        f"{output.name}: {secret!r}"
        for output in case.outputs
        for secret in secrets
        if secret in output.text
    ]
    assert not leaks, leaks
    for output in case.outputs:
        if output.name != "runserver log":  # the target routes our records to its console
            assert "Traceback" not in output.text.split("--stderr--")[0], output.name


def assert_tool_records_kept_from_target(case: CaseOutputs) -> None:
    """The planted LOGGING names our logger and propagates it: in `preflight run` the target's
    handler still never sees a record of ours, while our own capture does."""
    runs = [o for o in case.outputs if o.name.startswith("preflight run")]
    assert runs
    for output in runs:
        assert "TARGET-HANDLER upstream_preflight" not in output.text, output.name


def test_healthy(
    project: Path,
    cache_redis: RedisServer,
    broker: tuple[RedisServer, CeleryWorker],
    database_url: str,
    postgres_server: PostgresServer,
) -> None:
    env = healthy(project, cache_redis, broker[0].port, database_url)
    case = run_every_entry_point(project, env)
    assert_no_secret(case, every_secret(postgres_server))
    assert_tool_records_kept_from_target(case)
    document = json.loads(case.by_name("preflight run --json").text.split("--stderr--")[0])
    assert document["overall_status"] == "healthy", document["components"]
    assert case.by_name("validate_monitoring --json").status == 0
    assert case.by_name("status view anonymous").status == 200
    anonymous = json.loads(case.by_name("status view anonymous").text)
    holder = json.loads(case.by_name("status view with token").text)
    assert all("details" not in c for c in anonymous["components"].values())
    assert "latency_ms" in holder["components"]["redis"]["details"]


def test_backends_refused_hung_and_wrong_password(
    project: Path, blackhole: Blackhole, database_url: str, postgres_server: PostgresServer
) -> None:
    """Redis refused, the broker (its password raw in the URL) hung, PostgreSQL refusing the
    password."""
    env = planted_env(
        project,
        REDIS_URL=redis_url(free_port(), REDIS_PASSWORD),
        CELERY_BROKER_URL=redis_url(blackhole.port, BROKER_PASSWORD, encode=False),
        DATABASE_URL=database_url.replace(postgres_server.password, WRONG_PG_PASSWORD),
        PLANTED_TIMEOUT="2",  # the broker is hung: every entry point waits this long
    )
    case = run_every_entry_point(project, env, view_db_ok=False, skip=COVERED)
    assert_no_secret(case, every_secret(postgres_server))
    assert case.by_name("preflight run --json").status == 1
    text = case.by_name("preflight run --json").text
    assert "monitoring.E010" in text and "preflight.E301" in text and "preflight.E501" in text
    assert case.by_name("check --tag monitoring --deploy").status == 1
    assert case.by_name("status view anonymous").status == 503


def test_wrong_passwords_hung_database_and_a_check_that_crashes(
    project: Path,
    cache_redis: RedisServer,
    broker: tuple[RedisServer, CeleryWorker],
    blackhole_pg: str,
    postgres_server: PostgresServer,
) -> None:
    """Wrong Redis and broker passwords, a hung database, and a check that raises with
    secrets in its message (in the report and in the captured traceback)."""
    env = planted_env(
        project,
        REDIS_URL=redis_url(cache_redis.port, WRONG_REDIS_PASSWORD),
        CELERY_BROKER_URL=redis_url(broker[0].port, WRONG_BROKER_PASSWORD),
        DATABASE_URL=blackhole_pg,
        PLANTED_CHECK_CRASH="1",
        PLANTED_TIMEOUT="2",  # the database is hung
    )
    case = run_every_entry_point(project, env, view_db_ok=False, skip=("preflight run --quiet",))
    assert_no_secret(case, every_secret(postgres_server))
    assert_tool_records_kept_from_target(case)
    text = case.by_name("preflight run").text
    assert "monitoring.E009" in text and "preflight.E301" in text
    assert "monitoring.E011" in text and "the check itself crashed (RuntimeError)" in text
    assert "TOOL-LOG DEBUG check check_portal_url crashed" in text
    assert "portal check failed with ***" in text  # the captured traceback, redacted
    assert case.by_name("check --tag monitoring --deploy").status == 1


def test_settings_that_raise_with_secrets_in_the_message(
    project: Path, postgres_server: PostgresServer
) -> None:
    env = planted_env(
        project,
        PLANTED_SETTINGS_RAISE="1",
        REDIS_URL=redis_url(free_port(), REDIS_PASSWORD),
        CELERY_BROKER_URL=redis_url(free_port(), BROKER_PASSWORD, encode=False),
        DATABASE_URL=f"postgres://preflight:{postgres_server.password}@{LOOPBACK}:9/x",
    )
    case = run_every_entry_point(project, env, django_boots=False)
    assert_no_secret(case, every_secret(postgres_server))
    text = case.by_name("preflight run").text
    assert "preflight.E001" in text and "RuntimeError: cannot start with ***" in text
    assert "TOOL-LOG DEBUG settings module" in text  # the capture saw the traceback


def test_a_bug_of_the_tool_with_secrets_in_the_message(
    project: Path, postgres_server: PostgresServer
) -> None:
    raw_broker = redis_url(free_port(), BROKER_PASSWORD, encode=False)
    env = planted_env(
        project,
        PLANTED_TOOL_BUG=f"{SECRET_KEY} {raw_broker}",
        REDIS_URL=redis_url(free_port(), REDIS_PASSWORD),
        CELERY_BROKER_URL=raw_broker,
    )
    case = run_every_entry_point(project, env, django_boots=False, skip=("preflight run --quiet",))
    assert_no_secret(case, every_secret(postgres_server))
    for name in ("preflight run", "preflight run --json"):
        assert case.by_name(name).status == 70, case.by_name(name).text
    assert "preflight itself failed (a bug): RuntimeError: tool bug holding ***" in (
        case.by_name("preflight run").text
    )
