"""`database` stage against a real PostgreSQL, SQLite files and a blackhole."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from tests.servers import Blackhole, PostgresServer, free_port
from tests.stage_helpers import codes_of, make_ctx, only, rendered, setup_database
from upstream_preflight.stages import database as stage

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")

WITH_STAGEDB = [*settings.INSTALLED_APPS, "tests.apps.stagedb"]
SQLITE = "django.db.backends.sqlite3"


def migrate(config: dict[str, object], *target: str) -> None:
    """Test setup only: bring a database to a known migration state."""
    with setup_database(config) as alias:
        call_command("migrate", *target, database=alias, verbosity=0)


def pg_db(postgres_server: PostgresServer, name: str) -> dict[str, object]:
    postgres_server.create_database(name)
    return postgres_server.django_settings(name)


@override_settings(INSTALLED_APPS=WITH_STAGEDB)
def test_fully_migrated_postgres_passes_and_pending_migrations_warn(
    postgres_server: PostgresServer,
) -> None:
    config = pg_db(postgres_server, "stage_pending")
    migrate(config, "stagedb", "0001")
    with override_settings(DATABASES={"default": config}):
        pending = stage.run(make_ctx())
    [warning] = only(pending, "preflight.W301")
    assert "stagedb.0002_widget_size" in warning.message
    assert "stagedb.0001_initial" not in warning.message
    assert "contenttypes" in warning.message  # never migrated, so pending too
    assert warning.obj == "default"

    migrate(config)
    with override_settings(DATABASES={"default": config}):
        done = stage.run(make_ctx())
    assert codes_of(done) == []
    assert any("none pending" in note for note in done.notes)
    assert any("PostgreSQL" in note for note in done.notes)
    assert postgres_server.password not in rendered(done) + rendered(pending)


@override_settings(INSTALLED_APPS=WITH_STAGEDB)
def test_probe_is_read_only(postgres_server: PostgresServer) -> None:
    config = pg_db(postgres_server, "stage_readonly")
    with override_settings(DATABASES={"default": config}):
        output = stage.run(make_ctx())
    assert codes_of(output) == ["preflight.W301"]
    # Nothing was created: not even django_migrations.
    tables = postgres_server.psql(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", "stage_readonly"
    )
    assert tables == "0"


def test_wrong_password_is_unreachable_and_not_shown(postgres_server: PostgresServer) -> None:
    config = {**postgres_server.django_settings(), "PASSWORD": "wrong-pass-0451"}
    with override_settings(DATABASES={"default": config}):
        output = stage.run(make_ctx())
    [error] = only(output, "preflight.E301")
    assert "credentials rejected" in error.message
    assert "wrong-pass-0451" not in rendered(output)


def test_refused_port_is_unreachable() -> None:
    config = {"ENGINE": "django.db.backends.postgresql", "NAME": "x", "USER": "u"}
    config.update(HOST="127.0.0.1", PORT=str(free_port()), PASSWORD="p-secret-77")
    with override_settings(DATABASES={"default": config}):
        output = stage.run(make_ctx())
    assert codes_of(output) == ["preflight.E301"]
    assert "p-secret-77" not in rendered(output)


HANG_GUARD_SECONDS = 30


def test_hung_database_is_bounded(blackhole: Blackhole) -> None:
    config = {"ENGINE": "django.db.backends.postgresql", "NAME": "x", "USER": "u"}
    config.update(HOST="127.0.0.1", PORT=str(blackhole.port), PASSWORD="p")
    timeout = 1.0
    started = time.monotonic()
    with override_settings(DATABASES={"default": config}):
        output = stage.run(make_ctx(timeout=timeout))
    # A server that never answers would hold an unbounded probe forever; how close the probe
    # stays to its window is benchmarks/bench_run.py's business (no tight timing in tests).
    assert time.monotonic() - started < HANG_GUARD_SECONDS
    assert codes_of(output) == ["preflight.E301"]


def test_missing_sqlite_file_is_reported_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here.sqlite3"
    with override_settings(DATABASES={"default": {"ENGINE": SQLITE, "NAME": str(missing)}}):
        output = stage.run(make_ctx())
    [error] = only(output, "preflight.E301")
    assert "nothing-here.sqlite3" in error.message
    assert not missing.exists()


def test_migrated_sqlite_file_passes_and_is_not_modified(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    config = {"ENGINE": SQLITE, "NAME": str(path)}
    migrate(config)
    before = path.read_bytes()
    with override_settings(DATABASES={"default": config}):
        output = stage.run(make_ctx())
    assert codes_of(output) == []
    assert path.read_bytes() == before


@override_settings(INSTALLED_APPS=WITH_STAGEDB)
def test_inconsistent_history(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    config = {"ENGINE": SQLITE, "NAME": str(path)}
    migrate(config)
    with override_settings(DATABASES={"default": config}):
        assert "preflight.E304" not in codes_of(stage.run(make_ctx()))
    with sqlite3.connect(path) as raw:  # test setup: break the history by hand
        raw.execute("DELETE FROM django_migrations WHERE app = 'stagedb' AND name = '0001_initial'")
    with override_settings(DATABASES={"default": config}):
        output = stage.run(make_ctx())
    [error] = only(output, "preflight.E304")
    assert "stagedb.0002_widget_size" in error.message


def test_conflicting_migrations() -> None:
    assert "preflight.E302" not in codes_of(stage.run(make_ctx()))
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.apps.conflicted"]):
        output = stage.run(make_ctx())
    [error] = only(output, "preflight.E302")
    assert error.obj == "conflicted"
    assert "0002_left" in error.message and "0002_right" in error.message


def test_model_change_without_migration() -> None:
    with override_settings(INSTALLED_APPS=WITH_STAGEDB):
        assert "preflight.E303" not in codes_of(stage.run(make_ctx()))
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.apps.drifted"]):
        output = stage.run(make_ctx())
    [error] = only(output, "preflight.E303")
    assert error.obj == "drifted"
    assert "colour" in error.message


def test_migration_graph_that_does_not_load() -> None:
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "tests.apps.brokenmig"]):
        output = stage.run(make_ctx())
    [error] = only(output, "preflight.E305")
    assert "0000_missing" in error.message


def test_in_memory_sqlite_only_notes() -> None:
    output = stage.run(make_ctx())
    assert codes_of(output) == []
    assert any("in-memory" in note for note in output.notes)


def _write_fails(config: dict[str, object]) -> bool:
    from django.db import Error, connections
    from django.db.utils import load_backend

    from upstream_preflight.probes.database import read_only_settings

    full = connections.configure_settings({"default": config})["default"]
    bounded = read_only_settings(full, 2.0)
    wrapper = load_backend(str(bounded["ENGINE"])).DatabaseWrapper(bounded, "probe_write_test")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE preflight_write_test (id integer)")
    except Error as exc:
        return "read-only" in str(exc) or "readonly" in str(exc)
    finally:
        wrapper.close()
    return False


def test_probe_session_cannot_write(postgres_server: PostgresServer, tmp_path: Path) -> None:
    assert _write_fails(pg_db(postgres_server, "stage_write_test"))
    path = tmp_path / "db.sqlite3"
    sqlite3.connect(path).close()
    assert _write_fails({"ENGINE": SQLITE, "NAME": str(path), "OPTIONS": {}})
