"""Bounded: a run whose backends never answer still ends, and says which backends hung.

The example project runs as a real `preflight run --deploy --timeout 2 --json` process with
its Redis cache, its PostgreSQL database and its Celery broker pointed at loopback ports that
accept connections and never answer (tests.servers.Blackhole). That the probes overlap, so
such a run costs about one timeout window and not one per probe, is shown here in-process by
stages that can only pass when they run at the same time; how long the real process takes
against hung backends, as a ratio of a healthy run, is `benchmarks/bench_run.py --part hung`'s
business, not a test's (no timed assertions on a shared machine).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.cli_support import assert_clean, clean_env, codes_in, copy_example, json_document
from tests.cli_support import preflight as run_preflight
from tests.servers import Blackhole, CeleryWorker, PostgresServer, RedisServer, free_port
from tests.test_runner import Recorder, returns, stage, target
from upstream_preflight import runner
from upstream_preflight.findings import StageStatus
from upstream_preflight.runner import RunRequest
from upstream_preflight.stages.base import RunContext, StageOutput

TIMEOUT = 2.0
BACKEND_CODES = {
    "redis": "monitoring.E010",
    "database": "preflight.E301",
    "broker": "preflight.E501",
}
HEAVY = ("django", "celery", "kombu", "sentry_sdk", "prometheus_client", "redis")


# --- the runner, in-process -------------------------------------------------------------------


def test_stages_run_at_the_same_time_and_are_reported_in_order() -> None:
    """Each of two stages waits for the other: run one after the other, both would fail."""
    meet = threading.Barrier(2, timeout=20)

    def wait_for_the_other(ctx: RunContext) -> StageOutput:
        meet.wait()
        return StageOutput(notes=["met"])

    recorder = Recorder()
    stages = [
        stage("python", returns()),
        stage("database", wait_for_the_other, needs_django=True),
        stage("celery", wait_for_the_other, needs_django=True),
    ]
    report = runner.run(target(), RunRequest(), recorder, stages)
    assert [(s.id, s.status, s.notes) for s in report.stages] == [
        ("python", StageStatus.PASSED, []),
        ("database", StageStatus.PASSED, ["met"]),
        ("celery", StageStatus.PASSED, ["met"]),
    ]
    assert recorder.events[1:] == [
        ("started", "python"),
        ("finished", "python:passed"),
        ("started", "database"),
        ("finished", "database:passed"),
        ("started", "celery"),
        ("finished", "celery:passed"),
    ]


@pytest.fixture
def never_set() -> Iterator[threading.Event]:
    event = threading.Event()
    yield event
    event.set()  # let the abandoned thread go


def test_a_stage_that_never_returns_is_abandoned_at_the_backstop(
    never_set: threading.Event,
) -> None:
    def hang(ctx: RunContext) -> StageOutput:
        never_set.wait()
        return StageOutput()

    stages = [stage("static", hang, needs_django=True), stage("security", returns())]
    report = runner.run(target(), RunRequest(backstop=0.5), None, stages)
    hung, after = report.stages
    [finding] = hung.findings
    assert hung.status is StageStatus.FAILED and finding.code == "preflight.E003"
    assert "stage 'static' did not finish within" in finding.message
    assert after.status is StageStatus.PASSED
    assert not report.crashed and not report.interrupted


def test_the_backstop_grows_with_the_timeout() -> None:
    assert runner.backstop_seconds(0.5) == runner.BACKSTOP_FLOOR_SECONDS
    assert runner.backstop_seconds(10) == 50


# --- the real process against hung backends ---------------------------------------------------


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("hung"))


@pytest.fixture(scope="module")
def hole() -> Iterator[Blackhole]:
    hole = Blackhole()
    yield hole
    hole.close()


def prod_env(redis: str, database: str, broker: str) -> dict[str, str]:
    return clean_env(
        DJANGO_SETTINGS_MODULE="upstream.settings.prod",
        REDIS_URL=redis,
        DATABASE_URL=database,
        CELERY_BROKER_URL=broker,
    )


def hung_urls(hole: Blackhole) -> dict[str, str]:
    return backend_urls(hole.port)


def refused_urls() -> dict[str, str]:
    return backend_urls(free_port())


def backend_urls(port: int) -> dict[str, str]:
    return {
        "redis": f"redis://127.0.0.1:{port}/0",
        "database": f"postgres://app:app-pw@127.0.0.1:{port}/app",
        "broker": f"redis://127.0.0.1:{port}/1",
    }


def json_run(project: Path, env: dict[str, str], *args: str) -> dict[str, Any]:
    """`preflight run --deploy --timeout 2 --json`: the JSON document of a clean run."""
    result = run_preflight(
        "run", "--deploy", "--timeout", f"{TIMEOUT:g}", "--json", *args, cwd=project, env=env
    )
    assert_clean(result)
    return json_document(result)


def test_every_backend_hung_is_reported_and_the_run_ends(project: Path, hole: Blackhole) -> None:
    """The same codes as when nothing listens at all; no stage needed the runner's backstop
    (the subprocess itself has a time limit, so a hang fails the test instead of stalling it)."""
    refused_document = json_run(project, prod_env(**refused_urls()))
    assert set(BACKEND_CODES.values()) <= codes_in(refused_document)
    document = json_run(project, prod_env(**hung_urls(hole)))
    assert document["exit_code"] == 1
    assert set(BACKEND_CODES.values()) <= codes_in(document)
    assert "preflight.E003" not in codes_in(document)  # no stage needed the runner's backstop
    assert document["components"]["redis"]["healthy"] is False
    assert document["components"]["celery"]["healthy"] is False
    assert [s["id"] for s in document["stages"]] == list(runner.STAGE_IDS)


@pytest.fixture(scope="module")
def healthy(
    redis_server: RedisServer, postgres_server: PostgresServer, celery_worker: CeleryWorker
) -> dict[str, str]:
    """Real servers: Redis for the cache, PostgreSQL, and a worker on its Redis broker."""
    return {
        "redis": redis_server.url(7),
        "database": postgres_server.create_database("hung_backends"),
        "broker": celery_worker.broker_url,
    }


@pytest.mark.parametrize("hung", sorted(BACKEND_CODES))
def test_one_backend_hung_alone(
    hung: str, project: Path, hole: Blackhole, healthy: dict[str, str]
) -> None:
    """The others are real servers, so only the hung one is reported; the run still ends
    (the subprocess itself has a time limit)."""
    urls = {**healthy, hung: hung_urls(hole)[hung]}
    document = json_run(project, prod_env(**urls))
    found = codes_in(document)
    assert found & set(BACKEND_CODES.values()) == {BACKEND_CODES[hung]}, found
    assert "preflight.E502" not in found  # the healthy worker answered where it could be asked


# --- --help and tab completion stay light ------------------------------------------------------


@pytest.mark.parametrize(
    "argv, env",
    [
        (["--help"], {}),
        (["run", "--help"], {}),
        ([], {"_PREFLIGHT_COMPLETE": "complete_bash", "COMP_WORDS": "preflight run --st"}),
        ([], {"_PREFLIGHT_COMPLETE": "complete_bash", "COMP_WORDS": "preflight explain mon"}),
        ([], {"_PREFLIGHT_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "preflight run --o"}),
        (
            [],
            {
                "_PREFLIGHT_COMPLETE": "complete_fish",
                "_TYPER_COMPLETE_FISH_ACTION": "get-args",
                "_TYPER_COMPLETE_ARGS": "preflight explain monitoring.E00",
            },
        ),
    ],
)
def test_the_console_entry_point_imports_nothing_heavy(
    argv: list[str], env: dict[str, str]
) -> None:
    """Through `main()`, as the console script runs it, for help and every shell."""
    if "COMP_WORDS" in env:
        env = {**env, "COMP_CWORD": str(len(env["COMP_WORDS"].split()) - 1)}
    script = (
        "import sys\n"
        f"sys.argv = ['preflight', *{argv!r}]\n"
        "from upstream_preflight.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    status = exc.code\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print('LOADED', loaded, 'STATUS', status, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "LOADED [] STATUS 0" in result.stderr, result.stderr
    assert result.stdout.strip(), "nothing printed"
    if argv:
        assert "Usage:" in result.stdout
