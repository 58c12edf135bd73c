"""The app never stands in a developer's way (contract): with `upstream_preflight` installed in
a fresh `django-admin startproject` and nothing else configured, development commands run;
the same checks run in full with `check --deploy`, and in production they stop the commands
as the seed wants. Real `manage.py` processes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def manage(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PREFLIGHT"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def fresh_project(tmp_path: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "django", "startproject", "mysite", str(tmp_path)],
        check=True,
        timeout=60,
    )
    settings = tmp_path / "mysite" / "settings.py"
    text = settings.read_text(encoding="utf-8")
    text = text.replace("INSTALLED_APPS = [", 'INSTALLED_APPS = [\n    "upstream_preflight",', 1)
    settings.write_text(text, encoding="utf-8")
    return tmp_path


def set_debug(project: Path, debug: bool) -> None:
    settings = project / "mysite" / "settings.py"
    text = re.sub(r"^DEBUG = .*$", f"DEBUG = {debug}", settings.read_text(), flags=re.M)
    text = re.sub(r"^ALLOWED_HOSTS = .*$", 'ALLOWED_HOSTS = ["app.example.net"]', text, flags=re.M)
    settings.write_text(text, encoding="utf-8")


def test_development_commands_run_with_the_app_installed(fresh_project: Path) -> None:
    for args in (("check",), ("migrate", "--noinput"), ("showmigrations",)):
        result = manage(fresh_project, *args)
        assert result.returncode == 0, (args, result.stderr[-2000:])
        assert "monitoring." not in result.stderr


def test_every_check_runs_with_deploy_in_development(fresh_project: Path) -> None:
    result = manage(fresh_project, "check", "--tag", "monitoring", "--deploy")
    assert result.returncode != 0
    assert "monitoring.E001" in result.stderr and "monitoring.E005" in result.stderr
    # Each message once, though every check is registered for both cases.
    assert result.stderr.count("monitoring.E001") == 1


def test_production_refuses_to_start_misconfigured(fresh_project: Path) -> None:
    set_debug(fresh_project, False)
    result = manage(fresh_project, "migrate", "--noinput")
    assert result.returncode != 0
    assert "monitoring.E001" in result.stderr
    deploy = manage(fresh_project, "check", "--deploy")
    assert deploy.stderr.count("monitoring.E001") == 1
