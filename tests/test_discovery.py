"""Discovery: the project's own module names, its Celery app where `celery -A` and the common
layouts put it, and the rules that follow from them (contract: the target project's settings,
"Celery is enabled", E003/E008/E011, W010).

Each test lays a small project out on disk under a package name of its own, so that modules
imported by one test never stand in for another's.
"""

from __future__ import annotations

import importlib
import ssl
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.stage_helpers import make_ctx
from tests.test_monitoring_checks import found, project
from upstream_preflight import discovery
from upstream_preflight.celery_settings import celery_enabled
from upstream_preflight.findings import Finding
from upstream_preflight.monitoring.checks import check_logging, check_metrics_module, make_context
from upstream_preflight.options import parse_options
from upstream_preflight.stages import env as env_stage
from upstream_preflight.stages import metrics as metrics_stage
from upstream_preflight.stages.celery import unverified_tls

CELERY_APP = """from celery import Celery

app = Celery("{name}", broker="{broker}")
app.conf.worker_send_task_events = {events}
"""
BROKER = "redis://127.0.0.1:6399/3"
Layout = Callable[..., str]


@pytest.fixture
def layout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Layout]:
    """`layout({"pkg/settings.py": "...", ...}, settings="pkg.settings")` writes the files
    (with `__init__.py` in every folder), puts the folder on sys.path, and makes `settings`
    the settings module discovery sees. Returns a unique prefix to put in package names."""
    prefix = f"pf{uuid.uuid4().hex[:8]}"
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("CELERY_APP", "CELERY_ENABLED", "CELERY_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)

    def make(files: dict[str, str], settings: str) -> str:
        for relative, text in files.items():
            path = tmp_path / relative.replace("{p}", prefix)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text.replace("{p}", prefix), encoding="utf-8")
            for folder in path.relative_to(tmp_path).parents:
                init = tmp_path / folder / "__init__.py"
                if folder != Path(".") and not init.exists():
                    init.write_text("", encoding="utf-8")
        module = settings.replace("{p}", prefix)
        monkeypatch.setattr(discovery, "settings_module", lambda: module)
        return prefix

    yield make
    for name in [m for m in sys.modules if m.startswith(prefix)]:
        del sys.modules[name]


def found_findings() -> list[Finding]:
    return check_logging(make_context(parse_options({})))


def metric_module(prefix: str) -> str:
    return f"from prometheus_client import Counter\n\nVISITS = Counter('{prefix}_visits', 'x')\n"


# --- metrics module -------------------------------------------------------------------------


def test_metrics_module_is_found_beside_the_settings_package(layout: Layout) -> None:
    prefix = layout(
        {"{p}/settings/production.py": "", "{p}/metrics.py": metric_module("{p}")},
        settings="{p}.settings.production",
    )
    options = parse_options({})
    assert discovery.metrics_module(None).name == f"{prefix}.metrics"
    assert check_metrics_module(make_context(options)) == []
    notes = metrics_stage.run(make_ctx(metrics_module=None)).notes
    assert f"Custom metrics (1): {prefix}_visits" in notes


def test_a_missing_discovered_metrics_module_is_not_an_error(layout: Layout) -> None:
    prefix = layout({"{p}/settings/production.py": ""}, settings="{p}.settings.production")
    assert check_metrics_module(make_context(parse_options({}))) == []
    notes = metrics_stage.run(make_ctx(metrics_module=None)).notes
    assert any(f"no module {prefix}.metrics" in note for note in notes), notes


def test_a_discovered_metrics_module_that_raises_is_E003_in_the_projects_words(
    layout: Layout,
) -> None:
    prefix = layout(
        {"{p}/settings.py": "", "{p}/metrics.py": "raise RuntimeError('boom')\n"},
        settings="{p}.settings",
    )
    [finding] = check_metrics_module(make_context(parse_options({})))
    assert finding.code == "monitoring.E003"
    assert f"{prefix}.metrics" in finding.message
    assert f"{prefix}.metrics" in finding.hint and "PREFLIGHT['METRICS_MODULE']" in finding.hint
    assert "upstream" not in finding.message + finding.hint


def test_a_named_metrics_module_that_is_missing_is_E003(layout: Layout) -> None:
    prefix = layout({"{p}/settings.py": ""}, settings="{p}.settings")
    options = parse_options({"METRICS_MODULE": f"{prefix}.telemetry"})
    [finding] = check_metrics_module(make_context(options))
    assert finding.code == "monitoring.E003" and f"{prefix}.telemetry" in finding.hint


def test_a_discovered_metrics_module_without_metrics_is_E002(layout: Layout) -> None:
    prefix = layout(
        {"{p}/settings.py": "", "{p}/metrics.py": "NOTHING = 1\n"}, settings="{p}.settings"
    )
    [finding] = check_metrics_module(make_context(parse_options({})))
    assert finding.code == "monitoring.E002" and f"{prefix}.metrics" in finding.hint


# --- the Celery app -------------------------------------------------------------------------

LAYOUTS = {
    # cookiecutter-django: config/celery_app.py, imported by nothing at settings time
    "cookiecutter": (
        {"{p}/settings/production.py": "", "{p}/celery_app.py": CELERY_APP},
        "{p}.settings.production",
        "{p}.celery_app:app",
    ),
    # Celery's Django guide: proj/celery.py, imported by proj/__init__.py
    "celery-guide": (
        {
            "{p}/__init__.py": "from .celery import app as celery_app\n",
            "{p}/settings.py": "",
            "{p}/celery.py": CELERY_APP,
        },
        "{p}.settings",
        "{p}.celery:app",
    ),
    # the app in another package of the project folder: <pkg>/tasks/celery.py
    "tasks-package": (
        {"{p}/settings/base.py": "", "{p}clinic/tasks/celery.py": CELERY_APP},
        "{p}.settings.base",
        "{p}clinic.tasks.celery:app",
    ),
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_the_celery_app_is_found_where_projects_put_it(layout: Layout, name: str) -> None:
    files, settings, where = LAYOUTS[name]
    files = {
        k: v.format(name="x", broker=BROKER, events=True) if v else v for k, v in files.items()
    }
    prefix = layout(files, settings=settings)
    found_app = discovery.find_celery_app(None)
    assert found_app.path == where.replace("{p}", prefix)
    assert found_app.app.conf.broker_url == BROKER
    # With CELERY_ENABLED undefined, the app's broker is what enables Celery.
    with project(delete=("CELERY_ENABLED", "CELERY_BROKER_URL")):
        assert celery_enabled(parse_options({}))


def test_the_celery_app_variable_wins(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    prefix = layout(
        {
            "{p}/settings.py": "",
            "{p}/celery.py": CELERY_APP.format(name="a", broker=BROKER, events=True),
            "{p}/worker.py": CELERY_APP.format(name="b", broker=BROKER, events=True),
        },
        settings="{p}.settings",
    )
    monkeypatch.setenv("CELERY_APP", f"{prefix}.worker")
    found_app = discovery.find_celery_app(None)
    assert found_app.app.main == "b" and found_app.source == "CELERY_APP environment variable"


def test_a_project_without_celery_has_it_disabled(layout: Layout) -> None:
    layout({"{p}/settings.py": ""}, settings="{p}.settings")
    assert discovery.find_celery_app(None).app is None
    with project(delete=("CELERY_ENABLED", "CELERY_BROKER_URL")):
        assert not celery_enabled(parse_options({}))


def test_celery_enabled_rule(layout: Layout, monkeypatch: pytest.MonkeyPatch) -> None:
    layout({"{p}/settings.py": ""}, settings="{p}.settings")
    options = parse_options({})
    with project(delete=("CELERY_ENABLED",), CELERY_BROKER_URL=BROKER):
        assert celery_enabled(options)  # a broker alone enables it
    with project(CELERY_ENABLED=False, CELERY_BROKER_URL=BROKER):
        assert not celery_enabled(options)  # defined and false wins
    with project(delete=("CELERY_ENABLED", "CELERY_BROKER_URL")):
        monkeypatch.setenv("CELERY_BROKER_URL", BROKER)
        assert celery_enabled(options)
        monkeypatch.setenv("CELERY_ENABLED", "off")
        assert not celery_enabled(options)


# --- E008 and W010 --------------------------------------------------------------------------


def test_W010_fires_when_no_monitoring_module_and_no_task_events(layout: Layout) -> None:
    layout(
        {
            "{p}/settings.py": "",
            "{p}/celery.py": CELERY_APP.format(name="x", broker=BROKER, events=False),
        },
        settings="{p}.settings",
    )
    with project(delete=("CELERY_ENABLED", "CELERY_BROKER_URL"), PREFLIGHT={}):
        codes = found()
    assert "monitoring.W010" in codes and "monitoring.E008" not in codes


def test_W010_is_silent_when_the_app_sends_task_events(layout: Layout) -> None:
    layout(
        {
            "{p}/settings.py": "",
            "{p}/celery.py": CELERY_APP.format(name="x", broker=BROKER, events=True),
        },
        settings="{p}.settings",
    )
    with project(delete=("CELERY_ENABLED", "CELERY_BROKER_URL"), PREFLIGHT={}):
        codes = found()
    assert not codes & {"monitoring.W010", "monitoring.E008", "monitoring.E007"}


def test_a_discovered_monitoring_module_that_raises_is_E008(layout: Layout) -> None:
    prefix = layout(
        {
            "{p}/settings.py": "",
            "{p}/celery.py": CELERY_APP.format(name="x", broker=BROKER, events=False),
            "{p}/celery_monitoring.py": "import no_such_dependency_of_{p}\n",
        },
        settings="{p}.settings",
    )
    with project(delete=("CELERY_ENABLED", "CELERY_BROKER_URL"), PREFLIGHT={}):
        codes = found()
    assert "monitoring.E008" in codes and "monitoring.W010" not in codes
    assert prefix  # the module name is the project's, checked in the hint test below


def test_a_discovered_monitoring_module_that_imports_silences_W010(layout: Layout) -> None:
    layout(
        {
            "{p}/settings.py": "",
            "{p}/celery.py": CELERY_APP.format(name="x", broker=BROKER, events=False),
            "{p}/celery_monitoring.py": "TRACKED = True\n",
        },
        settings="{p}.settings",
    )
    with project(delete=("CELERY_ENABLED", "CELERY_BROKER_URL"), PREFLIGHT={}):
        codes = found()
    assert not codes & {"monitoring.W010", "monitoring.E008"}


# --- W502 -----------------------------------------------------------------------------------


def test_W502_reads_the_celery_broker_use_ssl_setting() -> None:
    url = "rediss://:pw@127.0.0.1:6380/0"
    with project(CELERY_BROKER_USE_SSL={"ssl_cert_reqs": ssl.CERT_REQUIRED}):
        assert unverified_tls(url, None) is None
    with project(CELERY_BROKER_USE_SSL={"ssl_cert_reqs": ssl.CERT_NONE}):
        assert unverified_tls(url, None) is not None
    with project(delete=("CELERY_BROKER_USE_SSL",)):
        assert unverified_tls(url, None) == "rediss:// broker URL without ssl_cert_reqs"


# --- the env stage judges settings, not variable names ---------------------------------------


def test_env_stage_judges_the_settings_whatever_the_variables_are_called(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL", "PORTAL_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    databases = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "clinic",
            "USER": "clinic",
            "PASSWORD": "pw-not-shown-8812",
            "HOST": "db.internal",
            "PORT": 5432,
        }
    }
    caches = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://:cache-pw-7781@cache.internal:6379/1",
        }
    }
    with project(ALLOWED_HOSTS=["*"], DATABASES=databases, CACHES=caches):
        output = env_stage.run(make_ctx())
    assert [f.code for f in output.findings] == []
    # The effective setting, not a variable; in production E012 owns the verdict on '*'.
    assert "ALLOWED_HOSTS is unsafe (reported by the monitoring stage: monitoring.E012)" in (
        output.notes
    )
    with project(ALLOWED_HOSTS=["clinic.example.net"]):
        assert "ALLOWED_HOSTS: clinic.example.net" in env_stage.run(make_ctx()).notes
    assert "Database default: postgresql at db.internal:5432, database clinic" in output.notes
    assert (
        "Cache: RedisCache (django_redis.cache.RedisCache) at redis://***@cache.internal:6379/1"
        in output.notes
    )
    text = "\n".join(output.notes)
    assert "pw-not-shown-8812" not in text and "cache-pw-7781" not in text


def test_env_stage_E202_for_a_missing_database() -> None:
    with project(DATABASES={}):
        output = env_stage.run(make_ctx())
    assert [f.code for f in output.findings] == ["preflight.E202"]


def test_raw_variable_names_are_required_only_when_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PF_TEST_ONLY_NAME", raising=False)
    assert env_stage.run(make_ctx()).findings == []
    output = env_stage.run(make_ctx(required_env=["PF_TEST_ONLY_NAME"]))
    assert [f.code for f in output.findings] == ["preflight.E201"]


def test_fix_texts_name_the_settings_file_that_defines_the_setting(layout: Layout) -> None:
    prefix = layout(
        {
            "{p}/settings/base.py": 'LOGGING = {"version": 1, "handlers": {}}\n',
            "{p}/settings/production.py": "from .base import *  # noqa: F403\nDEBUG = False\n",
        },
        settings="{p}.settings.production",
    )
    production = importlib.import_module(f"{prefix}.settings.production")
    with project(LOGGING=production.LOGGING):
        assert discovery.settings_file_defining("LOGGING") == f"{prefix}/settings/base.py"
        [finding] = [f for f in found_findings() if f.code == "monitoring.E006"]
    assert f"LOGGING in {prefix}/settings/base.py" in finding.hint
