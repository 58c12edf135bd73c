"""The package as it is distributed today (not on PyPI): a wheel built from the checkout,
installed in a clean virtual environment, runs the example project, as README.md and the
recipes say. The wheel carries the JSON Schema, the table of Django's check ids, `py.typed`
and the shell completions."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.cli_support import REPO, clean_env, copy_example

INSTALL_TIMEOUT = 600


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built from a copy of the checkout, so that no build/ directory is left in it."""
    source = tmp_path_factory.mktemp("source") / "upstream-preflight"
    ignored = (".git", ".venv", ".nox", ".cache", "build", "dist", "*.egg-info", "__pycache__")
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*ignored, "db.sqlite3"))
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=INSTALL_TIMEOUT,
    )
    (built,) = out.glob("upstream_preflight-*.whl")
    return built


def test_the_wheel_carries_its_data_files(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    data = f"{wheel.name.split('-py3')[0]}.data/data/share"
    for name in (
        "upstream_preflight/schema/report.schema.json",
        "upstream_preflight/catalogue/django_codes.json",
        "upstream_preflight/py.typed",
        f"{data}/bash-completion/completions/preflight.bash",
        f"{data}/zsh/site-functions/preflight.zsh",
        f"{data}/fish/vendor_completions.d/preflight.fish",
    ):
        assert name in names, name
    assert not any(name.startswith(("tests/", "example/")) for name in names)


def test_the_wheel_installs_in_a_clean_venv_and_runs_the_example(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "clean"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    uv = shutil.which("uv")
    # uv when the test extra brought it (the same install as pip's, in seconds), else pip.
    installer = (
        [uv, "pip", "install", "-q", "--python", str(python)]
        if uv
        else [str(python), "-m", "pip", "install", "-q"]
    )
    # Neither the outer venv nor the checkout on PYTHONPATH: only what the wheel installed.
    env = {k: v for k, v in clean_env().items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    subprocess.run([*installer, f"{wheel}[example]"], check=True, timeout=INSTALL_TIMEOUT, env=env)

    project = copy_example(tmp_path, prepared=False)
    env |= {"PATH": f"{venv / 'bin'}:{env['PATH']}", "VIRTUAL_ENV": str(venv)}
    where = subprocess.run(
        [str(python), "-c", "import upstream_preflight as p; print(p.__file__)"],
        cwd=project, env=env, capture_output=True, text=True, check=True, timeout=60,
    )  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(venv), "not the installed wheel"
    for step in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run(
            [str(python), "manage.py", *step], cwd=project, env=env, check=True, timeout=120
        )
    result = subprocess.run(
        [str(venv / "bin" / "preflight"), "run"],
        cwd=project, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Pre-deployment checks PASSED with 2 warnings" in result.stdout  # W003, W007
    assert "preflight.W101" not in result.stdout  # it ran in the virtual environment
    explained = subprocess.run(
        [str(venv / "bin" / "preflight"), "explain", "security.W012"],
        cwd=project, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert explained.returncode == 0 and "SESSION_COOKIE_SECURE" in explained.stdout
