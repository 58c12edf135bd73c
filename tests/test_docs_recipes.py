"""The recipes in docs/recipes/ run: their commands, against the example project.

Each recipe has one fenced block marked ```bash recipe: the exact commands its pipeline runs.
The test checks that the pipeline file shown in the same page (workflow, .gitlab-ci.yml,
Dockerfile, Job manifest) runs exactly those commands, then runs them with `bash -eo pipefail`
in a copy of example/, with `preflight` installed in a virtual environment (one with the test
process's packages, made without a package index: the install steps themselves are not run),
the pipeline's environment variables, and real servers from tests.servers in place of the
pipeline's services. It asserts the exit status each page promises.

docker is not available here, so the Dockerfile recipe runs the commands of its RUN lines that
follow `COPY . .`, in order, with the Dockerfile's ENV and without the files its
.dockerignore keeps out of the image.
"""

from __future__ import annotations

import json
import re
import secrets
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.cli_support import VALIDATOR, clean_env, copy_example
from tests.layouts.support import make_venv
from tests.projects.processes import LOOPBACK_DSN
from tests.servers import CeleryWorker, PostgresServer, RedisServer, free_port

DOCS = Path(__file__).resolve().parent.parent / "docs"
RECIPES = DOCS / "recipes"
RUN_TIMEOUT = 180
CI_DATABASE = "recipe_ci"  # shared by the CI recipes: whichever runs second migrates nothing


def fenced(text: str, info: str) -> list[str]:
    """The contents of every fenced block whose info string is exactly `info`."""
    pattern = re.compile(rf"^```{re.escape(info)}[ \t]*\n(.*?)^```[ \t]*$", re.M | re.S)
    return pattern.findall(text)


def recipe_of(page: str) -> tuple[str, str]:
    """(the page's text, its one `bash recipe` block)."""
    text = (RECIPES / page).read_text(encoding="utf-8")
    blocks = fenced(text, "bash recipe")
    assert len(blocks) == 1, f"{page}: want exactly one ```bash recipe block"
    return text, blocks[0]


def command_lines(script: str) -> list[str]:
    return [line.strip() for line in script.splitlines() if line.strip()]


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str
    project: Path

    def report(self, name: str = "preflight.json") -> dict[str, Any]:
        document: dict[str, Any] = json.loads((self.project / name).read_text())
        VALIDATOR.validate(document)
        assert document["exit_code"] == self.status, self.stderr
        return document


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment that sees the test process's packages, with the console script
    pip would have written for `preflight` (tests/layouts/support.py)."""
    return make_venv(tmp_path_factory.mktemp("tool") / ".venv").path


def run_recipe(commands: str, project: Path, venv: Path, env: dict[str, str]) -> Outcome:
    """`commands` as a pipeline step runs them: bash, stop at the first failure."""
    full = clean_env(**env)
    full["PATH"] = f"{venv / 'bin'}:{full['PATH']}"
    full["VIRTUAL_ENV"] = str(venv)
    result = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", commands],
        cwd=project,
        env=full,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    for stream in (result.stdout, result.stderr):
        assert "Traceback" not in stream, stream
    return Outcome(result.returncode, result.stdout, result.stderr, project)


def literal_values(variables: dict[str, Any], supplied: set[str]) -> dict[str, str]:
    """The pipeline's own values, except those the test supplies (services, secrets); a
    value the test does not supply must be a literal, not a reference to a secret."""
    values = {}
    for key, value in variables.items():
        if key in supplied:
            continue
        assert "${" not in str(value) and "$(" not in str(value), (key, value)
        values[key] = str(value)
    return values


def secret_key() -> str:
    return secrets.token_urlsafe(48)


# --- GitHub Actions ------------------------------------------------------------------------


@pytest.fixture
def github(tmp_path: Path) -> tuple[dict[str, Any], str, Path]:
    text, commands = recipe_of("github-actions.md")
    (workflow,) = [yaml.safe_load(block) for block in fenced(text, "yaml")]
    job = workflow["jobs"]["preflight"]
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert command_lines(commands) in [command_lines(run) for run in runs]
    return job, commands, copy_example(tmp_path, prepared=False)


def test_github_actions_recipe_passes_when_everything_works_and_fails_on_redis(
    github: tuple[dict[str, Any], str, Path],
    venv: Path,
    redis_server: RedisServer,
    postgres_server: PostgresServer,
) -> None:
    job, commands, project = github
    supplied = {
        "DATABASE_URL": postgres_server.create_database(CI_DATABASE),
        "REDIS_URL": redis_server.url(11),
        "SECRET_KEY": secret_key(),
        "SENTRY_DSN": LOOPBACK_DSN,
    }
    assert set(supplied) <= set(job["env"]), "the workflow no longer sets these variables"
    env = literal_values(job["env"], set(supplied)) | supplied

    passed = run_recipe(commands, project, venv, env)
    assert passed.status == 0, passed.stderr
    document = passed.report()
    celery = next(stage for stage in document["stages"] if stage["id"] == "celery")
    assert celery["skip_reason"] == "not selected"
    assert document["components"]["redis"]["healthy"] is True
    assert "checks PASSED" in passed.stderr  # the human summary is in the log

    # Redis down: the same gate (its last line; the others already ran) fails the job.
    down = env | {"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}
    failed = run_recipe(command_lines(commands)[-1], project, venv, down)
    assert failed.status == 1, failed.stderr
    codes = {f["code"] for stage in failed.report()["stages"] for f in stage["findings"]}
    assert "monitoring.E010" in codes


# --- GitLab CI ------------------------------------------------------------------------------


def test_gitlab_recipe_allows_warnings_only(
    tmp_path: Path,
    venv: Path,
    redis_server: RedisServer,
    postgres_server: PostgresServer,
) -> None:
    text, commands = recipe_of("gitlab-ci.md")
    (pipeline,) = [yaml.safe_load(block) for block in fenced(text, "yaml")]
    job = pipeline["preflight"]
    assert command_lines("\n".join(job["script"])) == command_lines(commands)
    allowed = job["allow_failure"]["exit_codes"]
    assert 2 in allowed and 1 not in allowed

    supplied = {
        "DATABASE_URL": postgres_server.create_database(CI_DATABASE),
        "REDIS_URL": redis_server.url(12),
    }
    assert set(supplied) <= set(job["variables"])
    env = literal_values(job["variables"], set(supplied)) | supplied
    env |= {"SECRET_KEY": secret_key()}  # a masked CI/CD variable; SENTRY_DSN left unset

    outcome = run_recipe(commands, copy_example(tmp_path, prepared=False), venv, env)
    assert outcome.status == 2, outcome.stderr
    assert outcome.status in allowed
    document = outcome.report()
    assert document["summary"]["errors"] == 0
    codes = {f["code"] for stage in document["stages"] for f in stage["findings"]}
    assert "monitoring.W003" in codes


# --- Dockerfile -----------------------------------------------------------------------------


def dockerfile_parts(text: str) -> tuple[dict[str, str], list[str]]:
    """The Dockerfile's ENV values and the commands of its RUN lines after `COPY . .`."""
    (dockerfile,) = fenced(text, "dockerfile")
    env: dict[str, str] = {}
    runs: list[str] = []
    copied = False
    for line in dockerfile.splitlines():
        instruction, _, rest = line.partition(" ")
        if instruction == "ENV":
            env.update(dict(item.split("=", 1) for item in shlex.split(rest)))
        elif line.strip() == "COPY . .":
            copied = True
        elif instruction == "RUN" and copied:
            runs.append(rest.strip())
    return env, runs


def image_env(env: dict[str, str]) -> dict[str, str]:
    """The Dockerfile's ENV without its virtual environment (the test's own replaces it)."""
    env = dict(env)
    assert env.pop("VIRTUAL_ENV") == "/opt/venv" and env.pop("PATH").startswith("/opt/venv/bin:")
    return env


def test_dockerfile_build_step_needs_no_server_and_no_secret(tmp_path: Path, venv: Path) -> None:
    text, commands = recipe_of("dockerfile.md")
    env, runs = dockerfile_parts(text)
    assert runs == command_lines(commands)
    env = image_env(env)
    (ignored,) = fenced(text, "dockerignore")
    excluded = command_lines(ignored)
    assert ".env" in excluded

    project = copy_example(tmp_path, prepared=False)
    for entry in excluded:
        path = project / entry.rstrip("/")
        assert path.resolve().is_relative_to(project)
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    assert not (project / ".env").exists()
    outcome = run_recipe(commands, project, venv, env)
    assert outcome.status == 0, outcome.stderr
    assert "Settings: upstream.settings.prod" in outcome.stdout

    # The gate gates: the same check without the collectstatic line before it fails the build.
    shutil.rmtree(project / "staticfiles")
    gate_only = run_recipe(command_lines(commands)[-1], project, venv, env)
    assert gate_only.status == 1, gate_only.stdout


# --- Kubernetes Job -------------------------------------------------------------------------


def manifests(text: str) -> dict[str, dict[str, Any]]:
    """The first yaml block's documents by kind."""
    documents = yaml.safe_load_all(fenced(text, "yaml")[0])
    return {document["kind"]: document for document in documents}


def test_kubernetes_probe_paths_are_the_live_and_status_urls() -> None:
    from django.urls import resolve

    text, _commands = recipe_of("kubernetes-job.md")
    probes = yaml.safe_load(fenced(text, "yaml")[1])
    assert resolve(probes["readinessProbe"]["httpGet"]["path"]).url_name == "monitoring-status"
    assert resolve(probes["livenessProbe"]["httpGet"]["path"]).url_name == "monitoring-live"


def test_kubernetes_job_passes_against_the_real_backends(
    tmp_path: Path,
    venv: Path,
    postgres_server: PostgresServer,
    celery_worker: CeleryWorker,
) -> None:
    text, commands = recipe_of("kubernetes-job.md")
    found = manifests(text)
    pod = found["Job"]["spec"]["template"]["spec"]
    (init,) = pod["initContainers"]
    (main,) = pod["containers"]
    assert [shlex.join(init["command"]), shlex.join(main["command"])] == command_lines(commands)
    sources = [next(iter(source.values()))["name"] for source in main["envFrom"]]
    assert sources == [found["ConfigMap"]["metadata"]["name"], found["Secret"]["metadata"]["name"]]
    assert init["envFrom"] == main["envFrom"]

    supplied = {
        "SECRET_KEY": secret_key(),
        "DATABASE_URL": postgres_server.create_database("recipe_kubernetes"),
        "REDIS_URL": celery_worker.broker_url,
        "SENTRY_DSN": LOOPBACK_DSN,
    }
    assert set(found["Secret"]["stringData"]) == set(supplied)
    env = literal_values(found["ConfigMap"]["data"], set()) | supplied

    image = copy_example(tmp_path, prepared=False)
    docker_text, docker_commands = recipe_of("dockerfile.md")
    build_env = image_env(dockerfile_parts(docker_text)[0])
    collect = run_recipe(command_lines(docker_commands)[0], image, venv, build_env)
    assert collect.status == 0, collect.stderr  # the static files the image holds
    outcome = run_recipe(commands, image, venv, env)
    assert outcome.status == 0, outcome.stdout
    assert "Skipped" not in outcome.stdout
    assert "✓ celery: healthy - Workers are running" in outcome.stdout
