"""Faults of the invocation and the environment, on the real `preflight` process: timeouts
past the maximum, a report that cannot be written to stdout, a report folder that does not
exist (items 11, 12 and 18 of issue 12)."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_support import (
    PREFLIGHT,
    VALIDATOR,
    assert_clean,
    clean_env,
    copy_example,
    preflight,
)
from upstream_preflight.options import MAX_TIMEOUT_SECONDS, OptionError, parse_options

QUICK = ("run", "--only", "python")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("faults"), prepared=False)


# --- item 11: --timeout past the maximum --------------------------------------------------


@pytest.mark.parametrize("value", ["1e9", "1e300", "inf", "nan", "601"])
def test_a_timeout_past_the_maximum_is_a_usage_error(project: Path, value: str) -> None:
    """No run with a timeout that overflows a client library (false E301/E009/E501)."""
    result = preflight("run", "--json", "--timeout", value, cwd=project)
    assert result.returncode == 64, result.stderr
    assert result.stdout == ""
    assert "--timeout" in result.stderr
    if value not in ("inf", "nan"):
        assert f"at most {MAX_TIMEOUT_SECONDS:g} seconds" in result.stderr
    assert_clean(result)


def test_the_maximum_timeout_itself_is_accepted(project: Path) -> None:
    result = preflight(*QUICK, "--timeout", f"{MAX_TIMEOUT_SECONDS:g}", "--json", cwd=project)
    assert result.returncode in (0, 1), result.stderr
    assert json.loads(result.stdout)["stages"][0]["id"] == "python"


def test_a_timeout_past_the_maximum_in_pyproject_is_a_usage_error(tmp_path: Path) -> None:
    project = copy_example(tmp_path, prepared=False)
    (project / "pyproject.toml").write_text("[tool.preflight]\ntimeout = 1e9\n")
    result = preflight(*QUICK, cwd=project)
    assert result.returncode == 64, result.stderr
    assert "timeout" in result.stderr and f"at most {MAX_TIMEOUT_SECONDS:g}" in result.stderr
    assert_clean(result)


@pytest.mark.parametrize("value", [1e9, 1e300, MAX_TIMEOUT_SECONDS + 1])
def test_a_preflight_timeout_past_the_maximum_is_an_option_error(value: float) -> None:
    """PREFLIGHT['TIMEOUT'] in settings: preflight.E004 naming the key, defaults used."""
    with pytest.raises(OptionError, match=r"PREFLIGHT\['TIMEOUT'\] must be at most 600"):
        parse_options({"TIMEOUT": value})
    assert parse_options({"TIMEOUT": MAX_TIMEOUT_SECONDS}).timeout == MAX_TIMEOUT_SECONDS


def test_validate_monitoring_refuses_a_timeout_past_the_maximum(project: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "validate_monitoring", "--timeout", "1e300"],
        cwd=project,
        env=clean_env(DJANGO_SETTINGS_MODULE="upstream.settings.local"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 64, result.stderr
    assert "at most 600 seconds" in result.stderr and "Traceback" not in result.stderr


# --- item 12: the report cannot be written to stdout --------------------------------------


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", command], cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("redirect", "reason"),
    [
        ("> /dev/full", "No space left on device"),
        (">&-", "stdout is closed"),
    ],
)
@pytest.mark.parametrize("console", [["--json"], [], ["--format", "sarif"]])
def test_a_report_that_cannot_be_written_exits_74(
    project: Path, tmp_path: Path, console: list[str], redirect: str, reason: str
) -> None:
    """The environment's fault, not a bug: 74 (EX_IOERR) and one line that says so; the
    --output file is still written and carries the same status."""
    report = tmp_path / "r.json"
    argv = [PREFLIGHT, *QUICK, *console, "-o", str(report)]
    result = shell(f"exec {shlex.join(argv)} {redirect}", project)
    assert result.returncode == 74, result.stderr
    lines = [line for line in result.stderr.splitlines() if "could not write" in line]
    assert lines == [f"preflight: could not write the report to stdout: {reason}"]
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    document = json.loads(report.read_text())
    VALIDATOR.validate(document)
    assert document["exit_code"] == 74


# --- item 18: a report folder that does not exist ------------------------------------------


@pytest.mark.parametrize("spec", ["json:{dir}/x.json", "{dir}/x.xml", "sarif:{dir}/deeper/x"])
def test_a_report_folder_that_does_not_exist_is_a_usage_error(
    project: Path, tmp_path: Path, spec: str
) -> None:
    missing = tmp_path / "no" / "such"
    value = spec.format(dir=missing)
    result = preflight(*QUICK, "-o", value, cwd=project)
    assert result.returncode == 64, result.stderr
    folder = Path(value.split(":", 1)[-1]).parent
    assert f"the folder {folder} does not exist" in result.stderr
    assert f"mkdir -p {folder}" in result.stderr
    assert not (tmp_path / "no").exists()  # nothing was created
    assert_clean(result)
