"""Finding the target project: settings module, sys.path and the env file."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from upstream_preflight import bootstrap
from upstream_preflight.bootstrap import (
    UsageError,
    apply_env_bytes,
    find_settings_module,
    locate,
    one_line_reason,
    settings_from_manage_py,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "example"


@pytest.fixture(autouse=True)
def restore_process_state() -> Iterator[None]:
    """The env file and --pythonpath change os.environ and sys.path: undo after each test."""
    environ, path = dict(os.environ), list(sys.path)
    yield
    os.environ.clear()
    os.environ.update(environ)
    sys.path[:] = path


def write_manage_py(directory: Path, body: str) -> Path:
    path = directory / "manage.py"
    path.write_text(body)
    return path


def test_settings_from_the_example_manage_py() -> None:
    assert settings_from_manage_py(EXAMPLE / "manage.py") == "upstream.settings.local"


def test_manage_py_is_read_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = write_manage_py(
        tmp_path,
        f"import os\nopen({str(marker)!r}, 'w').close()\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site_a.settings')\n",
    )
    assert settings_from_manage_py(path) == "site_a.settings"
    assert not marker.exists()


def test_manage_py_with_a_syntax_error_is_still_read(tmp_path: Path) -> None:
    path = write_manage_py(
        tmp_path, 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_b.settings")\nif (:\n'
    )
    assert settings_from_manage_py(path) == "site_b.settings"


def test_manage_py_without_a_settings_module(tmp_path: Path) -> None:
    path = write_manage_py(tmp_path, "import os\nos.environ.setdefault('OTHER', 'x')\n")
    assert settings_from_manage_py(path) is None


def test_settings_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_manage_py(tmp_path, "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'from.manage')")
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "from.environment")
    assert find_settings_module("from.flag", tmp_path) == ("from.flag", "--settings")
    assert find_settings_module(None, tmp_path) == ("from.environment", "DJANGO_SETTINGS_MODULE")
    monkeypatch.setenv("DJANGO_SETTINGS_MODULE", "")
    assert find_settings_module(None, tmp_path) == ("from.manage", "manage.py")


def test_no_settings_module_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    with pytest.raises(UsageError) as no_manage:
        find_settings_module(None, tmp_path)
    assert "there is no manage.py" in no_manage.value.message
    assert "--settings MODULE" in no_manage.value.fix
    write_manage_py(tmp_path, "print('no settings here')\n")
    with pytest.raises(UsageError, match=r"manage\.py does not set DJANGO_SETTINGS_MODULE"):
        find_settings_module(None, tmp_path)
    with pytest.raises(UsageError, match="empty module name"):
        find_settings_module("  ", tmp_path)


def test_env_file_never_overrides_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PF_TEST_SET", "from-environment")
    monkeypatch.delenv("PF_TEST_NEW", raising=False)
    loaded, findings = apply_env_bytes(b"PF_TEST_SET=from-file\nPF_TEST_NEW=new\n", ".env")
    assert findings == []
    assert loaded == {"PF_TEST_NEW": "new"}
    assert os.environ["PF_TEST_SET"] == "from-environment"
    assert os.environ["PF_TEST_NEW"] == "new"


def test_env_file_interpolates_and_handles_a_bom(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PF_TEST_HOST", "db.internal")
    data = b'\xef\xbb\xbfPF_TEST_URL="postgres://${PF_TEST_HOST}/app"\nexport PF_TEST_B=2\n'
    loaded, findings = apply_env_bytes(data, ".env")
    assert findings == []
    assert loaded == {"PF_TEST_URL": "postgres://db.internal/app", "PF_TEST_B": "2"}


def test_unparseable_and_non_utf8_lines_are_w001(capsys: pytest.CaptureFixture[str]) -> None:
    data = b"PF_TEST_A=1\nnot an assignment\nPF_TEST_LATIN=caf\xe9\nPF_TEST_B=2\nalso wrong here\n"
    loaded, findings = apply_env_bytes(data, "prod.env")
    assert loaded == {"PF_TEST_A": "1", "PF_TEST_B": "2"}
    assert [f.code for f in findings] == ["preflight.W001", "preflight.W001"]
    assert findings[0].message.endswith("line 3 of prod.env are not valid UTF-8 and were skipped")
    assert findings[1].message.endswith("lines 2, 5 of prod.env")
    assert all(f.obj == "prod.env" for f in findings)
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""  # python-dotenv's own log lines stay quiet


def test_a_nul_byte_value_is_reported_not_raised() -> None:
    loaded, findings = apply_env_bytes(b'PF_TEST_NUL="a\x00b"\nPF_TEST_OK=1\n', ".env")
    assert loaded == {"PF_TEST_OK": "1"}
    assert "PF_TEST_NUL" in findings[0].message


def test_locate_loads_the_default_env_file_and_puts_the_project_on_sys_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.delenv("PF_TEST_FROM_DOTENV", raising=False)
    write_manage_py(tmp_path, "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')")
    (tmp_path / ".env").write_text("PF_TEST_FROM_DOTENV=yes\nbroken line\n")
    target = locate(project_dir=str(tmp_path))
    assert target.project_dir == tmp_path.resolve()
    assert (target.settings_module, target.settings_source) == ("proj.settings", "manage.py")
    assert target.env_file == tmp_path.resolve() / ".env"
    assert target.env_loaded == {"PF_TEST_FROM_DOTENV": "yes"}
    assert [f.code for f in target.env_findings] == ["preflight.W001"]
    assert sys.path[0] == str(tmp_path.resolve())


def test_pythonpath_replaces_the_default(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    target = locate(settings="x.settings", pythonpath=[str(first), str(second)], project_dir=".")
    assert sys.path[:2] == [str(first.resolve()), str(second.resolve())]
    assert target.env_file is None or target.env_file.name == ".env"


def test_env_file_asked_for_must_exist(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist or is not a file"):
        locate(settings="x", env_file=str(tmp_path / "missing.env"), project_dir=str(tmp_path))
    with pytest.raises(UsageError, match="does not exist or is not a file"):
        locate(settings="x", env_file=str(tmp_path), project_dir=str(tmp_path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_env_file_asked_for_is_a_usage_error(tmp_path: Path) -> None:
    secret = tmp_path / "secret.env"
    secret.write_text("A=1\n")
    secret.chmod(0)
    with pytest.raises(UsageError, match="cannot be read"):
        locate(settings="x", env_file=str(secret), project_dir=str(tmp_path))


def test_missing_project_dir_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        locate(settings="x", project_dir=str(tmp_path / "nope"))


def test_reason_is_one_redacted_line() -> None:
    exc = ValueError("cannot reach postgres://app:s3cretpass@127.0.0.1/db\nsecond line")
    assert one_line_reason(exc) == "ValueError: cannot reach postgres://app:***@127.0.0.1/db"
    assert one_line_reason(KeyError()) == "KeyError"
    assert len(one_line_reason(RuntimeError("x" * 500))) == 200


def test_reason_masks_what_the_env_file_set() -> None:
    target = bootstrap.Target(Path("."), "m", "--settings", env_loaded={"API": "plainvalue42"})
    assert one_line_reason(RuntimeError("bad plainvalue42"), target) == "RuntimeError: bad ***"


def test_a_250000_line_env_file_loads_through_the_real_preflight(tmp_path: Path) -> None:
    """python-dotenv's interpolation made this quadratic (it never finished); the C library's
    setenv() is quadratic too, so only the first MAX_ENV_FILE_VARIABLES new variables are set,
    and W001 says so. Bounded by the subprocess timeout, not timed."""
    from tests.cli_support import REPO, clean_env, json_document, preflight

    lines = (
        f"PF_BIG_{n}=value-{n}\n" if n % 2 else f"PF_BIG_{n}=value-${{PF_BIG_{n - 1}:-start}}\n"
        for n in range(250_000)
    )
    (tmp_path / "big.env").write_text("".join(lines))
    result = preflight(
        "run",
        "--only",
        "env",
        "--json",
        "--settings",
        "tests.settings",
        "--env-file",
        "big.env",
        cwd=tmp_path,
        env=clean_env(PYTHONPATH=str(REPO)),
        timeout=240,
    )
    stages = json_document(result)["stages"]
    env_stage = next(stage for stage in stages if stage["id"] == "env")
    [cap] = [f for f in env_stage["findings"] if f["code"] == "preflight.W001"]
    limit = bootstrap.MAX_ENV_FILE_VARIABLES
    assert f"sets 250,000 new variables: only the first {limit:,} were set" in cap["message"]
    assert "value-" not in result.stdout + result.stderr  # values are never shown
