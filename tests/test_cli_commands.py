"""`preflight explain`, `codes`, `--version`, `--help`, tab completion and colour choice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.cli_support import (
    PREFLIGHT,
    REPO,
    assert_clean,
    clean_env,
    copy_example,
    preflight,
    read_terminal,
)
from upstream_preflight import catalogue
from upstream_preflight.cli import app, complete_codes, complete_stages
from upstream_preflight.stages import STAGE_IDS

HEAVY = ("django", "celery", "kombu", "sentry_sdk", "prometheus_client", "redis")
runner = CliRunner()


def test_explain_prints_the_catalogue_entry() -> None:
    result = runner.invoke(app, ["explain", "monitoring.e006"], env={"NO_COLOR": "1"})
    assert result.exit_code == 0
    entry = catalogue.get("monitoring.E006")
    for text in (entry.code, entry.title, entry.checks, entry.impact, entry.generic_fix):
        assert text in result.output
    for heading in ("What it checks:", "Why it matters:", "How to fix:"):
        assert heading in result.output


def test_explain_accepts_the_short_form() -> None:
    result = runner.invoke(app, ["explain", "W007"])
    assert result.exit_code == 0
    assert result.output.startswith("monitoring.W007 (warning, stage: monitoring)")


def test_unknown_code_exits_64_with_close_matches() -> None:
    result = preflight("explain", "monitoring.E0066", cwd=REPO)
    assert_clean(result)
    assert result.returncode == 64
    assert "unknown code 'monitoring.E0066'" in result.stderr
    assert "Did you mean: monitoring.E006" in result.stderr
    assert result.stdout == ""


def test_codes_lists_every_code() -> None:
    result = runner.invoke(app, ["codes"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(catalogue.CATALOGUE)
    assert any(line.split()[:3] == ["preflight.E001", "error", "django"] for line in lines)


def test_codes_json() -> None:
    result = runner.invoke(app, ["codes", "--json"])
    assert result.exit_code == 0
    items = json.loads(result.output)
    assert {item["code"] for item in items} == set(catalogue.CATALOGUE)
    w003 = next(item for item in items if item["code"] == "monitoring.W003")
    assert w003["severity"] == "warning" and w003["fix"] == catalogue.get("W003").fix


def test_version_comes_from_package_metadata() -> None:
    result = preflight("--version", cwd=REPO)
    assert result.returncode == 0
    assert result.stdout.strip() == f"upstream-preflight {version('upstream-preflight')}"


def test_no_command_shows_help_and_exits_64() -> None:
    result = preflight(cwd=REPO)
    assert result.returncode == 64
    assert "run" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["run", "--help"],
        ["explain", "--help"],
    ],
)
def test_help_imports_nothing_heavy(argv: list[str]) -> None:
    script = (
        "import sys\n"
        "from upstream_preflight.cli import app\n"
        f"code = app({argv!r}, standalone_mode=False, prog_name='preflight')\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=clean_env(), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_completion_imports_nothing_heavy_and_completes_stage_ids() -> None:
    script = (
        "import sys\n"
        "from upstream_preflight.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print('LOADED', loaded, file=sys.stderr)\n"
    )
    env = clean_env(
        _PREFLIGHT_COMPLETE="complete_bash",
        COMP_WORDS="preflight run --only python,mo",
        COMP_CWORD="3",
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert "LOADED []" in result.stderr
    assert result.stdout.split() == ["python,monitoring"]


def test_completion_functions() -> None:
    assert complete_stages("") == list(STAGE_IDS)
    assert complete_stages("d") == ["django", "database"]
    assert complete_stages("python,env,") == [
        f"python,env,{sid}" for sid in STAGE_IDS if sid not in ("python", "env")
    ]
    warnings = [c.code for c in catalogue.all_codes() if c.code.startswith("monitoring.W00")]
    assert "monitoring.W007" in warnings
    assert complete_codes("monitoring.W00") == warnings
    assert "preflight.E301" in complete_codes("PREFLIGHT.E3")
    assert "monitoring.E013" in complete_codes("e01")
    assert "monitoring.E001" not in complete_codes("e01")


def test_committed_completions_are_fresh() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_completions.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_stale_completions_are_detected(tmp_path: Path) -> None:
    gen = [sys.executable, str(REPO / "scripts" / "gen_completions.py"), "--dir", str(tmp_path)]
    assert subprocess.run(gen, capture_output=True, timeout=120).returncode == 0
    (tmp_path / "preflight.zsh").write_text("# edited by hand\n")
    stale = subprocess.run([*gen, "--check"], capture_output=True, text=True, timeout=120)
    assert stale.returncode == 1 and "preflight.zsh" in stale.stderr


@pytest.fixture(scope="module")
def light_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_example(tmp_path_factory.mktemp("tty"), prepared=False)


def run_on_tty(args: list[str], cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """Run preflight with stdout on a pseudo-terminal; return the status and what it showed."""
    import pty

    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [PREFLIGHT, *args], cwd=cwd, env=env, stdout=terminal, stderr=subprocess.PIPE
    )
    os.close(terminal)
    shown = read_terminal(controller)
    return process.wait(timeout=60), shown


def test_terminal_gets_colour_unless_no_color(light_project: Path) -> None:
    env = {k: v for k, v in clean_env(TERM="xterm").items() if k != "NO_COLOR"}
    args = ["run", "--only", "python,security"]
    status, shown = run_on_tty(args, light_project, env)
    assert status in (0, 2)
    assert "\x1b[" in shown and "Security Configuration" in shown
    status, shown = run_on_tty([*args, "--no-color"], light_project, env)
    assert "\x1b[" not in shown
    assert "▶ Security Configuration" in shown
    # NO_COLOR drops the colour, not the live display: see tests/test_terminal_output.py.
    status, shown = run_on_tty(args, light_project, {**env, "NO_COLOR": "1"})
    assert "\x1b[3" not in shown and "Security Configuration" in shown
