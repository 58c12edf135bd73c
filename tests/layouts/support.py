"""Running the fixture projects of tests/layouts/ as their users do: a private copy, the
project's own `manage.py`, its own Celery app in a real worker, and the real `preflight`.

Nothing here writes into the repository: every project is copied under a temporary directory
first. Every server is on a loopback port and every process is stopped by its pid.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import signal
import site
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.cli_support import REPO, clean_env, json_document
from tests.servers import LOOPBACK, PostgresServer, free_port, stop_pid, wait_for_port

LAYOUTS = Path(__file__).resolve().parent
COPY_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "db.sqlite3", "staticfiles", "logs")


@dataclass(frozen=True)
class Venv:
    """A virtual environment as a deploy has one: it sees the packages the tests run with
    and has its own `preflight` console script."""

    path: Path

    @property
    def python(self) -> str:
        return str(self.path / "bin" / "python")

    @property
    def preflight(self) -> str:
        return str(self.path / "bin" / "preflight")


def site_directories() -> list[str]:
    """The test process's site-packages directories: those of the virtual environment it runs
    in, if any, then the interpreter's own."""
    found = [*site.getsitepackages(), site.getusersitepackages()]
    return [d for d in dict.fromkeys(found) if Path(d).is_dir()]


def make_venv(path: Path, console_script: bool = True) -> Venv:
    """A virtual environment at `path` that sees the test process's packages; with
    `console_script`, the `preflight` script of the package importable here (the checkout
    under test), as pip would have written it.

    `--system-site-packages` would not do when the tests themselves run in a virtual
    environment (as the README's command does): the new one would see the base interpreter's
    packages, not the outer environment's. A .pth file adds the test process's own site
    directories (with their .pth files, which is how an editable install is found)."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    venv = Venv(path)
    inner_site = subprocess.run(
        [venv.python, "-c", "import site; print(site.getsitepackages()[0])"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    lines = [f"import site; site.addsitedir({d!r})" for d in site_directories()]
    (Path(inner_site) / "_preflight_tests_outer_site.pth").write_text("\n".join(lines) + "\n")
    if not console_script:
        return venv
    script = Path(venv.preflight)
    # What pip writes for the `preflight = upstream_preflight.cli:main` entry point.
    script.write_text(
        f"#!{venv.python}\nimport sys\n\nfrom upstream_preflight.cli import main\n\n"
        "sys.exit(main())\n"
    )
    script.chmod(0o755)
    return venv


def project_env(**values: str) -> dict[str, str]:
    """A clean environment in which the package under test is the one of this checkout."""
    return clean_env(PYTHONPATH=str(REPO), **values)


def copy_layout(name: str, destination: Path) -> Path:
    """A private copy of tests/layouts/<name> under `destination`."""
    project = destination / name
    shutil.copytree(LAYOUTS / name, project, ignore=COPY_IGNORE)
    return project


def manage(
    venv: Venv, project: Path, *args: str, env: dict[str, str], timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [venv.python, "manage.py", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_preflight(venv: Venv, project: Path, env: dict[str, str], *args: str) -> dict[str, Any]:
    """`preflight run --strict --deploy --json` (plus `args`) in the project: the document."""
    result = subprocess.run(
        [venv.preflight, "run", "--strict", "--deploy", "--json", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return json_document(result)


def findings(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [f for stage in document["stages"] for f in stage["findings"]]


def codes(document: dict[str, Any], severity: str | None = None) -> set[str]:
    return {f["code"] for f in findings(document) if severity in (None, f["severity"])}


def describe(document: dict[str, Any]) -> str:
    """Every finding, one a line, for assertion messages and the closing note."""
    return (
        "\n".join(f"{f['severity']:7} {f['code']}: {f['message']}" for f in findings(document))
        or "(no finding)"
    )


@dataclass
class ProjectDatabase:
    """A database of its own, owned by a password-protected role of its own."""

    server: PostgresServer
    name: str
    password: str = field(default_factory=lambda: "db-" + secrets.token_hex(10))

    def create(self) -> ProjectDatabase:
        self.server.psql(f"CREATE ROLE \"{self.name}\" LOGIN PASSWORD '{self.password}'")
        self.server.psql(f'CREATE DATABASE "{self.name}" OWNER "{self.name}"')
        return self

    def url(self, password: str | None = None) -> str:
        secret = self.password if password is None else password
        return f"postgres://{self.name}:{secret}@{LOOPBACK}:{self.server.port}/{self.name}"

    def drop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.server.psql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self.server.psql(f'DROP ROLE IF EXISTS "{self.name}"')


@dataclass
class ProjectWorker:
    """`celery -A <the project's app> worker`, run in the project with its settings."""

    venv: Venv
    project: Path
    app: str
    env: dict[str, str]
    name: str = field(default_factory=lambda: f"w{secrets.token_hex(3)}@layouts")
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    def start(self, ready_timeout: float = 60.0) -> ProjectWorker:
        self.log = self.project.parent / f"{self.name.split('@')[0]}.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [
                    self.venv.python,
                    "-m",
                    "celery",
                    "-A",
                    self.app,
                    "worker",
                    "--pool",
                    "solo",
                    "--concurrency",
                    "1",
                    "-n",
                    self.name,
                    "--without-mingle",
                    "--without-gossip",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=self.project,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        self._wait_ready(ready_timeout)
        return self

    def _wait_ready(self, ready_timeout: float) -> None:
        from celery import Celery

        probe = Celery(broker=self.env["CELERY_BROKER_URL"])
        end = time.monotonic() + ready_timeout
        try:
            while time.monotonic() < end:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise RuntimeError(f"worker exited: {self.output()}")
                if any(self.name in answer for answer in probe.control.ping(timeout=1.0)):
                    return
                time.sleep(0.2)
        finally:
            probe.close()
        raise RuntimeError(f"worker did not answer a ping in time: {self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stop_pid(self.process.pid, signal.SIGTERM, wait_s=15)
        self.process = None


@contextlib.contextmanager
def runserver(venv: Venv, project: Path, env: dict[str, str]) -> Iterator[str]:
    """`manage.py runserver --noreload` on a free loopback port: yields its base URL."""
    port = free_port()
    log = project.parent / f"runserver-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [venv.python, "manage.py", "runserver", "--noreload", f"{LOOPBACK}:{port}"],
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        try:
            wait_for_port(port, 60)
        except RuntimeError:
            raise AssertionError(
                f"runserver did not listen (exit {process.poll()}): {log.read_text()[-3000:]}"
            ) from None
        yield f"http://{LOOPBACK}:{port}"
    finally:
        stop_pid(process.pid, signal.SIGTERM)


def get(url: str, headers: dict[str, str] | None = None) -> requests.Response:
    return requests.get(url, headers=headers, timeout=30, allow_redirects=False)
