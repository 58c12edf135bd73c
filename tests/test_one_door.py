"""The one door (redaction/door.py): whatever a stage or another app's check writes, no
format shows a secret the run knows, and no line for people carries a control sequence a
terminal or a CI runner would obey.

The project (tests/projects/door.py) runs against the real PostgreSQL fixture. Its secrets
sit under names no rule guesses (`DB_PW` holds the live database password, `SMTP_CREDS` the
mail password), a webhook URL carries its token in the path, and an app's check copies the
broker URL, SECRET_KEY, the passwords and a hostile banner into its message and hint.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli_support import PREFLIGHT, json_document
from tests.projects.door import (
    BROKER_PASSWORD,
    MAIL_PASSWORD,
    SECRET_KEY,
    SSL_PASSPHRASE,
    WEBHOOK_TOKEN,
    door_env,
    door_project,
)
from tests.projects.planted import secret_forms
from tests.servers import PostgresServer
from tests.test_cli_commands import run_on_tty

FORMATS = ("json", "junit", "sarif", "github", "text")


@dataclass
class Shown:
    """Everything one invocation showed: (name, text) pairs, and its exit status."""

    status: int
    texts: list[tuple[str, str]]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return door_project(tmp_path_factory.mktemp("door"))


@pytest.fixture(scope="module")
def env(project: Path, postgres_server: PostgresServer) -> dict[str, str]:
    return door_env(project, postgres_server, postgres_server.create_database("door"))


def secrets(postgres_server: PostgresServer) -> set[str]:
    return secret_forms(
        postgres_server.password,
        SECRET_KEY,
        MAIL_PASSWORD,
        SSL_PASSPHRASE,
        BROKER_PASSWORD,
        WEBHOOK_TOKEN,
    )


def run(project: Path, env: dict[str, str], *args: str) -> Shown:
    out = project.parent / "reports"
    out.mkdir(exist_ok=True)
    files = {fmt: out / f"{fmt}-{len(list(out.iterdir()))}.out" for fmt in FORMATS}
    outputs = [arg for fmt, path in files.items() for arg in ("-o", f"{fmt}:{path}")]
    result = subprocess.run(
        [PREFLIGHT, "run", "--deploy", *args, *outputs],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    texts = [("stdout", result.stdout), ("stderr", result.stderr)]
    texts += [(f"-o {fmt}", path.read_text(encoding="utf-8")) for fmt, path in files.items()]
    return Shown(result.returncode, texts)


def manage(project: Path, env: dict[str, str], *args: str) -> Shown:
    result = subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return Shown(result.returncode, [("stdout", result.stdout), ("stderr", result.stderr)])


def assert_no_secret(shown: Shown, known: set[str]) -> None:
    leaks = [(name, s) for name, text in shown.texts for s in known if s in text]
    assert not leaks, leaks


def assert_inert(name: str, text: str, github: bool = False) -> None:
    """No terminal control of the project's, no workflow command starting a line (in the
    github format, only our own annotations do), no `##[` command anywhere."""
    for control in ("\x1b]", "\x07", "\x1b[2J", "\x9b"):
        assert control not in text, (name, control)
    assert "##[" not in text, name
    for line in text.splitlines():
        if line.lstrip().startswith("::"):
            assert github and line.startswith(("::error ", "::warning ", "::notice ")), (
                name,
                line,
            )


def test_no_secret_in_any_format(
    project: Path, env: dict[str, str], postgres_server: PostgresServer
) -> None:
    """Items 1 and 2 of issue 12: values known to be secret are masked wherever they appear,
    whatever the variable is called; another app's check message is masked too."""
    known = secrets(postgres_server)
    for args in ((), ("--json",), ("--format", "github"), ("--format", "sarif")):
        shown = run(project, env, *args)
        assert shown.status == 1, shown.texts[1]
        assert_no_secret(shown, known)
    document = json_document(
        subprocess.run(
            [PREFLIGHT, "run", "--deploy", "--json"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    )
    findings = [f for stage in document["stages"] for f in stage["findings"]]
    leaky = next(f for f in findings if f["code"] == "leaky.W001")
    assert "redis://:***@" in leaky["message"] and "signs with ***" in leaky["message"]
    assert "mail password ***" in leaky["hint"]
    assert "hook https://hooks.chat.example***" in leaky["hint"]  # a webhook's path
    env_notes = next(s for s in document["stages"] if s["id"] == "env").get("notes", [])
    assert not any(postgres_server.password in note for note in env_notes)


def test_validate_monitoring_goes_through_the_door(
    project: Path, env: dict[str, str], postgres_server: PostgresServer
) -> None:
    known = secrets(postgres_server)
    for args in (
        ("validate_monitoring", "--deploy"),
        ("validate_monitoring", "--deploy", "--json"),
    ):
        shown = manage(project, env, *args)
        assert "leaky.W001" in shown.texts[0][1], shown.texts
        assert_no_secret(shown, known)
        if "--json" not in args:
            assert_inert("validate_monitoring", shown.texts[0][1])
    document = json.loads(
        manage(project, env, "validate_monitoring", "--deploy", "--json").texts[0][1]
    )
    messages = [f["message"] for s in document["stages"] for f in s["findings"]]
    assert any("signs with ***" in m for m in messages)


def test_lines_for_people_carry_no_control_sequence(project: Path, env: dict[str, str]) -> None:
    """Item 4: a value with a newline and `::stop-commands::`, terminal escapes and `##[`
    reach no line of the text output, stderr, or the text file, whatever the format."""
    for args in ((), ("--json",), ("--format", "junit")):
        shown = run(project, env, *args)
        for name, text in shown.texts:
            if name in ("stdout", "stderr", "-o text"):
                assert_inert(f"{args} {name}", text)
    shown = run(project, env)
    stdout = shown.texts[0][1]
    assert "\\::stop-commands::pwnd" in stdout and "\\x1b]0;owned\\x07" in stdout


def test_github_annotations_after_a_hostile_value_all_reach_the_runner(
    project: Path, env: dict[str, str]
) -> None:
    """Item 4, GitHub format: the hostile message stays inside its annotation (escaped as the
    Actions toolkit does), so no `::stop-commands::` line is emitted and every later
    annotation is still a command; stderr (read by the runner too) is inert."""
    result = subprocess.run(
        [PREFLIGHT, "run", "--deploy", "--format", "github"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    document = json_document(
        subprocess.run(
            [PREFLIGHT, "run", "--deploy", "--json"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    )
    lines = result.stdout.splitlines()
    assert not any(line.lstrip().startswith("::stop-commands::") for line in lines)
    annotations = [line for line in lines if line.startswith("::")]
    count = sum(len(stage["findings"]) for stage in document["stages"])
    assert len(annotations) == count
    leaky = lines.index(next(line for line in lines if "leaky.W001" in line))
    assert any(line.startswith("::error ") for line in lines[leaky + 1 :])
    assert_inert("github stdout", result.stdout, github=True)
    assert_inert("github stderr", result.stderr)


def test_live_output_goes_through_the_door(
    project: Path, env: dict[str, str], postgres_server: PostgresServer
) -> None:
    live_env = {k: v for k, v in env.items() if k != "NO_COLOR"}
    live_env["TERM"] = "xterm"
    status, shown = run_on_tty(["run", "--deploy"], project, live_env)
    assert status == 1 and "\x1b[" in shown  # Rich's own styling, on a terminal
    assert "leaky.W001" in shown
    assert not [s for s in secrets(postgres_server) if s in shown]
    for control in ("\x1b]0;owned", "\x07", "\x1b[2J", "\x9b", "##["):
        assert control not in shown, control
    assert not any(line.lstrip().startswith("::") for line in shown.splitlines())
