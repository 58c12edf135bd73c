"""What a user sees in the real `preflight` output: facts shown as facts, verdicts as verdicts,
no line that contradicts another, the same document for identical runs, and where the
settings module came from in every format."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import django
import pytest

from tests.cli_support import (
    REPO,
    assert_clean,
    clean_env,
    codes_in,
    copy_example,
    json_document,
)
from tests.cli_support import preflight as run_preflight
from upstream_preflight.findings import Report, StageResult, StageStatus
from upstream_preflight.render.plain import verdict_lines
from upstream_preflight.stages import STAGE_IDS

STATUS_MARKS = ("✓", "!", "✗", "○")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("facts"))


def this_checkout(**values: str) -> dict[str, str]:
    """The clean environment, running the code of this checkout (whatever is installed)."""
    return clean_env(PYTHONPATH=str(REPO), **values)


def preflight(*args: str, cwd: Path, **values: str) -> subprocess.CompletedProcess[str]:
    result = run_preflight(*args, cwd=cwd, env=this_checkout(**values))
    assert_clean(result)
    return result


def stage_lines(text: str, title: str) -> list[str]:
    """The lines under `▶ title` up to and including the stage's status line."""
    lines = text.splitlines()
    start = lines.index(f"▶ {title}") + 2
    end = next(i for i in range(start, len(lines)) if lines[i][:1] in STATUS_MARKS)
    return lines[start : end + 1]


def without_timings(document: dict[str, Any]) -> str:
    for stage in document["stages"]:
        stage.pop("duration_ms")
    return re.sub(r"\b\d+ ms\b", "N ms", json.dumps(document, indent=1, sort_keys=True))


# --- facts and verdicts ----------------------------------------------------------------------


def test_notes_are_facts_without_a_pass_mark(project: Path) -> None:
    result = preflight("run", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    security = stage_lines(result.stdout, "Security Configuration")
    assert "· DEBUG disabled" in security
    assert security[-1].startswith("✓ passed")  # the stage's verdict keeps its mark
    for title in ("Python Environment", "Database Connectivity", "Metrics Endpoint"):
        body = stage_lines(result.stdout, title)[:-1]
        assert body and not any(line.startswith("✓") for line in body), body


def test_a_pass_with_warnings_is_not_ready_to_deploy(project: Path) -> None:
    result = preflight("run", cwd=project, VIRTUAL_ENV="/venv")  # no W101, in a venv or not
    summary = result.stdout[result.stdout.index("Summary") :]
    assert "Warnings: 2" in summary
    assert "Ready to deploy" not in result.stdout
    assert "✓ All pre-deployment checks PASSED" not in result.stdout
    assert "! Pre-deployment checks PASSED with 2 warnings; monitoring degraded: sentry" in summary
    assert "Review the warnings above and unhealthy components before deploying." in summary


def test_a_clean_run_is_ready_to_deploy(project: Path) -> None:
    result = preflight("run", "--only", "django,database", cwd=project)
    assert "✓ All selected pre-deployment checks PASSED" in result.stdout
    assert "Ready to deploy" not in result.stdout  # only some stages ran


def test_identical_runs_give_identical_documents(project: Path) -> None:
    """The metrics stage once counted the tool's own health gauges only when the concurrent
    monitoring stage had registered them first (20 or 24 families, run by run)."""
    documents = [without_timings(json_document(preflight("run", "--json", cwd=project)))]
    for _ in range(2):
        again = without_timings(json_document(preflight("run", "--json", cwd=project)))
        assert again == documents[0]
    assert "Registry renders" in documents[0]


# --- where the settings module came from ------------------------------------------------------


def test_settings_source_manage_py_environment_and_flag(project: Path) -> None:
    result = preflight("run", "--only", "python", cwd=project)
    assert "Settings: upstream.settings.local (from manage.py)" in result.stdout
    document = json_document(preflight("run", "--only", "python", "--json", cwd=project))
    assert document["settings_source"] == "manage.py"

    env_var = preflight(
        "run",
        "--only",
        "python",
        "--json",
        cwd=project,
        DJANGO_SETTINGS_MODULE="upstream.settings.local",
    )
    assert json_document(env_var)["settings_source"] == "DJANGO_SETTINGS_MODULE"
    assert "Settings: upstream.settings.local (from DJANGO_SETTINGS_MODULE)" in env_var.stderr

    flag = preflight(
        "run", "--only", "python", "--settings", "upstream.settings.local", "--json", cwd=project
    )
    assert json_document(flag)["settings_source"] == "--settings"


def test_settings_source_env_file_warns_and_shows_in_every_format(
    project: Path, tmp_path: Path
) -> None:
    staging = project / "upstream" / "settings" / "staging.py"
    staging.write_text("from upstream.settings.local import *  # noqa: F403\n")
    env_file = tmp_path / "deploy.env"
    env_file.write_text(
        (project / ".env").read_text() + "DJANGO_SETTINGS_MODULE=upstream.settings.staging\n"
    )
    junit, sarif = tmp_path / "report.xml", tmp_path / "report.sarif"
    result = preflight(
        "run", "--only", "python,env", "--env-file", str(env_file),
        "--output", str(junit), "--output", str(sarif), cwd=project,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout
    assert "Settings: upstream.settings.staging (from env file deploy.env)" in result.stdout
    env_stage = "\n".join(stage_lines(result.stdout, "Environment Variables"))
    assert (
        "! preflight.W002: Settings module selected by the env file: "
        "DJANGO_SETTINGS_MODULE=upstream.settings.staging in deploy.env "
        "(manage.py names upstream.settings.local)"
    ) in env_stage
    properties = {p.get("name"): p.get("value") for p in ET.parse(junit).getroot().iter("property")}
    assert properties["settings_source"] == "env file deploy.env"
    run = json.loads(sarif.read_text())["runs"][0]
    assert run["properties"]["settingsSource"] == "env file deploy.env"

    strict = preflight(
        "run", "--only", "python,env", "--env-file", str(env_file), "--strict", "--json",
        cwd=project, VIRTUAL_ENV="/venv",
    )  # fmt: skip
    document = json_document(strict)
    assert document["settings_source"] == "env file deploy.env"
    assert codes_in(document) == {"preflight.W002"}  # production: W003 speaks for Sentry
    assert strict.returncode == 2  # W002 is a warning: --strict fails on it


def test_an_env_file_that_agrees_with_the_environment_is_silent(
    project: Path, tmp_path: Path
) -> None:
    env_file = tmp_path / "deploy.env"
    env_file.write_text(
        (project / ".env").read_text() + "DJANGO_SETTINGS_MODULE=upstream.settings.prod\n"
    )
    result = preflight(
        "run", "--only", "env", "--env-file", str(env_file), "--json", cwd=project,
        DJANGO_SETTINGS_MODULE="upstream.settings.local",
    )  # fmt: skip
    document = json_document(result)
    assert document["settings_source"] == "DJANGO_SETTINGS_MODULE"
    assert document["settings_module"] == "upstream.settings.local"  # the environment wins
    assert "preflight.W002" not in result.stdout


def test_no_note_beside_the_finding_that_says_otherwise(project: Path) -> None:
    (project / "upstream" / "settings" / "contradict.py").write_text(
        "from upstream.settings.local import *  # noqa: F403\n"
        'ALLOWED_HOSTS = ["*"]\n'
        'PREFLIGHT = {**PREFLIGHT, "METRICS_MODULE": "upstream.no_such_metrics"}  # noqa: F405\n'
    )
    result = preflight("run", "--settings", "upstream.settings.contradict", cwd=project)
    assert result.returncode == 1
    text = result.stdout
    assert "✗ monitoring.E012" in text and "✗ monitoring.E003" in text
    assert "ALLOWED_HOSTS: *" not in text
    metrics = stage_lines(text, "Metrics Endpoint")
    assert not any("upstream.no_such_metrics" in line for line in metrics), metrics
    assert "· ALLOWED_HOSTS is unsafe (reported by the monitoring stage: monitoring.E012)" in (
        stage_lines(text, "Security Configuration")
    )
    assert "✗ prometheus: unhealthy - Metrics not available - the custom metrics module" in text
    assert "✗ Pre-deployment checks FAILED" in text and "Ready to deploy" not in text


def test_one_python_mismatch_is_one_line(tmp_path: Path) -> None:
    wanted = f"{sys.version_info.major}.{sys.version_info.minor + 1}"
    project = copy_example(tmp_path, prepared=False)
    (project / "pyproject.toml").write_text(f'[project]\nrequires-python = ">={wanted}"\n')
    (project / ".python-version").write_text(f"{wanted}\n")
    (project / "Dockerfile").write_text(f"FROM python:{wanted}-slim AS app\n")
    result = preflight("run", "--only", "python", cwd=project)
    assert result.returncode == 1
    lines = stage_lines(result.stdout, "Python Environment")
    mismatches = [line for line in lines if wanted in line]
    assert len(mismatches) == 1, lines
    assert mismatches[0].startswith("✗ preflight.E102: ")
    assert ".python-version pins" in mismatches[0] and "Dockerfile pins" in mismatches[0]


@pytest.mark.skipif(django.VERSION < (5, 1), reason="Django < 5.1 still reads the setting")
def test_ignored_staticfiles_storage_is_not_shown_without_comment(project: Path) -> None:
    (project / "upstream" / "settings" / "legacy_static.py").write_text(
        "from upstream.settings.local import *  # noqa: F403\n"
        'STATICFILES_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"\n'
    )
    result = preflight(
        "run", "--only", "static", "--settings", "upstream.settings.legacy_static", cwd=project
    )
    lines = stage_lines(result.stdout, "Static Files")
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert lines[0] == f"· Storage: {plain} (the one Django uses; STATICFILES_STORAGE is ignored)"
    assert any(
        line.startswith("! preflight.W401: STATICFILES_STORAGE is set but Django ignores it: ")
        and "whitenoise.storage.CompressedManifestStaticFilesStorage" in line
        for line in lines
    ), lines
    assert "preflight.E403" not in result.stdout


def test_a_secret_key_generated_per_process_is_found(project: Path) -> None:
    (project / "upstream" / "settings" / "random_key.py").write_text(
        "import os\n"
        "from django.core.management.utils import get_random_secret_key\n"
        "from upstream.settings.local import *  # noqa: F403\n"
        'SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or get_random_secret_key()\n'
    )
    args = ("run", "--only", "security", "--settings", "upstream.settings.random_key")
    result = preflight(*args, cwd=project)
    assert result.returncode == 1
    security = stage_lines(result.stdout, "Security Configuration")
    assert (
        "✗ preflight.E703: SECRET_KEY differs between processes: importing "
        "upstream.settings.random_key again gave another SECRET_KEY"
    ) in security
    assert "· Custom SECRET_KEY configured" not in security

    key = "stable-" + "x1y2z3" * 10
    fixed = preflight(*args, "--json", cwd=project, DJANGO_SECRET_KEY=key)
    document = json_document(fixed)
    assert fixed.returncode == 0 and codes_in(document) == set()
    security = next(s for s in document["stages"] if s["id"] == "security")
    assert "SECRET_KEY is the same in a new process" in security["notes"]
    assert key not in fixed.stdout + fixed.stderr


# --- the verdict, for every combination a run can end in (pure logic) ------------------------


def full_report(warnings: int = 0, **components: dict[str, Any]) -> Report:
    from upstream_preflight import catalogue

    stages = [StageResult(sid, sid, StageStatus.PASSED) for sid in STAGE_IDS]
    stages[0].findings = [catalogue.finding("preflight.W101") for _ in range(warnings)]
    status = "healthy"
    if any(not c["healthy"] and c.get("critical") for c in components.values()):
        status = "unhealthy"
    elif any(not c["healthy"] for c in components.values()):
        status = "degraded"
    shown = {
        name: {k: v for k, v in c.items() if k != "critical"} for name, c in components.items()
    }
    return Report(stages=stages, components=shown, overall_status=status)


def test_ready_to_deploy_only_when_nothing_is_outstanding() -> None:
    healthy = {"healthy": True, "message": "ok"}
    assert verdict_lines(full_report(redis=healthy)) == [
        "✓ All pre-deployment checks PASSED",
        "Ready to deploy to production.",
    ]
    assert verdict_lines(full_report(2, redis=healthy)) == [
        "! Pre-deployment checks PASSED with 2 warnings",
        "Review the warnings above before deploying.",
    ]
    sentry_down = {"healthy": False, "message": "no DSN"}
    assert verdict_lines(full_report(sentry=sentry_down)) == [
        "! Pre-deployment checks PASSED with monitoring degraded: sentry",
        "Review the unhealthy components before deploying.",
    ]
    not_counted = {"healthy": False, "message": "no DSN", "enabled": False}
    assert verdict_lines(full_report(sentry=not_counted))[1] == "Ready to deploy to production."
    cache_down = {"healthy": False, "message": "fails a round trip", "critical": True}
    unhealthy = verdict_lines(full_report(1, redis=cache_down))
    assert unhealthy == [
        "! Pre-deployment checks PASSED with 1 warning; monitoring unhealthy: redis",
        "Do not deploy until every critical component is healthy.",
    ]
