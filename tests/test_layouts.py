"""The tool on the layouts people really use, end to end (tests/layouts/):

- `cookie`: cookiecutter-django's shape: `config/settings/{base,local,production}.py` read
  through django-environ with `DJANGO_`-prefixed variables and `DATABASE_URL`, the Celery app
  in `config/celery_app.py`, django-redis, structlog's `ProcessorFormatter`, Django REST
  framework, Sentry with its integrations;
- `simple`: one `myproject/settings.py` with dj-database-url and plain `os.environ`,
  whitenoise's compressed manifest storage, Celery's classic `myproject/celery.py`,
  python-json-logger.

With production settings and healthy servers (PostgreSQL 15 with a database and a
password-protected role of the project's own, Redis, a worker of the project's own Celery
app) the real `preflight run --strict --deploy` reports no error and no warning that a careful
operator would call wrong; each fault is found with its code; and in development the app never
stops `migrate`, `check` or `runserver`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.layouts.support import (
    ProjectDatabase,
    ProjectWorker,
    Venv,
    codes,
    copy_layout,
    describe,
    findings,
    get,
    make_venv,
    manage,
    project_env,
    run_preflight,
    runserver,
)
from tests.servers import LOOPBACK, PostgresServer, RedisServer, free_port, start_redis

pytestmark = pytest.mark.slow

# Every warning a healthy production run of a layout may report, with the reason an operator
# would agree with it. Empty: a healthy deploy of these projects deserves a clean report.
ALLOWED_WARNINGS: dict[str, dict[str, str]] = {"cookie": {}, "simple": {}}


def closed_url(scheme: str = "redis", path: str = "/0") -> str:
    """A loopback URL where nothing listens."""
    return f"{scheme}://{LOOPBACK}:{free_port()}{path}"


def sentry_dsn() -> str:
    """A DSN of the right shape on a closed loopback port: the SDK initialises, and nothing
    it might send can leave this machine."""
    return f"http://{secrets.token_hex(16)}@{LOOPBACK}:{free_port()}/1"


@dataclass(frozen=True)
class Layout:
    name: str
    # The production settings module, as preflight finds it (environment, or manage.py).
    production_settings: str
    celery_app: str
    # The variables a production deploy of the project sets, from the servers' URLs.
    production_env: Callable[..., dict[str, str]]
    # The variables a developer has set on a laptop (no Redis, no worker running).
    development_env: Callable[[Path], dict[str, str]]
    from_email_variable: str
    dev_pages: tuple[tuple[str, int], ...]
    # What `manage.py check --tag monitoring --deploy` must still report in development.
    dev_deploy_findings: frozenset[str]


def cookie_production(
    *, database_url: str, redis_url: str, broker_url: str, log_dir: Path
) -> dict[str, str]:
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "harbor-clinic.org,www.harbor-clinic.org",
        "DJANGO_ADMIN_URL": f"staff-{secrets.token_hex(4)}/",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": broker_url,
        "SENTRY_DSN": sentry_dsn(),
        "DJANGO_LOG_DIR": str(log_dir),
    }


def cookie_development(project: Path) -> dict[str, str]:
    # cookiecutter's local settings still read CELERY_BROKER_URL: its broker is down here.
    return {
        "DATABASE_URL": f"sqlite:///{project / 'db.sqlite3'}",
        "CELERY_BROKER_URL": closed_url(),
    }


def simple_production(
    *, database_url: str, redis_url: str, broker_url: str, log_dir: Path
) -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "False",
        "ALLOWED_HOSTS": "corner-shop.org",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CELERY_BROKER_URL": broker_url,
        "SENTRY_DSN": sentry_dsn(),
        "LOG_DIR": str(log_dir),
    }


def simple_development(project: Path) -> dict[str, str]:
    # No DATABASE_URL: dj-database-url's SQLite default; REDIS_URL names a Redis that is down.
    return {
        "SECRET_KEY": "django-insecure-" + secrets.token_hex(20),
        "DEBUG": "1",
        "REDIS_URL": closed_url(),
    }


LAYOUTS = {
    "cookie": Layout(
        name="cookie",
        production_settings="config.settings.production",
        celery_app="config.celery_app",
        production_env=cookie_production,
        development_env=cookie_development,
        from_email_variable="DJANGO_DEFAULT_FROM_EMAIL",
        # DRF answers 403 to an anonymous request: the API is wired and its view runs.
        dev_pages=(("/api/monitoring/live/", 200), ("/api/appointments/count/", 403)),
        # cookiecutter's local LOGGING: a console handler and no PHI filter yet.
        dev_deploy_findings=frozenset({"monitoring.E006"}),
    ),
    "simple": Layout(
        name="simple",
        production_settings="myproject.settings",
        celery_app="myproject",
        production_env=simple_production,
        development_env=simple_development,
        from_email_variable="DEFAULT_FROM_EMAIL",
        dev_pages=(("/api/monitoring/live/", 200), ("/", 200)),
        # The cache's Redis is down on the laptop.
        dev_deploy_findings=frozenset({"monitoring.E010"}),
    ),
}


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return make_venv(tmp_path_factory.mktemp("venv") / "venv")


@dataclass
class Deployed:
    venv: Venv
    layout: Layout
    project: Path
    database: ProjectDatabase
    redis: RedisServer
    log_dir: Path
    worker: ProjectWorker

    def env(self, **overrides: Any) -> dict[str, str]:
        values: dict[str, Any] = {
            "database_url": self.database.url(),
            "redis_url": self.redis.url(0),
            "broker_url": self.redis.url(1),
            "log_dir": self.log_dir,
        }
        values.update(overrides)
        return project_env(**self.layout.production_env(**values))


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def deployed(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres_server: PostgresServer,
    venv: Venv,
) -> Iterator[Deployed]:
    """The layout deployed as production deploys it: migrated, collected, a worker up."""
    layout = LAYOUTS[request.param]
    root = tmp_path_factory.mktemp(f"layout-{layout.name}")
    project = copy_layout(layout.name, root)
    log_dir = root / "log"
    log_dir.mkdir()
    database = ProjectDatabase(postgres_server, f"layout_{layout.name}").create()
    redis = start_redis()
    worker: ProjectWorker | None = None
    try:
        state = Deployed(venv, layout, project, database, redis, log_dir, None)  # type: ignore
        env = state.env()
        for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            result = manage(venv, project, *command, env=env)
            assert result.returncode == 0, result.stdout + result.stderr
        worker = ProjectWorker(venv, project, layout.celery_app, env).start()
        state.worker = worker
        yield state
    finally:
        if worker is not None:
            worker.stop()
        redis.stop()
        database.drop()


def test_healthy_production_run_has_no_error_and_no_wrong_warning(deployed: Deployed) -> None:
    document = run_preflight(deployed.venv, deployed.project, deployed.env())
    print(f"\n[{deployed.layout.name}] healthy --strict --deploy findings:\n{describe(document)}")
    assert document["settings_module"] == deployed.layout.production_settings
    assert codes(document, "error") == set(), describe(document)
    allowed = ALLOWED_WARNINGS[deployed.layout.name]
    assert codes(document, "warning") <= set(allowed), describe(document)
    assert document["exit_code"] == (2 if codes(document, "warning") else 0)
    celery = next(s for s in document["stages"] if s["id"] == "celery")
    assert celery["status"] == "passed", describe(document)
    assert document["overall_status"] == "healthy", document["components"]


def test_the_app_in_production_accepts_the_healthy_deploy(deployed: Deployed) -> None:
    """The Django-app side on the same deploy: `check --deploy`, `validate_monitoring`, and
    the status view that a load balancer asks (through the proxy's https header)."""
    env = deployed.env()
    for command in (
        ["check", "--deploy", "--fail-level", "WARNING"],
        ["validate_monitoring", "--strict", "--deploy"],
    ):
        result = manage(deployed.venv, deployed.project, *command, env=env)
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    host = env.get("DJANGO_ALLOWED_HOSTS", env.get("ALLOWED_HOSTS", "")).split(",")[0]
    with runserver(deployed.venv, deployed.project, env) as base:
        answer = get(
            base + "/api/monitoring/status/",
            headers={"Host": host, "X-Forwarded-Proto": "https"},
        )
    assert answer.status_code == 200, answer.text
    document = answer.json()
    assert document["overall_status"] == "healthy", document
    assert all(c["healthy"] for c in document["components"].values()), document


def test_celery_app_is_found_where_celery_finds_it(deployed: Deployed) -> None:
    """Without the package's `from .celery_app import app` (many projects drop it), the app is
    still found where `celery -A` would find it, and the worker is still required."""
    init = deployed.project / deployed.layout.celery_app.split(".")[0] / "__init__.py"
    original = init.read_text()
    init.write_text("")
    try:
        healthy = run_preflight(deployed.venv, deployed.project, deployed.env())
        broken = run_preflight(
            deployed.venv, deployed.project, deployed.env(broker_url=closed_url())
        )
    finally:
        init.write_text(original)
    assert codes(healthy) == set(), describe(healthy)
    (celery,) = [stage for stage in healthy["stages"] if stage["id"] == "celery"]
    app_notes = [note for note in celery["notes"] if note.startswith("Celery app: ")]
    assert app_notes, celery["notes"]
    assert app_notes[0].startswith(f"Celery app: {deployed.layout.celery_app}"), app_notes
    assert "not found" not in app_notes[0], app_notes
    assert "preflight.E501" in codes(broken, "error"), describe(broken)


def test_sentry_without_the_scrub_hooks_is_monitoring_e015(deployed: Deployed) -> None:
    """`sentry_sdk.init` as cookiecutter and Sentry's docs write it: the logging integration
    would send log records with PHI, unscrubbed."""
    settings_file = deployed.project / (
        deployed.layout.production_settings.replace(".", "/") + ".py"
    )
    original = settings_file.read_text()
    settings_file.write_text(
        "".join(line for line in original.splitlines(True) if "phi_hooks.before_" not in line)
    )
    try:
        document = run_preflight(deployed.venv, deployed.project, deployed.env())
    finally:
        settings_file.write_text(original)
    assert codes(document, "error") == {"monitoring.E015"}, describe(document)
    assert document["components"]["sentry"]["healthy"] is False


def test_no_worker_running_is_preflight_e502(deployed: Deployed, own_redis: RedisServer) -> None:
    """A healthy Redis that no worker of the project consumes from."""
    env = deployed.env(redis_url=own_redis.url(0), broker_url=own_redis.url(1))
    document = run_preflight(deployed.venv, deployed.project, env)
    assert "preflight.E502" in codes(document, "error"), describe(document)
    assert codes(document, "error") == {"preflight.E502"}, describe(document)
    assert document["exit_code"] == 1


def test_redis_down_is_monitoring_e010_and_broker_e501(deployed: Deployed) -> None:
    down = closed_url(path="")
    env = deployed.env(redis_url=f"{down}/0", broker_url=f"{down}/1")
    document = run_preflight(deployed.venv, deployed.project, env)
    found = codes(document, "error")
    assert {"monitoring.E010", "preflight.E501"} <= found, describe(document)
    assert found <= {"monitoring.E010", "preflight.E501"}, describe(document)
    assert document["exit_code"] == 1


def test_wrong_database_password_is_preflight_e301(deployed: Deployed) -> None:
    env = deployed.env(database_url=deployed.database.url(password="not-the-password"))
    document = run_preflight(deployed.venv, deployed.project, env)
    assert codes(document, "error") == {"preflight.E301"}, describe(document)
    assert "not-the-password" not in str(document)
    assert document["exit_code"] == 1


def test_example_com_sender_is_monitoring_w008(deployed: Deployed) -> None:
    env = deployed.env()
    env[deployed.layout.from_email_variable] = "noreply@example.com"
    document = run_preflight(deployed.venv, deployed.project, env)
    assert codes(document, "error") == set(), describe(document)
    assert "monitoring.W008" in codes(document, "warning"), describe(document)
    assert document["exit_code"] == 2


def test_a_variable_the_settings_require_is_named_by_preflight_e001(deployed: Deployed) -> None:
    """django-environ's `env("DJANGO_SECRET_KEY")` and `os.environ["SECRET_KEY"]` raise when
    the variable is missing: the settings cannot be imported, and the report says which."""
    env = deployed.env()
    variable = "DJANGO_SECRET_KEY" if "DJANGO_SECRET_KEY" in env else "SECRET_KEY"
    del env[variable]
    document = run_preflight(deployed.venv, deployed.project, env)
    assert codes(document, "error") == {"preflight.E001"}, describe(document)
    (finding,) = findings(document)
    assert variable in finding["message"], finding
    # Nine stages and no other: the reason Django is not set up is the django stage's finding.
    django = next(stage for stage in document["stages"] if stage["id"] == "django")
    assert django["status"] == "failed", document["stages"]
    assert [f["code"] for f in django["findings"]] == ["preflight.E001"]
    assert document["exit_code"] == 1


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_development_is_never_blocked(name: str, tmp_path: Path, venv: Venv) -> None:
    """Local settings, the app installed, no Redis and no worker: migrate, check and
    runserver work as they would without the app."""
    layout = LAYOUTS[name]
    project = copy_layout(name, tmp_path)
    env = project_env(**layout.development_env(project))
    for command in (["migrate", "--noinput"], ["check"]):
        result = manage(venv, project, *command, env=env)
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    with runserver(venv, project, env) as base:
        for path, status in layout.dev_pages:
            assert get(base + path).status_code == status, path
    # Not blocked is not silenced: the full checks still say what production would refuse.
    result = manage(venv, project, "check", "--tag", "monitoring", "--deploy", env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    for code in layout.dev_deploy_findings:
        assert f"({code})" in result.stderr, result.stderr
