"""The three entry points agree on the same settings: `manage.py check --tag monitoring
--deploy`, `manage.py validate_monitoring --json` and the status view, each a real process
of the example project against real Redis and a real Celery worker."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.projects.processes import (
    LOOPBACK_DSN,
    PROXY_HEADERS,
    example_env,
    manage,
    runserver,
    validate_json,
)
from tests.servers import CeleryWorker, RedisServer, free_port

CHECK_ID = re.compile(r"\(((?:monitoring|preflight)\.[EW]\d{3})\)")


@dataclass
class Answers:
    check_status: int
    check_ids: set[str]
    validate_status: int
    validate: dict[str, Any]
    view_status: int
    view: dict[str, Any]

    @property
    def validate_ids(self) -> set[str]:
        return {
            f["code"]
            for stage in self.validate["stages"]
            for f in stage["findings"]
            if not f.get("silenced")
        }


def ask_all(env: dict[str, str], tmp: Path, *runserver_args: str) -> Answers:
    check = manage(env, "check", "--tag", "monitoring", "--deploy")
    assert "Traceback" not in check.stderr, check.stderr
    validate_status, document = validate_json(env)
    with runserver(env, tmp / "runserver.log", *runserver_args) as site:
        response = requests.get(site.status_url, headers=PROXY_HEADERS, timeout=30)
    return Answers(
        check.returncode,
        set(CHECK_ID.findall(check.stdout + check.stderr)),
        validate_status,
        document,
        response.status_code,
        response.json(),
    )


@pytest.fixture(scope="module")
def healthy(
    tmp_path_factory: pytest.TempPathFactory,
    redis_server: RedisServer,
    celery_worker: CeleryWorker,
) -> Iterator[Answers]:
    tmp = tmp_path_factory.mktemp("agree-healthy")
    env = example_env(
        tmp,
        REDIS_URL=redis_server.url(4),
        CELERY_BROKER_URL=celery_worker.broker_url,
        SENTRY_DSN=LOOPBACK_DSN,
    )
    yield ask_all(env, tmp)


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Answers]:
    """Redis down (and the broker with it), no portal URL, wildcard hosts, default sender."""
    tmp = tmp_path_factory.mktemp("agree-failing")
    env = example_env(
        tmp,
        REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
        PORTAL_BASE_URL="",
        ALLOWED_HOSTS="*",
        DEFAULT_FROM_EMAIL="webmaster@localhost",
    )
    # runserver itself refuses to start on E011/E012; the view is still asked.
    yield ask_all(env, tmp, "--skip-checks")


def test_healthy_config_all_three_pass(healthy: Answers) -> None:
    assert healthy.check_status == 0, healthy
    assert healthy.validate_status == 0, healthy
    assert healthy.view_status == 200, healthy
    assert healthy.view["overall_status"] == healthy.validate["overall_status"] == "healthy"


def test_healthy_config_check_and_validate_report_the_same_codes(healthy: Answers) -> None:
    assert healthy.check_ids == healthy.validate_ids, healthy
    assert not {c for c in healthy.check_ids if ".E" in c}, healthy


def test_healthy_config_view_and_validate_report_the_same_components(healthy: Answers) -> None:
    assert healthy.view["components"] == healthy.validate["components"], healthy


def test_failing_config_all_three_fail(failing: Answers) -> None:
    assert failing.check_status == 1
    assert failing.validate_status == 1
    assert failing.view_status == 503
    assert failing.view["overall_status"] == failing.validate["overall_status"] == "unhealthy"


def test_failing_config_check_and_validate_report_the_same_codes(failing: Answers) -> None:
    assert failing.check_ids == failing.validate_ids
    assert {
        "monitoring.E010",
        "monitoring.E011",
        "monitoring.E012",
        "monitoring.W008",
    } <= failing.check_ids


def test_failing_config_view_and_validate_report_the_same_components(failing: Answers) -> None:
    assert failing.view["components"] == failing.validate["components"]
    assert failing.view["redis"] is False
    assert failing.view["celery"] is False  # the broker is the same stopped Redis
