"""The real `preflight` process, for the CLI tests: a private copy of the example project,
a clean environment, and a JSON reader that validates every document against the schema."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema

import upstream_preflight
from upstream_preflight.render.json_report import load_schema
from upstream_preflight.stages import STAGE_IDS

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "example"
SHIM = REPO / "scripts" / "pre_deploy_check.sh"
PREFLIGHT = shutil.which("preflight") or "preflight"
VALIDATOR = jsonschema.Draft202012Validator(load_schema())
# The tree this test process imports the package from: child processes import the same one
# (a checkout under test, not whatever happens to be installed).
SOURCE = Path(upstream_preflight.__file__).resolve().parent.parent

# A process started in the background by a shell without job control (as CI runners may start
# the tests) inherits SIGINT ignored, and so would every `preflight` it starts: Ctrl-C could not
# be tested. This resets SIGINT to its default and then becomes the command (same pid).
_DEFAULT_SIGINT = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
    "os.execvp(sys.argv[1], sys.argv[1:])"
)


def with_default_sigint(argv: list[str]) -> list[str]:
    """`argv`, run with SIGINT at its default disposition whatever this process inherited."""
    return [sys.executable, "-c", _DEFAULT_SIGINT, *argv]


def clean_env(**values: str) -> dict[str, str]:
    """The test process's environment without anything that would steer the target, plus
    NO_COLOR and a fixed width."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "SENTRY_DSN", "REDIS_URL"}
        and not key.startswith("CELERY_")
    }
    env.update({"NO_COLOR": "1", "COLUMNS": "120", "PYTHONUNBUFFERED": "1"})
    env["PYTHONPATH"] = str(SOURCE)
    env.update(values)
    return env


def copy_example(destination: Path, prepared: bool = True) -> Path:
    """A copy of example/ under `destination`; with `prepared`, migrated and collected."""
    project = destination / "example"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("db.sqlite3", "staticfiles"))
    if prepared:
        env = clean_env(DJANGO_SETTINGS_MODULE="upstream.settings.local")
        for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=project,
                env=env,
                check=True,
                capture_output=True,
                timeout=120,
            )
    return project


def preflight(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PREFLIGHT, *args],
        cwd=cwd,
        env=env if env is not None else clean_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def json_document(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """stdout must be exactly one JSON document that matches the schema and the status."""
    document: dict[str, Any] = json.loads(result.stdout)
    VALIDATOR.validate(document)
    assert document["exit_code"] == result.returncode, result.stderr
    return document


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    """No traceback, no escape code, in either stream."""
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream
        assert "\x1b[" not in stream, stream


def stage_ids(document: dict[str, Any]) -> list[str]:
    """Ids of the stages the run selected (every report lists all nine; the others are
    skipped as "not selected")."""
    assert [stage["id"] for stage in document["stages"]] == list(STAGE_IDS)
    return [s["id"] for s in document["stages"] if s.get("skip_reason") != "not selected"]


def stage_by_id(document: dict[str, Any], stage_id: str) -> dict[str, Any]:
    return next(stage for stage in document["stages"] if stage["id"] == stage_id)


def codes_in(document: dict[str, Any]) -> set[str]:
    return {f["code"] for stage in document["stages"] for f in stage["findings"]}


def read_terminal(controller: int) -> str:
    """Everything a process wrote to the pty whose controlling side is `controller`, until
    it closed the terminal; closes `controller`."""
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the process closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")
