"""preflight.E703: a SECRET_KEY generated at random per process, found by importing the
settings module again in a bounded child process; a probe that cannot decide never judges."""

from __future__ import annotations

import importlib
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.stage_helpers import codes_of, make_ctx, rendered
from upstream_preflight.probes.secret_key import compare_secret_key
from upstream_preflight.stages import security as stage

RANDOM_KEY = (
    "import os, secrets\n"
    'SECRET_KEY = os.environ.get("PREFLIGHT_TEST_KEY") or secrets.token_urlsafe(50)\n'
)


@pytest.fixture
def module_dir(tmp_path: Path) -> Iterator[Path]:
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))


def imported(directory: Path, text: str) -> tuple[str, object]:
    """A settings-like module of a fresh name, written and imported in this process."""
    name = f"keyprobe_{secrets.token_hex(4)}"
    (directory / f"{name}.py").write_text(text)
    importlib.invalidate_caches()
    module = importlib.import_module(name)
    return name, module


def test_a_key_generated_per_process_differs(module_dir: Path) -> None:
    name, module = imported(module_dir, RANDOM_KEY)
    result = compare_secret_key(name, module.SECRET_KEY, 30.0)  # type: ignore[attr-defined]
    assert result.judged and not result.same


def test_a_key_from_the_environment_is_the_same(
    module_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PREFLIGHT_TEST_KEY", "k" + secrets.token_urlsafe(60))
    name, module = imported(module_dir, RANDOM_KEY)
    result = compare_secret_key(name, module.SECRET_KEY, 30.0)  # type: ignore[attr-defined]
    assert result.judged and result.same


def test_a_settings_module_that_fails_in_a_new_process_is_not_judged(module_dir: Path) -> None:
    name, module = imported(module_dir, RANDOM_KEY)
    (module_dir / f"{name}.py").write_text('raise RuntimeError("not here")\n')
    result = compare_secret_key(name, module.SECRET_KEY, 30.0)  # type: ignore[attr-defined]
    assert not result.judged
    assert "failed (status 1)" in result.reason


def test_a_settings_module_that_hangs_is_bounded_and_not_judged(module_dir: Path) -> None:
    name, module = imported(module_dir, RANDOM_KEY)
    (module_dir / f"{name}.py").write_text("import time\ntime.sleep(120)\n")
    result = compare_secret_key(name, module.SECRET_KEY, 1.0)  # type: ignore[attr-defined]
    assert not result.judged
    assert result.reason == "importing the settings again took longer than 1 s"


def test_the_stage_says_the_key_is_stable_and_never_shows_it() -> None:
    output = stage.run(make_ctx())
    assert "preflight.E703" not in codes_of(output)
    assert "SECRET_KEY is the same in a new process" in output.notes
    from tests import settings

    assert settings.SECRET_KEY not in rendered(output)
