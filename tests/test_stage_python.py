"""`python` stage: requires-python, .python-version, virtual environment."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import pytest

from tests.stage_helpers import codes_of, make_ctx, only
from upstream_preflight.findings import Finding
from upstream_preflight.stages import python as stage

RUNNING = f"{sys.version_info.major}.{sys.version_info.minor}"
NEXT_MINOR = f"{sys.version_info.major}.{sys.version_info.minor + 1}"


def project(tmp_path: Path, pyproject: str | None = None, pinned: str | None = None) -> Path:
    if pyproject is not None:
        (tmp_path / "pyproject.toml").write_text(pyproject)
    if pinned is not None:
        (tmp_path / ".python-version").write_text(pinned)
    return tmp_path


def run_in(directory: Path) -> list[str]:
    return [
        c for c in codes_of(stage.run(make_ctx(project_dir=directory))) if c != "preflight.W101"
    ]


def test_notes_name_the_interpreter(tmp_path: Path) -> None:
    output = stage.run(make_ctx(project_dir=tmp_path))
    assert f"Python {platform.python_version()} ({platform.python_implementation()})" in (
        output.notes
    )


def test_requires_python_satisfied_and_not(tmp_path: Path) -> None:
    assert run_in(project(tmp_path, f'[project]\nrequires-python = ">={RUNNING}"\n')) == []
    [error] = only(
        stage.run(
            make_ctx(
                project_dir=project(tmp_path, f'[project]\nrequires-python = ">={NEXT_MINOR}"\n')
            )
        ),
        "preflight.E101",
    )
    assert NEXT_MINOR in error.message
    assert error.obj == "pyproject.toml"


def test_unreadable_requirements_warn(tmp_path: Path) -> None:
    assert run_in(project(tmp_path, "[project\nbroken")) == ["preflight.W102"]
    assert run_in(project(tmp_path, '[project]\nrequires-python = ">>3"\n')) == ["preflight.W102"]
    assert run_in(project(tmp_path, '[project]\nname = "x"\n')) == []


def test_python_version_file(tmp_path: Path) -> None:
    assert run_in(project(tmp_path, pinned=f"{RUNNING}\n")) == []
    assert run_in(project(tmp_path, pinned=f"{NEXT_MINOR}.1\n")) == ["preflight.E102"]
    assert run_in(project(tmp_path, pinned="system\n")) == ["preflight.W102"]


# --- E102: the runtime's pinned version --------------------------------------------------------


def e102(directory: Path) -> Finding:
    [error] = only(stage.run(make_ctx(project_dir=directory)), "preflight.E102")
    return error


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("runtime.txt", "python-{v}.7\n"),
        (".python-version", "{v}\n"),
        ("Dockerfile", "FROM python:{v}-slim\n"),
        ("Dockerfile", "FROM docker.io/library/python:{v}\nRUN pip install -r req.txt\n"),
        ("Dockerfile", "FROM python:{v} AS build\nFROM build AS app\nFROM nginx:1.25\n"),
        ("Dockerfile", "ARG PYTHON_VERSION={v}-slim-bookworm\nFROM python:${{PYTHON_VERSION}}\n"),
        ("compose/production/django/Dockerfile", "FROM docker.io/python:{v}-slim AS python\n"),
    ],
)
def test_runtime_pin_fires_on_another_minor_and_is_silent_on_the_running_one(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.format(v=NEXT_MINOR))
    error = e102(tmp_path)
    assert error.obj == name
    assert f"Python {platform.python_version()} runs, {name} pins" in error.message
    assert NEXT_MINOR in error.message

    path.write_text(text.format(v=RUNNING))
    output = stage.run(make_ctx(project_dir=tmp_path))
    assert run_in(tmp_path) == []
    assert any(note.startswith(f"{name} pins") for note in output.notes)


def test_dockerfile_without_a_python_version_is_not_judged(tmp_path: Path) -> None:
    for text in ("FROM python:latest\n", "FROM ubuntu:24.04\n", "FROM python:slim AS x\n"):
        (tmp_path / "Dockerfile").write_text(text)
        assert run_in(tmp_path) == []


def test_unreadable_runtime_txt_warns(tmp_path: Path) -> None:
    (tmp_path / "runtime.txt").write_text("ruby-3.2\n")
    assert run_in(tmp_path) == ["preflight.W102"]


def test_one_mismatch_is_reported_once(tmp_path: Path) -> None:
    """requires-python, .python-version, runtime.txt and the Dockerfile all want the next
    minor version: one finding, naming every pin and the requirement."""
    project(tmp_path, f'[project]\nrequires-python = ">={NEXT_MINOR}"\n', f"{NEXT_MINOR}\n")
    (tmp_path / "runtime.txt").write_text(f"python-{NEXT_MINOR}.1\n")
    (tmp_path / "Dockerfile").write_text(f"FROM python:{NEXT_MINOR}-slim\n")
    assert run_in(tmp_path) == ["preflight.E102"]
    message = e102(tmp_path).message
    for part in ("runtime.txt pins", ".python-version pins", "Dockerfile pins", "requires-python"):
        assert part in message


def test_pins_that_match_leave_the_requirement_its_own_finding(tmp_path: Path) -> None:
    """The runtime is pinned to the running version, but that version is outside the
    requirement: a different problem, E101 alone."""
    project(tmp_path, f'[project]\nrequires-python = ">={NEXT_MINOR}"\n', f"{RUNNING}\n")
    assert run_in(tmp_path) == ["preflight.E101"]


def test_virtualenv_finding_follows_the_interpreter(tmp_path: Path) -> None:
    import os

    inside = stage.in_virtualenv(sys.prefix, sys.base_prefix, os.environ)
    found = "preflight.W101" in codes_of(stage.run(make_ctx(project_dir=tmp_path)))
    assert found is not inside


def test_in_virtualenv_logic() -> None:
    assert stage.in_virtualenv("/venv", "/usr", {})
    assert stage.in_virtualenv("/usr", "/usr", {"VIRTUAL_ENV": "/venv"})
    assert stage.in_virtualenv("/usr", "/usr", {"CONDA_PREFIX": "/conda"})
    assert not stage.in_virtualenv("/usr", "/usr", {})


@pytest.mark.parametrize(
    ("version", "spec", "expected"),
    [
        ("3.11.7", ">=3.11", True),
        ("3.11.7", ">=3.12", False),
        ("3.11.7", ">=3.10,<3.12", True),
        ("3.12.0", ">=3.10,<3.12", False),
        ("3.11.7", "~=3.11", True),
        ("4.0.0", "~=3.11", False),
        ("3.11.7", "==3.11.*", True),
        ("3.12.1", "==3.11.*", False),
        ("3.11.7", "!=3.11.*", False),
        ("3.11.7", "==3.11.7", True),
    ],
)
def test_fallback_specifier_parser_agrees_with_packaging(
    version: str, spec: str, expected: bool
) -> None:
    assert stage._satisfies_simple(version, spec) is expected
    assert stage.satisfies(version, spec) is expected


def test_fallback_parser_rejects_nonsense() -> None:
    with pytest.raises(stage.BadSpecifier):
        stage._satisfies_simple("3.11.7", ">>3")
