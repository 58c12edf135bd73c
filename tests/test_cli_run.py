"""`preflight run` as a real process against a private copy of the example project."""

from __future__ import annotations

import signal
import subprocess
import threading
from pathlib import Path

import pytest

from tests.cli_support import (
    PREFLIGHT,
    SHIM,
    assert_clean,
    clean_env,
    copy_example,
    json_document,
    preflight,
    stage_by_id,
    stage_ids,
    with_default_sigint,
)
from tests.servers import Blackhole, free_port
from upstream_preflight.stages import STAGE_IDS

DJANGO_STAGES = [sid for sid in STAGE_IDS if sid not in ("python", "env")]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated and collected, as the README tells a user to do before the first run."""
    return copy_example(tmp_path_factory.mktemp("cli"))


@pytest.fixture
def broken_settings(project: Path) -> Path:
    """Settings modules that fail in each way the E001 finding must describe."""
    settings_dir = project / "upstream" / "settings"
    (settings_dir / "syntax_error.py").write_text("DEBUG = (\n")
    (settings_dir / "raises.py").write_text(
        'raise RuntimeError("cannot read redis://admin:hunter22pw@127.0.0.1:6379/0\\nline two")\n'
    )
    (settings_dir / "bad_app.py").write_text(
        "from upstream.settings.local import *  # noqa\n"
        "INSTALLED_APPS = [*INSTALLED_APPS, 'no_such_app_anywhere']\n"
    )
    return settings_dir


def test_example_passes_with_warnings_only(project: Path) -> None:
    result = preflight("run", cwd=project, env=clean_env(VIRTUAL_ENV="/venv"))  # no W101 anywhere
    assert_clean(result)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Settings: upstream.settings.local" in result.stdout
    for title in ("▶ Python Environment", "▶ Monitoring Configuration", "▶ Security Configuration"):
        assert title in result.stdout
    assert "monitoring.W007" in result.stdout
    assert "Errors:   0" in result.stdout
    assert "! Pre-deployment checks PASSED with 2 warnings" in result.stdout
    assert "Ready to deploy" not in result.stdout  # not with warnings outstanding


def test_strict_turns_warnings_into_status_2(project: Path) -> None:
    result = preflight("run", "--strict", "--json", cwd=project)
    document = json_document(result)
    assert result.returncode == 2
    assert document["summary"]["errors"] == 0 and document["summary"]["warnings"] > 0
    assert document["strict"] is True and document["deploy"] is False


def test_json_is_one_document_and_the_summary_goes_to_stderr(project: Path) -> None:
    result = preflight("run", "--json", cwd=project)
    assert_clean(result)
    document = json_document(result)
    assert result.returncode == 0
    assert stage_ids(document) == list(STAGE_IDS)
    assert document["settings_module"] == "upstream.settings.local"
    assert document["overall_status"] in ("healthy", "degraded")
    assert set(document["components"]) == {"prometheus", "sentry", "logging", "celery", "redis"}
    assert document["stages"][STAGE_IDS.index("celery")]["status"] == "skipped"
    assert "Pre-deployment checks PASSED with" in result.stderr
    assert "▶ Python Environment" in result.stderr


def test_only_monitoring(project: Path) -> None:
    result = preflight("run", "--only", "monitoring", "--json", cwd=project)
    document = json_document(result)
    assert stage_ids(document) == ["monitoring"]
    assert document["components"], "the monitoring stage reports component health"
    assert "this is not a full pre-deployment check" in result.stderr


def test_only_and_skip_take_comma_lists_and_repeat(project: Path) -> None:
    result = preflight(
        "run", "--only", "python,env", "--only", "security", "--skip", "env", "--json", cwd=project
    )
    assert stage_ids(json_document(result)) == ["python", "security"]
    result = preflight("run", "--skip", "database,static,celery", "--json", cwd=project)
    assert stage_ids(json_document(result)) == [
        "python", "env", "django", "monitoring", "metrics", "security"
    ]  # fmt: skip


def test_quiet_prints_findings_and_summary_only(project: Path) -> None:
    result = preflight("run", "--quiet", cwd=project, env=clean_env(VIRTUAL_ENV="/venv"))
    assert result.returncode == 0
    assert "▶" not in result.stdout and "Settings:" not in result.stdout
    assert "monitoring.W007" in result.stdout
    assert "! Pre-deployment checks PASSED with 2 warnings" in result.stdout


def test_production_settings_without_redis_fail(project: Path) -> None:
    closed = f"redis://127.0.0.1:{free_port()}/0"
    env = clean_env(REDIS_URL=closed)  # the environment wins over .env
    result = preflight(
        "run", "--settings", "upstream.settings.prod", "--timeout", "1", cwd=project, env=env
    )
    assert_clean(result)
    assert result.returncode == 1
    assert "monitoring.E010" in result.stdout and "preflight.E501" in result.stdout
    assert "✗ redis: unhealthy" in result.stdout
    assert "✗ Pre-deployment checks FAILED" in result.stdout


@pytest.mark.parametrize(
    ("module", "reason"),
    [
        (
            "upstream.settings.missing",
            "ModuleNotFoundError: No module named 'upstream.settings.missing'",
        ),
        (
            "upstream.settings.syntax_error",
            "SyntaxError: '(' was never closed (syntax_error.py, line 1)",
        ),
        (
            "upstream.settings.raises",
            "RuntimeError: cannot read redis://admin:***@127.0.0.1:6379/0",
        ),
    ],
)
def test_settings_that_do_not_import_become_e001(
    project: Path, broken_settings: Path, module: str, reason: str
) -> None:
    result = preflight("run", "--settings", module, "--json", cwd=project)
    assert_clean(result)
    document = json_document(result)
    assert result.returncode == 1
    setup = stage_by_id(document, "django")
    assert setup["status"] == "failed"
    [finding] = setup["findings"]
    assert finding["code"] == "preflight.E001"
    assert finding["message"].endswith(f"{module} (from --settings): {reason}")
    assert "line two" not in finding["message"] and "hunter22pw" not in result.stdout
    assert "hunter22pw" not in result.stderr
    by_id = {stage["id"]: stage for stage in document["stages"]}
    assert list(by_id) == list(STAGE_IDS)  # nine stages, no other
    for stage_id in [s for s in DJANGO_STAGES if s != "django"]:
        assert by_id[stage_id]["status"] == "skipped"
        assert "preflight.E001" in by_id[stage_id]["skip_reason"]
    assert by_id["python"]["status"] != "skipped" and by_id["env"]["status"] != "skipped"
    assert any("Settings not imported" in note for note in by_id["env"]["notes"])
    assert document["overall_status"] is None and document["components"] == {}


def test_plain_output_is_complete_when_settings_do_not_import(
    project: Path, broken_settings: Path
) -> None:
    result = preflight("run", "--settings", "upstream.settings.syntax_error", cwd=project)
    assert_clean(result)
    assert result.returncode == 1
    assert "▶ Project Setup" not in result.stdout
    assert "▶ Django System Checks" in result.stdout
    assert "✗ preflight.E001: Settings module cannot be imported" in result.stdout
    assert "○ skipped: Django is not set up (preflight.E001" in result.stdout
    assert "✗ Pre-deployment checks FAILED" in result.stdout


def test_django_setup_failure_becomes_e002(project: Path, broken_settings: Path) -> None:
    result = preflight("run", "--settings", "upstream.settings.bad_app", "--json", cwd=project)
    assert_clean(result)
    document = json_document(result)
    assert result.returncode == 1
    [finding] = stage_by_id(document, "django")["findings"]
    assert finding["code"] == "preflight.E002"
    assert "no_such_app_anywhere" in finding["message"]


def test_settings_module_comes_from_manage_py_then_environment(project: Path) -> None:
    document = json_document(preflight("run", "--only", "python", "--json", cwd=project))
    assert document["settings_module"] == "upstream.settings.local"
    env = clean_env(
        DJANGO_SETTINGS_MODULE="upstream.settings.prod", REDIS_URL="redis://127.0.0.1:9/0"
    )
    result = preflight("run", "--only", "python", "--json", cwd=project, env=env)
    assert json_document(result)["settings_module"] == "upstream.settings.prod"


def test_project_dir_from_elsewhere(project: Path, tmp_path: Path) -> None:
    result = preflight(
        "run", "--project-dir", str(project), "--only", "django", "--json", cwd=tmp_path
    )
    document = json_document(result)
    assert document["settings_module"] == "upstream.settings.local"
    assert stage_by_id(document, "django")["status"] == "passed"


def test_env_file_problems_are_w001_and_never_override(project: Path, tmp_path: Path) -> None:
    env_file = tmp_path / "broken.env"
    env_file.write_bytes(
        b"SECRET_KEY=from-the-file-not-used-because-the-environment-wins-0123456789\n"
        b"this line is not an assignment\n"
        b"PORTAL_BASE_URL=https://caf\xe9.example\n"
        b"ALLOWED_HOSTS=app.upstream.cx\n"
    )
    env = clean_env(SECRET_KEY="k" * 20 + "from-the-environment-abcdefghijklmnopqrstuvwxyz")
    result = preflight(
        "run", "--env-file", str(env_file), "--only", "env", "--json", cwd=project, env=env
    )
    assert_clean(result)
    document = json_document(result)
    w001 = [f for f in stage_by_id(document, "env")["findings"] if f["code"] == "preflight.W001"]
    messages = " | ".join(f["message"] for f in w001)
    assert "line 2 of broken.env" in messages
    assert "line 3 of broken.env are not valid UTF-8" in messages
    assert "from-the-environment" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["run", "--bogus"], "No such option: --bogus"),
        (["run", "--only", "monitoring,nope"], "Valid stages: python, env, django, monitoring"),
        (["run", "--skip", ",".join(STAGE_IDS)], "No stage left"),
        (["run", "--env-file", "does-not-exist.env"], "Env file does-not-exist.env does not exist"),
        (["run", "--timeout", "0"], "must be a positive number"),
        (["run", "--timeout", "soon"], "'--timeout'"),
        (["run", "--project-dir", "no/such/dir"], "Project directory no/such/dir does not exist"),
        (["nonsense"], "No such command"),
    ],
)
def test_usage_errors_exit_64(project: Path, args: list[str], says: str) -> None:
    result = preflight(*args, cwd=project)
    assert_clean(result)
    assert result.returncode == 64, result.stderr
    assert says in result.stderr
    assert result.stdout == ""


def test_no_settings_module_anywhere_exits_64(tmp_path: Path) -> None:
    result = preflight("run", "--json", cwd=tmp_path)
    assert_clean(result)
    assert result.returncode == 64
    assert "No Django settings module found" in result.stderr
    assert "--settings MODULE" in result.stderr
    assert result.stdout == ""


def test_shim_passes_arguments_through(project: Path) -> None:
    result = subprocess.run(
        ["sh", str(SHIM), "--only", "python,security", "--json"],
        cwd=project,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    document = json_document(result)
    assert document["strict"] is True and document["deploy"] is True
    assert stage_ids(document) == ["python", "security"]
    assert SHIM.read_text().splitlines()[1:] == ['exec preflight run --strict --deploy "$@"']


def test_ctrl_c_exits_130_with_the_partial_report(project: Path, blackhole: Blackhole) -> None:
    env = clean_env(REDIS_URL=blackhole.url())
    args = ["run", "--settings", "upstream.settings.prod", "--only", "python,monitoring,security"]
    process = subprocess.Popen(
        with_default_sigint([PREFLIGHT, *args, "--timeout", "30"]),
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[str] = []
    started = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            seen.append(line)
            if line.startswith("▶ Monitoring Configuration"):
                started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert started.wait(60), "".join(seen)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 130
    finally:
        process.kill()
    reader.join(10)
    output = "".join(seen)
    assert "○ skipped: interrupted (Ctrl-C)" in output
    assert "✗ Interrupted: the checks did not finish" in output
    assert "▶ Security Configuration" not in output
    assert "Traceback" not in output + (process.stderr.read() if process.stderr else "")


def test_a_reader_that_goes_away_is_not_a_crash(project: Path) -> None:
    """`preflight run | head -1`: the run finishes with its own status, quietly."""
    process = subprocess.Popen(
        [PREFLIGHT, "run"],
        cwd=project,
        env=clean_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().startswith("=====")
    process.stdout.close()
    assert process.wait(timeout=60) == 0
    errors = process.stderr.read()
    assert "Traceback" not in errors and "internal error" not in errors
