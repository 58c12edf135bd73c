"""Read-only, bounded database probes: connect to each DATABASES alias and read its migrations.

Recipe from shared/PROBES.md: a private copy of the alias's settings with a connect timeout and
a read-only session (PostgreSQL `default_transaction_read_only`, MySQL `TRANSACTION READ ONLY`,
SQLite `mode=ro`, so a missing file is not created, or `immutable=1` for a WAL database with no
`-wal`/`-shm` files, so none are left behind: see `sqlite_read_only_query`). The private
wrapper is registered in `connections` under the alias's own name, but only inside the probe's
own thread (`connections` is thread-local), so the migration recorder and database routers see
the alias they expect while the rest of the process keeps its own connection.
"""

from __future__ import annotations

import copy
import math
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from upstream_preflight.probes import (
    BACKSTOP_GRACE_SECONDS,
    ProbeTimeout,
    elapsed_ms,
    run_bounded,
)
from upstream_preflight.redaction import redact_text
from upstream_preflight.waiting import join_within

# psycopg treats a connect_timeout below 2 as 2 (measured, PROBES.md).
POSTGRES_MIN_CONNECT_TIMEOUT = 2
IN_MEMORY_SQLITE = ("", ":memory:")


@dataclass
class MigrationState:
    applied: int = 0
    unapplied: list[str] = field(default_factory=list)
    """`app.name` of each migration the plan would apply, in order."""
    inconsistent: str | None = None
    """The InconsistentMigrationHistory message, when the history is broken."""
    recorded: bool = True
    """False when the alias has no django_migrations table at all."""
    error: str | None = None
    """Why the migrations could not be read (the connection itself worked)."""


@dataclass
class DatabaseProbeResult:
    alias: str
    ok: bool
    vendor: str = ""
    target: str = ""
    """Where the alias points (host:port/name or a file name); never credentials."""
    detail: str = ""
    elapsed_ms: int = 0
    migrations: MigrationState | None = None
    in_memory: bool = False


def database_settings() -> dict[str, dict[str, Any]]:
    """Every DATABASES alias with Django's defaults filled in (read from settings each time,
    so a changed DATABASES is seen)."""
    from django.conf import settings
    from django.db import connections

    return connections.configure_settings(copy.deepcopy(settings.DATABASES))


def read_only_settings(config: dict[str, Any], timeout: float) -> dict[str, Any]:
    """A copy of one alias's settings that connects within `timeout` and cannot write."""
    bounded = copy.deepcopy(config)
    engine = str(bounded.get("ENGINE", ""))
    options = dict(bounded.get("OPTIONS") or {})
    options.pop("pool", None)  # a probe must not start a connection pool
    seconds = max(1, math.ceil(timeout))
    if "postgresql" in engine or "postgis" in engine:
        options["connect_timeout"] = max(POSTGRES_MIN_CONNECT_TIMEOUT, seconds)
        statement_ms = max(1000, int(timeout * 1000))
        extra = f"-c default_transaction_read_only=on -c statement_timeout={statement_ms}"
        options["options"] = f"{options.get('options', '')} {extra}".strip()
    elif "mysql" in engine:
        options.update(connect_timeout=seconds, read_timeout=seconds, write_timeout=seconds)
        init = options.get("init_command", "")
        options["init_command"] = "; ".join(
            part for part in (init, "SET SESSION TRANSACTION READ ONLY") if part
        )
    elif _is_sqlite(bounded) and not is_in_memory(bounded):
        path = Path(bounded["NAME"]).resolve()
        bounded["NAME"] = f"file:{quote(str(path))}?{sqlite_read_only_query(path)}"
        # An init command that writes would fail on a read-only file: not the probe's concern.
        options.pop("init_command", None)
        options["timeout"] = timeout
    bounded["OPTIONS"] = options
    bounded["CONN_MAX_AGE"] = 0
    bounded["CONN_HEALTH_CHECKS"] = False
    return bounded


def sqlite_read_only_query(path: Path) -> str:
    """The URI query that opens `path` read-only and creates nothing beside it.

    `mode=ro` creates nothing for a rollback-journal database. A WAL database is different: a
    reader needs the `-wal` and `-shm` files, and SQLite creates them when they are missing
    (and, being read-only, cannot remove them on close); in a directory this process cannot
    write, it cannot create them and the first read fails with "attempt to write a readonly
    database". When they are missing, no writer has the database open and everything committed
    is in the main file (the last connection to close checkpoints it and deletes them), so
    `immutable=1` reads it without them: no files, no locks. When they exist, a writer may
    have commits only in the WAL, so `mode=ro` reads through them (creating nothing).
    What immutable=1 gives up: a -wal left without its -shm by a crashed writer is not read
    (the next writer recovers it), and a writer that opens the file and checkpoints during
    the probe's reads (milliseconds) is not locked out."""
    if _is_wal_database(path) and not all(
        Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm")
    ):
        return "mode=ro&immutable=1"
    return "mode=ro"


def _is_wal_database(path: Path) -> bool:
    """Header bytes 18-19 (read and write format versions) are 2 in WAL mode."""
    try:
        with path.open("rb") as file:
            header = file.read(20)
    except OSError:
        return False  # the connection reports why it cannot be read
    return header.startswith(b"SQLite format 3\x00") and header[18:20] == b"\x02\x02"


def is_in_memory(config: dict[str, Any]) -> bool:
    name = str(config.get("NAME") or "")
    return name in IN_MEMORY_SQLITE or "mode=memory" in name or name.startswith("file::memory:")


def _is_sqlite(config: dict[str, Any]) -> bool:
    return "sqlite3" in str(config.get("ENGINE", ""))


def describe_target(config: dict[str, Any]) -> str:
    engine = str(config.get("ENGINE", ""))
    name = str(config.get("NAME") or "")
    if "sqlite3" in engine:
        return "in-memory" if is_in_memory(config) else Path(name).name
    host = str(config.get("HOST") or "localhost")
    port = str(config.get("PORT") or "")
    return f"{host}:{port}/{name}" if port else f"{host}/{name}"


def probe_databases(
    configs: dict[str, dict[str, Any]], timeout: float, with_migrations: bool = True
) -> list[DatabaseProbeResult]:
    """Probe every alias concurrently; each one bounded by `run_bounded`."""
    results: dict[str, DatabaseProbeResult] = {}

    def probe(alias: str) -> None:
        results[alias] = probe_database(alias, configs[alias], timeout, with_migrations)

    threads = [
        threading.Thread(target=probe, args=(alias,), name=f"preflight-db-{alias}", daemon=True)
        for alias in configs
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + budget(timeout) + 1
    for thread in threads:
        join_within(thread, deadline - time.monotonic())
    return [
        results.get(alias)
        or DatabaseProbeResult(alias, False, detail=f"no answer within {timeout:g} s")
        for alias in configs
    ]


def budget(timeout: float) -> float:
    """Connect (psycopg's floor applies) plus the migration queries, plus the grace."""
    return max(POSTGRES_MIN_CONNECT_TIMEOUT, timeout) + timeout + BACKSTOP_GRACE_SECONDS


def probe_database(
    alias: str, config: dict[str, Any], timeout: float, with_migrations: bool = True
) -> DatabaseProbeResult:
    started = time.monotonic()
    target = describe_target(config)
    secrets = tuple(str(v) for v in (config.get("PASSWORD"),) if v)
    if _is_sqlite(config) and not is_in_memory(config) and not Path(config["NAME"]).exists():
        detail = f"SQLite file {target} does not exist"
        return DatabaseProbeResult(alias, False, target=target, detail=detail)
    try:
        result = run_bounded(
            lambda: _probe(alias, read_only_settings(config, timeout), with_migrations),
            budget(timeout),
            f"database-{alias}",
        )
    except ProbeTimeout:
        result = DatabaseProbeResult(alias, False, detail=f"no answer within {timeout:g} s")
    except Exception as exc:
        result = DatabaseProbeResult(alias, False, detail=failure_reason(exc, config, secrets))
    result.target = target
    result.elapsed_ms = elapsed_ms(started)
    return result


def _probe(alias: str, config: dict[str, Any], with_migrations: bool) -> DatabaseProbeResult:
    from django.db import connections
    from django.db.utils import load_backend

    backend = load_backend(config["ENGINE"])
    wrapper = backend.DatabaseWrapper(config, alias)
    connections[alias] = wrapper  # this thread only: see the module docstring
    try:
        wrapper.ensure_connection()
        result = DatabaseProbeResult(alias, True, vendor=wrapper.display_name)
        if is_in_memory(config) and wrapper.vendor == "sqlite":
            result.in_memory = True
        elif with_migrations:
            try:
                result.migrations = migration_state(wrapper)
            except Exception as exc:
                secrets = tuple(str(v) for v in (config.get("PASSWORD"),) if v)
                detail = redact_text(
                    str(exc).strip().splitlines()[0] if str(exc).strip() else "", secrets
                )
                result.migrations = MigrationState(error=f"{type(exc).__name__}: {detail[:200]}")
        return result
    finally:
        wrapper.close()
        del connections[alias]


def migration_state(connection: Any) -> MigrationState:
    from django.db.migrations.exceptions import InconsistentMigrationHistory
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    state = MigrationState(recorded=executor.recorder.has_table())
    applied = executor.loader.applied_migrations or {}
    state.applied = len(applied)
    try:
        executor.loader.check_consistent_history(connection)
    except InconsistentMigrationHistory as exc:
        state.inconsistent = str(exc)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    state.unapplied = [f"{m.app_label}.{m.name}" for m, backwards in plan if not backwards]
    return state


def failure_reason(exc: BaseException, config: dict[str, Any], secrets: tuple[str, ...]) -> str:
    """A short, secret-free reason for a failed connection."""
    text = str(exc)
    lowered = text.lower()
    engine = str(config.get("ENGINE", ""))
    if "sqlite3" in engine and "unable to open database file" in lowered:
        return f"SQLite file {describe_target(config)} does not exist or cannot be read"
    if "refused" in lowered:
        return "connection refused"
    if "timeout" in lowered or "timed out" in lowered:
        return "no answer within the timeout"
    if "password authentication failed" in lowered or "access denied" in lowered:
        return "credentials rejected"
    if "does not exist" in lowered and "database" in lowered:
        return "database does not exist"
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    shown = redact_text(first_line, secrets)[:200]
    return f"{type(exc).__name__}: {shown}" if shown else type(exc).__name__
