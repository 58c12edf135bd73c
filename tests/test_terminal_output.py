"""What a person at a terminal sees: help on narrow terminals, `explain` for Django's own
codes, `--json` on a terminal, and NO_COLOR. Real `preflight` processes; terminals are real
pseudo-terminals (pty)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.cli_support import PREFLIGHT, REPO, assert_clean, copy_example, preflight, read_terminal
from tests.cli_support import clean_env as _clean_env

RUN_OPTIONS = (
    "--settings", "--pythonpath", "--env-file", "--project-dir", "--strict", "--no-strict",
    "--deploy", "--no-deploy", "--json", "--format", "--output", "--only", "--skip", "--ignore",
    "--timeout", "--no-color", "--quiet", "--help",
)  # fmt: skip
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9;]*)?m")
HIDE_CURSOR = "\x1b[?25l"  # a live display takes the cursor while it runs


def clean_env(**values: str) -> dict[str, str]:
    """The CLI tests' environment, running this checkout's code whatever is installed."""
    return _clean_env(**values) | {"PYTHONPATH": str(REPO)}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("terminal"), prepared=False)


@pytest.mark.parametrize("columns", [60, 40])
def test_run_help_on_a_narrow_terminal_keeps_every_option_whole(columns: int) -> None:
    result = preflight("run", "--help", cwd=REPO, env=clean_env(COLUMNS=str(columns)))
    assert result.returncode == 0, result.stderr
    assert_clean(result)
    lines = result.stdout.splitlines()
    assert "…" not in result.stdout
    words = set(re.findall(r"--[a-z-]+", result.stdout))
    assert set(RUN_OPTIONS) <= words
    assert all(len(line) <= columns for line in lines), [ln for ln in lines if len(ln) > columns]
    at = lines.index(next(line for line in lines if line.strip().startswith("--ignore")))
    description = lines[at + 1 : at + 4]  # wrapped over several lines, each indented
    assert len([ln for ln in description if ln.startswith("      ")]) >= (2 if columns == 40 else 1)
    assert "Silence a code in every stage" in " ".join(ln.strip() for ln in description)


def test_wide_help_is_unchanged() -> None:
    result = preflight("run", "--help", cwd=REPO, env=clean_env(COLUMNS="100"))
    assert result.returncode == 0 and "╭─ Options" in result.stdout and "…" not in result.stdout


@pytest.mark.parametrize("code", ["security.W012", "security.w004", "models.E001"])
def test_explain_knows_djangos_own_codes(code: str) -> None:
    result = preflight("explain", code, cwd=REPO, env=clean_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(code.replace("w", "W"))
    assert "a check of Django itself" in result.stdout
    assert "https://docs.djangoproject.com/en/stable/ref/checks/#" in result.stdout


def test_explain_still_rejects_unknown_codes() -> None:
    result = preflight("explain", "security.W999", cwd=REPO, env=clean_env())
    assert result.returncode == 64 and "unknown code" in result.stderr


def test_every_deployment_check_of_the_installed_django_is_explained() -> None:
    """The ids `run --deploy` can print come from Django's security checks: each is in the
    table built from Django's check reference."""
    import django.core.checks.security.base as base
    import django.core.checks.security.csrf as csrf
    import django.core.checks.security.sessions as sessions
    from django.core.checks import CheckMessage

    from upstream_preflight.catalogue import django_codes

    ids = {
        value.id
        for module in (base, csrf, sessions)
        for value in vars(module).values()
        if isinstance(value, CheckMessage) and value.id
    }
    assert len(ids) > 20
    assert sorted(i for i in ids if django_codes.get(i) is None) == []


def run_with_pty(
    args: list[str], cwd: Path, env: dict[str, str], *, stream: str
) -> tuple[int, str, str]:
    """Run preflight with `stream` ("stdout" or "stderr") on a pseudo-terminal and the other
    captured; returns the status, what the terminal showed, and the captured stream."""
    import pty

    controller, terminal = pty.openpty()
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, stream: terminal}
    process = subprocess.Popen(
        [PREFLIGHT, *args], cwd=cwd, env=env, stdout=streams["stdout"], stderr=streams["stderr"]
    )
    os.close(terminal)
    shown = read_terminal(controller)
    other = process.stderr if stream == "stdout" else process.stdout
    assert other is not None
    captured = other.read().decode("utf-8", "replace")
    return process.wait(timeout=60), shown, captured


def test_json_on_a_terminal_shows_only_the_live_progress(project: Path) -> None:
    env = {k: v for k, v in clean_env(TERM="xterm").items() if k != "NO_COLOR"}
    args = ["run", "--only", "python,env,security", "--json"]
    status, shown, stdout = run_with_pty(args, project, env, stream="stderr")
    document = json.loads(stdout)
    assert document["exit_code"] == status
    assert HIDE_CURSOR in shown  # live
    for title in ("Python Environment", "Environment Variables", "Security Configuration"):
        assert title in shown
    for human in ("Upstream Pre-Deployment Checks", "Summary", "Fix:", "Errors:", "PASSED"):
        assert human not in shown, human
    assert "preflight.W101" not in shown  # findings are in the JSON document only


def test_no_color_drops_colour_but_keeps_the_live_progress(project: Path) -> None:
    env = {k: v for k, v in clean_env(TERM="xterm").items() if k != "NO_COLOR"}
    args = ["run", "--only", "python,security"]
    _, coloured, _ = run_with_pty(args, project, env, stream="stdout")
    assert COLOUR.search(coloured) and HIDE_CURSOR in coloured
    status, shown, _ = run_with_pty(args, project, env | {"NO_COLOR": "1"}, stream="stdout")
    assert status in (0, 2)
    assert not COLOUR.search(shown)
    assert HIDE_CURSOR in shown and "Security Configuration" in shown
    assert "▶ Security Configuration" not in shown  # not the plain renderer
    _, plain, _ = run_with_pty([*args, "--no-color"], project, env, stream="stdout")
    assert "\x1b[" not in plain and "▶ Security Configuration" in plain  # --no-color: plain
