"""A target that leaves a non-daemon thread running must not keep `preflight` alive after its
report (a CI job would hang until its own timeout). The real `preflight` process, bounded by
the subprocess timeout."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.cli_support import REPO, assert_clean, clean_env, json_document, preflight

SETTINGS = """
import threading

# What a settings module that starts a scheduler or a client's background loop does.
threading.Thread(target=threading.Event().wait, name="never-ends", daemon=False).start()

SECRET_KEY = "left-threads-" + "x" * 40
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
DATABASES = {}
"""


@pytest.mark.parametrize("machine", [True, False], ids=["json", "text"])
def test_a_thread_the_settings_leave_running_does_not_keep_preflight_alive(
    tmp_path: Path, machine: bool
) -> None:
    (tmp_path / "left_thread_settings.py").write_text(SETTINGS)
    report = tmp_path / "report.xml"
    args = ["run", "--only", "django", "--settings", "left_thread_settings"]
    args += ["--json"] if machine else []
    try:
        result = preflight(
            *args,
            "--output",
            f"junit:{report}",
            cwd=tmp_path,
            env=clean_env(PYTHONPATH=str(REPO)),
            timeout=90,
        )
    except subprocess.TimeoutExpired:  # killed by subprocess.run
        pytest.fail("preflight did not exit after its report: it waited for the thread")
    assert_clean(result)
    assert result.returncode in (0, 1, 2), result.stderr
    if machine:
        assert json_document(result)["stages"]
    else:
        assert "pre-deployment checks PASSED" in result.stdout
    assert "<testsuites" in report.read_text()  # every report is written before the exit
