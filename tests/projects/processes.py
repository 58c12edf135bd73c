"""The example project as real processes: `manage.py` commands and `runserver` on loopback.

Every process gets its environment spelled out here, so the test process's own
DJANGO_SETTINGS_MODULE (tests.settings) never leaks into the example project.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.cli_support import SOURCE
from tests.servers import LOOPBACK, free_port, stop_pid, wait_for_port

EXAMPLE = Path(__file__).resolve().parent.parent.parent / "example"
LOOPBACK_DSN = "http://0123456789abcdef@127.0.0.1:9/1"  # port 9: nothing listens
# SECURE_SSL_REDIRECT is on in production; the load balancer says the request was https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def example_env(tmp: Path, settings: str = "upstream.settings.prod", **values: str) -> dict:
    """The example project's environment: SQLite and logs under `tmp`, `values` on top."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH"} and not key.startswith("CELERY_")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "LOG_DIR": str(tmp),
            "ALLOWED_HOSTS": "app.upstream.cx,127.0.0.1",
            "PORTAL_BASE_URL": "https://app.upstream.cx",
            "SENTRY_DSN": "",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(SOURCE),  # the package under test, not whatever is installed
        }
    )
    env.update(values)
    return env


def manage(env: dict, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=EXAMPLE,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def validate_json(env: dict, *args: str) -> tuple[int, dict[str, Any]]:
    result = manage(env, "validate_monitoring", "--json", *args)
    assert result.stdout.strip(), result.stderr
    return result.returncode, json.loads(result.stdout)


@dataclass
class Site:
    port: int
    log: Path

    @property
    def status_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/api/monitoring/status/"


@contextmanager
def runserver(env: dict, log: Path, *extra: str) -> Iterator[Site]:
    """`manage.py runserver --noreload` on a free loopback port, stopped by its pid."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", *extra, f"{LOOPBACK}:{port}"],
            cwd=EXAMPLE,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        try:
            wait_for_port(port, 30)
        except RuntimeError:
            raise RuntimeError(f"runserver did not start:\n{log.read_text()}") from None
        yield Site(port, log)
    finally:
        stop_pid(process.pid)
