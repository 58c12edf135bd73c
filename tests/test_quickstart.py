"""docs/quickstart.md, followed literally on a fresh `django-admin startproject mysite`.

The page is parsed, not copied: each `python` block whose first line names a file
(`# mysite/settings.py: add at the end`, `# mysite/metrics.py: new file`) is applied to that
file, and each `bash` block runs in a real bash inside a virtual environment of the project's
own, with real PostgreSQL 15, Redis and a Celery worker of the project's app. The only changes
to what the page says: the checkout's path for `/path/to/upstream-preflight`, pip told to stay
offline, and the addresses and passwords of the test's servers for the values a reader would
replace with theirs. After every step, `manage.py migrate` must still exit 0; the page ends in
`preflight run --strict --deploy` exiting 0.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.cli_support import REPO, clean_env
from tests.layouts.support import ProjectDatabase, ProjectWorker, make_venv
from tests.servers import LOOPBACK, PostgresServer, RedisServer, free_port

PAGE = REPO / "docs" / "quickstart.md"
STEP = re.compile(r"^## (\d+)\. (.+)$", re.M)
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)
EDIT = re.compile(r"^# (?P<path>[\w./]+): (?P<how>add at the end|new file)$")
CHECKOUT_PLACEHOLDER = "/path/to/upstream-preflight"
# Variables bash sets by itself: not part of the environment a step leaves behind.
SHELL_OWN = {"_", "SHLVL", "PWD", "OLDPWD"}


def steps() -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading, [(language, body), ...]) for each `## N.` section, in page order."""
    text = PAGE.read_text(encoding="utf-8")
    heads = list(STEP.finditer(text))
    result = []
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
        blocks = [(m[1], m[2]) for m in BLOCK.finditer(text, head.end(), end)]
        result.append((f"{head[1]}. {head[2]}", blocks))
    return result


def test_the_page_has_what_the_walkthrough_follows() -> None:
    """Fast guard: if the page's shape changes, the slow test below must be updated with it."""
    found = steps()
    assert [heading.split(".")[0] for heading, _ in found] == [
        str(n) for n in range(1, len(found) + 1)
    ]
    bash = [body for _, blocks in found for lang, body in blocks if lang == "bash"]
    python = [body for _, blocks in found for lang, body in blocks if lang == "python"]
    assert any(CHECKOUT_PLACEHOLDER in body for body in bash)
    assert all(EDIT.match(body.splitlines()[0]) for body in python), "name the file edited"
    assert bash[-2].strip() == "preflight run --strict --deploy"
    assert sum(body.strip().startswith("celery ") for body in bash) == 1
    # The page adds the app before anything else, as it promises development never breaks.
    first_edit = next(body for body in python if "INSTALLED_APPS" in body)
    assert python.index(first_edit) == 0 and "upstream_preflight" in first_edit


def checkout_copy(destination: Path) -> Path:
    """What a user clones: enough of this checkout to build and install the package."""
    copy = destination / "upstream-preflight"
    copy.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, copy / name)
    shutil.copytree(REPO / "completions", copy / "completions")  # the wheel's data files
    shutil.copytree(
        REPO / "upstream_preflight",
        copy / "upstream_preflight",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    return copy


def apply_edit(project: Path, body: str) -> None:
    first, _, rest = body.partition("\n")
    match = EDIT.match(first)
    assert match, f"a python block that names no file: {first!r}"
    target = project / match["path"]
    if match["how"] == "new file":
        assert not target.exists(), f"{target} exists already"
        target.write_text(rest)
    else:
        text = target.read_text()
        target.write_text(text + ("" if text.endswith("\n") else "\n") + "\n" + rest)


def run_bash(
    body: str, cwd: Path, env: dict[str, str], envfile: Path
) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
    """The block in `bash -e`, and the environment it leaves (its exports)."""
    script = f"set -e\n{body}\nenv -0 > {envfile}\n"
    result = subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    after = dict(env)
    if result.returncode == 0:
        pairs = envfile.read_text().split("\0")
        after = dict(p.split("=", 1) for p in pairs if "=" in p)
        for name in SHELL_OWN:
            after.pop(name, None)
    return result, after


@pytest.mark.slow
def test_quickstart_read_literally_ends_in_a_passing_gate(
    tmp_path: Path, postgres_server: PostgresServer, own_redis: RedisServer
) -> None:
    venv = make_venv(tmp_path / "venv", console_script=False)
    checkout = checkout_copy(tmp_path)
    database = ProjectDatabase(postgres_server, "mysite").create()
    # The values a reader replaces with theirs: the test's servers, and a Sentry DSN on a
    # closed loopback port (the SDK initialises; nothing leaves this machine).
    servers = {
        "POSTGRES_HOST": LOOPBACK,
        "POSTGRES_PORT": str(postgres_server.port),
        "POSTGRES_DB": database.name,
        "POSTGRES_USER": database.name,
        "POSTGRES_PASSWORD": database.password,
        "REDIS_URL": own_redis.url(0),
        "CELERY_BROKER_URL": own_redis.url(1),
        "SENTRY_DSN": f"http://{secrets.token_hex(16)}@{LOOPBACK}:{free_port()}/1",
    }
    env = clean_env(VIRTUAL_ENV=str(venv.path), PATH=f"{venv.path}/bin:{os.environ['PATH']}")
    # `django-admin startproject mysite`, with the venv's Django whatever else PATH holds.
    subprocess.run(
        [venv.python, "-m", "django", "startproject", "mysite"], cwd=tmp_path, env=env, check=True
    )
    project = tmp_path / "mysite"
    worker: ProjectWorker | None = None
    ran: list[str] = []
    try:
        for heading, blocks in steps():
            for lang, body in blocks:
                if lang == "python":
                    apply_edit(project, body)
                    continue
                if lang != "bash":
                    continue
                command = body.strip()
                if command.startswith("celery "):
                    app = re.search(r"-A\s+(\S+)", command)
                    assert app, command
                    worker = ProjectWorker(venv, project, app[1], env).start()
                    ran.append(command)
                    continue
                command = command.replace(CHECKOUT_PLACEHOLDER, str(checkout)).replace(
                    "pip install ", "python -m pip install --no-index --no-build-isolation "
                )
                result, env = run_bash(command, project, env, tmp_path / "env")
                env.update({name: value for name, value in servers.items() if name in env})
                ran.append(command)
                output = result.stdout + result.stderr
                assert "Traceback" not in output, f"step {heading}: {command}\n{output}"
                if command == "preflight run":
                    # Development settings: findings expected, a crash or a usage error not.
                    assert result.returncode in (0, 1, 2), output
                else:
                    assert result.returncode == 0, f"step {heading}: {command}\n{output}"
            migrate = subprocess.run(
                [venv.python, "manage.py", "migrate", "--noinput"],
                cwd=project,
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert migrate.returncode == 0, f"migrate after step {heading}:\n{migrate.stderr}"
        assert ran[-2:][0] == "preflight run --strict --deploy", ran
        report = json.loads((project / "preflight.json").read_text())
        assert report["exit_code"] == 0 and report["summary"]["warnings"] == 0, report
        assert report["overall_status"] == "healthy"
        assert report["settings_module"] == "mysite.settings_production"
        # "It passes: every stage `passed`, the components `healthy`, exit status 0."
        assert {stage["id"]: stage["status"] for stage in report["stages"]} == {
            stage["id"]: "passed" for stage in report["stages"]
        }
        assert all(component["healthy"] for component in report["components"].values())
        # What the page says next: stop the worker, and the gate fails with preflight.E502.
        assert worker is not None
        worker.stop()
        stopped, _ = run_bash(
            "preflight run --strict --deploy --json", project, env, tmp_path / "env"
        )
        assert stopped.returncode == 1, stopped.stderr
        found = {f["code"] for st in json.loads(stopped.stdout)["stages"] for f in st["findings"]}
        assert found == {"preflight.E502"}, found
    finally:
        if worker is not None:
            worker.stop()
        database.drop()
