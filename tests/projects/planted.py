"""A copy of the example project with distinctive secrets planted in its environment, and
every entry point run on it as a real process with the tool's own log records captured at
DEBUG (through a `sitecustomize` on PYTHONPATH).

Used by tests/test_secrets_everywhere.py (grep every output for the secrets) and
tests/test_read_only.py (nothing in the target changes).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, quote_plus

import requests

from tests.cli_support import PREFLIGHT, SOURCE, clean_env, copy_example
from tests.projects.processes import PROXY_HEADERS
from tests.servers import LOOPBACK, free_port, stop_pid, wait_for_port

REDIS_PASSWORD = "rds-planted-pw-5b1c"
BROKER_PASSWORD = "br/ok?er#p@ss;planted-9e"  # every character a URL parser trips on
SECRET_KEY = "sk-planted-" + "q7Vx2mN9pL4rT8wZ3cF6hJ1kB5dG0sY" * 2
OLD_SECRET_KEY = "old-sk-planted-Xa91Lq2Zw8Rt4Yu6Io0Pm3Nb7Vc5"  # known from settings only
SENTRY_KEY = "dsnkeyplanted0a1b2c3d4e5f6a7b8c9"
FIELD_ENCRYPTION_KEY = (
    "cGxhbnRlZC1mZXJuZXQta2V5LTMyLWJ5dGVzLWxvbmc="  # b"planted-fernet-key-32-bytes-long"
)
STATUS_TOKEN = "status-token-planted-44f0a7"
WRONG_REDIS_PASSWORD = "wrong-redis-planted-3a"
WRONG_BROKER_PASSWORD = "wr/ong?br#ok@er;planted-7"
WRONG_PG_PASSWORD = "wrong-pg-planted-c2d9"

SITECUSTOMIZE = """
import logging, os, sys
import upstream_preflight  # the tool's logger: NullHandler, no propagation, redaction

_handler = logging.StreamHandler(sys.stderr)
_handler.setFormatter(logging.Formatter("TOOL-LOG %(levelname)s %(message)s"))
_tool = logging.getLogger("upstream_preflight")
_tool.addHandler(_handler)
_tool.setLevel(logging.DEBUG)

if os.environ.get("PLANTED_TOOL_BUG"):
    import upstream_preflight.options as _options

    def _bug(*args, **kwargs):
        raise RuntimeError("tool bug holding " + os.environ["PLANTED_TOOL_BUG"])

    _options.options_or_defaults = _bug
"""

# Settings on top of the example's production settings: the status token, a settings-only
# secret, and a LOGGING that tries to pull the tool's records into the target's handler
# (names our logger, propagates, disables existing loggers).
PLANTED_SETTINGS = '''
import os

from upstream.settings.prod import *  # noqa: F403

if os.environ.get("PLANTED_SETTINGS_RAISE"):
    raise RuntimeError(
        "cannot start with " + os.environ["SECRET_KEY"] + " on " + os.environ["DATABASE_URL"]
        + " and " + os.environ["CELERY_BROKER_URL"]
    )

PREFLIGHT = {**PREFLIGHT, "STATUS_TOKEN": os.environ["STATUS_TOKEN"],
             "TIMEOUT": float(os.environ.get("PLANTED_TIMEOUT", "5"))}
SECRET_KEY_FALLBACKS = [os.environ["OLD_SK"]]
LOGGING = {
    **LOGGING,
    "disable_existing_loggers": True,
    "formatters": {"plain": {"format": "TARGET-HANDLER %(name)s %(message)s"}},
    "loggers": {
        **LOGGING["loggers"],
        "upstream_preflight": {"handlers": ["console"], "level": "DEBUG", "propagate": True},
    },
}


class _Exploding(str):
    """A setting that raises, with secrets in the message, when a check reads it."""

    def strip(self, *args):
        raise RuntimeError(
            "portal check failed with " + os.environ["OLD_SK"] + " and "
            + os.environ["SECRET_KEY"] + " via " + os.environ["REDIS_URL"]
        )


if os.environ.get("PLANTED_CHECK_CRASH"):
    PORTAL_BASE_URL = _Exploding(PORTAL_BASE_URL)
'''


def secret_forms(*secrets: str) -> set[str]:
    """Each secret as written, percent-encoded and form-encoded."""
    return {form for s in secrets for form in (s, quote(s, safe=""), quote_plus(s))}


def redis_url(port: int, password: str, db: int = 0, encode: bool = True) -> str:
    secret = quote(password, safe="") if encode else password
    return f"redis://:{secret}@{LOOPBACK}:{port}/{db}"


def planted_project(destination: Path) -> Path:
    """A migrated, collected copy of the example with the planted settings and the
    sitecustomize that captures the tool's log records."""
    project = copy_example(destination)
    (destination / "logs").mkdir(exist_ok=True)  # LOG_DIR of planted_env (E016 otherwise)
    (project / "upstream" / "settings" / "planted.py").write_text(PLANTED_SETTINGS)
    hooks = destination / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE)
    return project


def planted_env(project: Path, **values: str) -> dict[str, str]:
    """The environment of every process of one case: secrets planted, debug capture on."""
    env = clean_env(
        PYTHONPATH=os.pathsep.join((str(project.parent / "hooks"), str(SOURCE))),
        DJANGO_SETTINGS_MODULE="upstream.settings.planted",
        SECRET_KEY=SECRET_KEY,
        OLD_SK=OLD_SECRET_KEY,
        SENTRY_DSN=f"http://{SENTRY_KEY}@{LOOPBACK}:9/1",
        REAL_DATA_MODE="true",
        FIELD_ENCRYPTION_KEY=FIELD_ENCRYPTION_KEY,
        STATUS_TOKEN=STATUS_TOKEN,
        ALLOWED_HOSTS="app.upstream.cx,127.0.0.1",
        PORTAL_BASE_URL="https://app.upstream.cx",
        LOG_DIR=str(project.parent / "logs"),
        DATABASE_URL=f"sqlite:///{project / 'db.sqlite3'}",
    )
    env.update(values)
    return env


@dataclass
class Output:
    """One process or HTTP exchange: what it was, its status and everything it printed."""

    name: str
    status: int
    text: str


@dataclass
class CaseOutputs:
    outputs: list[Output] = field(default_factory=list)

    def by_name(self, name: str) -> Output:
        return next(o for o in self.outputs if o.name == name)


def _process(name: str, args: list[str], project: Path, env: dict[str, str]) -> Output:
    result = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, timeout=120)
    return Output(name, result.returncode, f"{result.stdout}\n--stderr--\n{result.stderr}")


PREFLIGHT_RUNS = {
    "preflight run": ["run", "--deploy"],
    "preflight run --json": ["run", "--deploy", "--json"],
    "preflight run --quiet": ["run", "--deploy", "--quiet", "--strict"],
}
MANAGE_RUNS = {
    "validate_monitoring": ["validate_monitoring", "--deploy"],
    "validate_monitoring --json": ["validate_monitoring", "--json"],
    "check --tag monitoring --deploy": ["check", "--tag", "monitoring", "--deploy"],
}


@contextmanager
def runserver(project: Path, env: dict[str, str]) -> Iterator[tuple[str, Path]]:
    """`manage.py runserver --noreload` of the copy on a free loopback port; yields the status
    URL and the server's log."""
    port = free_port()
    log = project.parent / f"runserver-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                "--noreload",
                "--skip-checks",
                f"{LOOPBACK}:{port}",
            ],
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, 30)
        yield f"http://{LOOPBACK}:{port}/api/monitoring/status/", log
    finally:
        stop_pid(process.pid)


def status_view(project: Path, env: dict[str, str]) -> list[Output]:
    """The status view over HTTP, anonymous then with the token, plus the server's log."""
    outputs = []
    with runserver(project, env) as (url, log):
        for name, headers in (
            ("status view anonymous", PROXY_HEADERS),
            ("status view with token", {**PROXY_HEADERS, "X-Preflight-Token": STATUS_TOKEN}),
        ):
            response = requests.get(url, headers=headers, timeout=60)
            outputs.append(Output(name, response.status_code, response.text))
    outputs.append(Output("runserver log", 0, log.read_text(errors="replace")))
    return outputs


def run_every_entry_point(
    project: Path,
    env: dict[str, str],
    *,
    django_boots: bool = True,
    view_db_ok: bool = True,
    skip: tuple[str, ...] = (),
) -> CaseOutputs:
    """Every entry point on one configuration, concurrently. With `django_boots` False (the
    settings raise), only `preflight run` is asked: manage.py would print Django's own
    traceback, which is the target's output, not ours. runserver itself refuses to start on
    a database it cannot reach (its migration check), so without `view_db_ok` the view's
    server gets the SQLite copy; the view never touches the database. `skip` leaves out
    processes whose output another one already covers (the --json run prints the text
    report on stderr)."""
    jobs: dict[str, list[str]] = {n: [PREFLIGHT, *a] for n, a in PREFLIGHT_RUNS.items()}
    if django_boots:
        jobs.update({n: [sys.executable, "manage.py", *a] for n, a in MANAGE_RUNS.items()})
    jobs = {name: args for name, args in jobs.items() if name not in skip}
    case = CaseOutputs()
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = [pool.submit(_process, n, a, project, env) for n, a in jobs.items()]
        view_env = (
            env if view_db_ok else {**env, "DATABASE_URL": planted_env(project)["DATABASE_URL"]}
        )
        view_future = pool.submit(status_view, project, view_env) if django_boots else None
        case.outputs.extend(f.result() for f in futures)
        if view_future is not None:
            case.outputs.extend(view_future.result())
    return case
