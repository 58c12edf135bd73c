"""Every supported version: Python 3.11, 3.12 and 3.13 against Django 4.2, 5.2 and 6.1, where
Django supports that Python (4.2 ends at 3.12; 6.x needs 3.12), each with the newest Celery,
redis-py, sentry-sdk and Typer.

    nox -s compat          # the tests that touch Django, Celery and the CLI (`-m compat`),
                           # on every combination but the one the whole suite runs on
    nox -s full            # the whole suite on that one: Python 3.11, Django 5.2
    nox -l                 # the sessions

The whole suite runs on one combination (`scripts/test.sh`, the README's command, which CI
runs first); the `compat` sessions run the tests marked `compat` on the others. The servers
the tests start (redis-server, PostgreSQL 15) must be installed: scripts/test.sh installs them.
Interpreters are found on PATH or through pyenv (`python3.12`, ~/.pyenv/versions/3.12.*);
nothing is downloaded. Environments are made with uv when it is installed (it is in the
`test` extra), else with virtualenv.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.download_python = "never"
nox.options.sessions = ["compat"]
nox.options.error_on_missing_interpreters = True

DJANGO = {"4.2": "Django>=4.2,<4.3", "5.2": "Django>=5.2,<5.3", "6.1": "Django>=6.1,<6.2"}
SUPPORTED = {"4.2": ("3.11", "3.12"), "5.2": ("3.11", "3.12", "3.13"), "6.1": ("3.12", "3.13")}
FULL = ("3.11", "5.2")
"""The combination the whole suite runs on (the README's command on this project's CI)."""


def find_python(version: str) -> str:
    """An interpreter of `version`: `pythonX.Y` on PATH when it runs (a pyenv shim of a version
    that is not activated does not), else pyenv's newest X.Y.*, else the bare version for nox
    to look for."""
    on_path = shutil.which(f"python{version}")
    candidates = [on_path] if on_path else []
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = sorted(root.glob(f"{version}.*/bin/python{version}"), key=_version_key, reverse=True)
    candidates += [str(path) for path in found]
    for candidate in candidates:
        probe = subprocess.run(
            [candidate, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
        )
        if probe.returncode == 0 and probe.stdout.strip() == version:
            return candidate
    return version


def _version_key(path: Path) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", path.parent.parent.name))


COMBINATIONS = [
    (python, django)
    for django, pythons in SUPPORTED.items()
    for python in pythons
    if (python, django) != FULL
]


def install(session: nox.Session, django: str) -> None:
    session.install("-e", ".[test]", DJANGO[django])
    session.run("python", "-m", "django", "--version")


@nox.session
@nox.parametrize(
    ("python", "django"),
    [
        nox.param(find_python(python), django, id=f"py{python}-django{django}")
        for python, django in COMBINATIONS
    ],
)
def compat(session: nox.Session, django: str) -> None:
    """The tests marked `compat` (Django, Celery, the CLI) on one combination."""
    install(session, django)
    session.run("python", "-m", "pytest", "-n", "2", "-q", "-m", "compat", *session.posargs)


@nox.session(python=find_python(FULL[0]))
def full(session: nox.Session) -> None:
    """The whole suite on the main combination."""
    install(session, FULL[1])
    session.run("ruff", "check", ".")
    session.run("python", "-m", "pytest", "-n", "2", "-q", *session.posargs)
