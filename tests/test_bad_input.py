"""Bad input the other test files do not cover: malformed REDIS_URL / broker / DATABASE_URL
values, PREFLIGHT values of the wrong type and settings that call sys.exit, each through a
real `preflight run` process (a finding, a complete report, no traceback, no password); and,
in-process, a monitoring check or a Django check that raises becomes a finding while the
other checks still run.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import checks as django_checks
from django.core.checks.registry import registry
from django.test import override_settings

from tests.cli_support import assert_clean, clean_env, copy_example, json_document, preflight
from upstream_preflight.djangochecks import run_django_checks
from upstream_preflight.monitoring.status import evaluate
from upstream_preflight.options import OptionError, parse_options
from upstream_preflight.stages import STAGE_IDS

PASSWORD = "bad-input-pw-51e0"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_example(tmp_path_factory.mktemp("bad-input"))
    settings = project / "upstream" / "settings"
    (settings / "bad_preflight.py").write_text(
        "import os\n"
        "from upstream.settings.local import *  # noqa\n"
        'PREFLIGHT = eval(os.environ["PLANTED_PREFLIGHT"])\n'
    )
    (settings / "exits.py").write_text("import sys\nsys.exit(3)\n")
    return project


def findings_of(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for stage in document["stages"] for f in stage["findings"]]


def run_json(project: Path, *args: str, **env: str) -> tuple[dict[str, Any], str]:
    result = preflight("run", "--json", "--timeout", "1", *args, cwd=project, env=clean_env(**env))
    assert_clean(result)
    return json_document(result), result.stdout + result.stderr


@pytest.mark.parametrize(
    "url",
    [
        f"redis://:{PASSWORD}@127.0.0.1:notaport/0",
        f"redis://:{PASSWORD}@[::1/0",
        f"http://user:{PASSWORD}@127.0.0.1:9/0",
    ],
    ids=["bad-port", "broken-ipv6", "wrong-scheme"],
)
def test_malformed_redis_and_broker_urls_are_findings(project: Path, url: str) -> None:
    document, output = run_json(
        project,
        "--only",
        "monitoring,celery",
        DJANGO_SETTINGS_MODULE="upstream.settings.prod",
        REDIS_URL=url,
        CELERY_BROKER_URL=url,
    )
    codes = {f["code"] for f in findings_of(document)}
    assert {"monitoring.E009", "preflight.E501"} <= codes, findings_of(document)
    assert "preflight.E003" not in codes
    assert document["exit_code"] == 1
    assert PASSWORD not in output


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (f"mysql://root:{PASSWORD}@127.0.0.1/app", "unsupported DATABASE_URL scheme 'mysql'"),
        (f"postgres://app:{PASSWORD}@127.0.0.1:port/app", "Port could not be cast"),
    ],
)
def test_malformed_database_url_is_E001_without_the_password(
    project: Path, url: str, says: str
) -> None:
    document, output = run_json(project, DATABASE_URL=url)
    [finding] = next(s for s in document["stages"] if s["id"] == "django")["findings"]
    assert finding["code"] == "preflight.E001" and says in finding["message"]
    assert [s["id"] for s in document["stages"]] == list(STAGE_IDS)  # complete, nine
    assert PASSWORD not in output


def test_settings_that_call_sys_exit_are_E001(project: Path) -> None:
    document, _ = run_json(project, "--settings", "upstream.settings.exits")
    [finding] = next(s for s in document["stages"] if s["id"] == "django")["findings"]
    assert finding["code"] == "preflight.E001" and "SystemExit: 3" in finding["message"]
    assert document["exit_code"] == 1


@pytest.mark.parametrize("value", ["{'TIMEOUT': float('nan')}", "{'REQUIRED_ENV': 5}"])
def test_preflight_values_of_the_wrong_type_are_E004_and_the_run_completes(
    project: Path, value: str
) -> None:
    document, _ = run_json(
        project, "--settings", "upstream.settings.bad_preflight", PLANTED_PREFLIGHT=value
    )
    assert [s["id"] for s in document["stages"]] == list(STAGE_IDS)
    e004 = [f for f in findings_of(document) if f["code"] == "preflight.E004"]
    assert len(e004) == 1 and "PREFLIGHT" in e004[0]["message"]
    assert "preflight.E003" not in {f["code"] for f in findings_of(document)}
    assert document["exit_code"] == 1


@pytest.mark.parametrize(
    "value",
    [
        {"TIMEOUT": float("nan")},
        {"TIMEOUT": float("inf")},
        {"STATUS_CACHE_SECONDS": float("nan")},
        {"REQUIRED_ENV": 5},
        {"OPTIONAL_ENV": None},
        {"STATUS_TOKEN": 1234},
        {"CELERY_APP": ["x"]},
    ],
)
def test_values_that_used_to_crash_or_hang_are_option_errors(value: dict[str, Any]) -> None:
    [key] = value
    with pytest.raises(OptionError, match=rf"PREFLIGHT\['{key}'\]"):
        parse_options(value)


# --- checks that raise, in-process -------------------------------------------------------


class _Exploding(str):
    def strip(self, *args: Any) -> str:
        raise RuntimeError("boom")


def test_a_monitoring_check_that_raises_is_its_code_and_the_others_still_run() -> None:
    with override_settings(PORTAL_BASE_URL=_Exploding("https://x"), ALLOWED_HOSTS=["*"]):
        outcome = evaluate(parse_options({"METRICS_MODULE": "tests.metrics_module"}))
    by_code = {f.code: f for f in outcome.findings}
    assert "the check itself crashed (RuntimeError)" in by_code["monitoring.E011"].message
    assert "monitoring.E012" in by_code  # the next check still ran
    assert set(outcome.components) == {"prometheus", "sentry", "logging", "celery", "redis"}


@pytest.fixture
def raising_django_check() -> Iterator[None]:
    def broken(app_configs: Any = None, **kwargs: Any) -> list[Any]:
        raise RuntimeError("boom")

    django_checks.register(broken, "preflight_test")
    yield
    registry.registered_checks.discard(broken)


@pytest.mark.usefixtures("raising_django_check")
def test_a_django_check_that_raises_is_E003_and_the_others_still_run() -> None:
    with override_settings(DEBUG=True):
        findings = run_django_checks(deploy=True, exclude_tags=["monitoring"])
    crashed = [f for f in findings if f.code == "preflight.E003"]
    assert len(crashed) == 1 and "broken raised RuntimeError" in crashed[0].message
    assert "security.W018" in {f.code for f in findings}  # DEBUG=True, from a later check
