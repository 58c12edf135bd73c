"""The database probe against SQLite files in WAL mode: it reads them without leaving `-wal` or
`-shm` files behind, reads through a live writer's WAL, and works for an unprivileged user in a
directory it cannot write (where SQLite cannot create those files)."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from tests.stage_helpers import codes_of, make_ctx, only, rendered, setup_database
from tests.unprivileged import call_unprivileged
from upstream_preflight.stages import database as stage

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")

SQLITE = "django.db.backends.sqlite3"
STAGEDB = ["tests.apps.stagedb"]


def wal_database(directory: Path, *target: str) -> dict[str, object]:
    """Test setup: a migrated SQLite file switched to WAL mode, every connection closed (so
    SQLite has checkpointed and removed its -wal and -shm files)."""
    config: dict[str, object] = {"ENGINE": SQLITE, "NAME": str(directory / "db.sqlite3")}
    with setup_database(config) as alias:
        call_command("migrate", *target, database=alias, verbosity=0)
    with contextlib.closing(sqlite3.connect(directory / "db.sqlite3")) as raw:
        assert raw.execute("PRAGMA journal_mode=WAL").fetchone() == ("wal",)
    assert os.listdir(directory) == ["db.sqlite3"]
    return config


@override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, *STAGEDB])
def test_a_wal_database_is_read_and_nothing_is_left_beside_it(tmp_path: Path) -> None:
    config = wal_database(tmp_path)
    before = (tmp_path / "db.sqlite3").read_bytes()
    with override_settings(DATABASES={"default": config}):
        output = stage.run(make_ctx())
    assert codes_of(output) == [], rendered(output)
    assert any("none pending" in note for note in output.notes)
    assert os.listdir(tmp_path) == ["db.sqlite3"]  # no -wal, no -shm
    assert (tmp_path / "db.sqlite3").read_bytes() == before


@override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, *STAGEDB])
def test_a_live_writers_commits_in_the_wal_are_read(tmp_path: Path) -> None:
    """A writer holds the database open with a commit only in its WAL: the probe must read
    through the WAL (immutable=1 would read the main file alone and miss the change)."""
    config = wal_database(tmp_path)
    with contextlib.closing(sqlite3.connect(tmp_path / "db.sqlite3")) as writer:
        writer.execute("PRAGMA wal_autocheckpoint=0")
        writer.execute(
            "DELETE FROM django_migrations WHERE app = 'stagedb' AND name = '0002_widget_size'"
        )
        writer.commit()
        with override_settings(DATABASES={"default": config}):
            output = stage.run(make_ctx())
        assert sorted(os.listdir(tmp_path)) == ["db.sqlite3", "db.sqlite3-shm", "db.sqlite3-wal"]
    [pending] = only(output, "preflight.W301")
    assert "stagedb.0002_widget_size" in pending.message
    assert os.listdir(tmp_path) == ["db.sqlite3"]  # the writer's files went with the writer


@contextlib.contextmanager
def read_only_directory() -> Iterator[Path]:
    """A directory the unprivileged account can read and not write (under /tmp: the account
    cannot reach pytest's own temporary directories)."""
    directory = Path(tempfile.mkdtemp(prefix="preflight-wal-"))
    try:
        yield directory
    finally:
        directory.chmod(0o755)
        shutil.rmtree(directory)


def test_a_wal_database_in_a_read_only_directory_as_an_unprivileged_user(
    tmp_path: Path,
) -> None:
    # Only apps whose migrations the account can list (Django's own live under root's home).
    with read_only_directory() as directory, override_settings(INSTALLED_APPS=STAGEDB):
        config = wal_database(directory)
        (directory / "db.sqlite3").chmod(0o644)
        directory.chmod(0o555)
        with override_settings(DATABASES={"default": wal_database(tmp_path)}):
            stage.run(make_ctx())  # every module the probe imports, imported as root
        with override_settings(DATABASES={"default": config}):
            codes, text = call_unprivileged(
                lambda: (lambda out: (codes_of(out), rendered(out)))(stage.run(make_ctx()))
            )
        assert codes == [], text
        assert "none pending" in text
        assert os.listdir(directory) == ["db.sqlite3"]
