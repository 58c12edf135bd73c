"""Backend faults the other test files do not cover, each against real servers: a server that
dies in the middle of a probe, a broker or database that closes every connection at once, a
wrong broker password, a broker database index out of range, TLS URLs against plain ports,
a Celery worker killed or frozen, and Redis, PostgreSQL and the worker killed while a real
`preflight run` is under way. Each ends with the right finding, within its bound.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from tests.cli_support import PREFLIGHT, VALIDATOR, clean_env, copy_example
from tests.servers import (
    LOOPBACK,
    CeleryWorker,
    PostgresServer,
    RedisServer,
    SlamDoor,
    start_postgres,
    start_redis,
)
from tests.stage_helpers import codes_of, make_ctx, rendered
from tests.test_redis_probe import BACKENDS, cache_settings, redis_findings
from tests.test_redis_probe import codes_of as redis_codes
from upstream_preflight.stages import celery as celery_stage
from upstream_preflight.stages import database as database_stage

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")

TIMEOUT = 1.0
BOUND = TIMEOUT * 2 + 5  # generous: only hanging is the point


class CutProxy:
    """Forwards TCP to `upstream`, then drops both sides when the client sends its
    `cut_at`-th chunk: a server that dies in the middle of a conversation."""

    def __init__(self, upstream_port: int, cut_at: int) -> None:
        self.upstream_port, self.cut_at = upstream_port, cut_at
        self.sock = socket.socket()
        self.sock.bind((LOOPBACK, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self.cuts = 0
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._pair, args=(client,), daemon=True).start()

    def _pair(self, client: socket.socket) -> None:
        server = socket.create_connection((LOOPBACK, self.upstream_port), 5)
        client.settimeout(None)
        server.settimeout(None)

        def back() -> None:
            with contextlib.suppress(OSError):
                while data := server.recv(65536):
                    client.sendall(data)

        threading.Thread(target=back, daemon=True).start()
        chunks = 0
        with contextlib.suppress(OSError):
            while data := client.recv(65536):
                chunks += 1
                if chunks >= self.cut_at:
                    self.cuts += 1
                    break
                server.sendall(data)
        for side in (client, server):
            with contextlib.suppress(OSError):
                side.shutdown(socket.SHUT_RDWR)
            side.close()

    def close(self) -> None:
        self._stop.set()
        self.sock.close()


@contextlib.contextmanager
def cut_proxy(upstream_port: int, cut_at: int) -> Iterator[CutProxy]:
    proxy = CutProxy(upstream_port, cut_at)
    try:
        yield proxy
    finally:
        proxy.close()


def enabled(broker_url: str) -> override_settings:
    return override_settings(CELERY_ENABLED=True, CELERY_BROKER_URL=broker_url)


def timed_celery_stage() -> tuple[list[str], str, float]:
    started = time.monotonic()
    output = celery_stage.run(make_ctx(timeout=TIMEOUT))
    return codes_of(output), rendered(output), time.monotonic() - started


def timed_database_stage(config: dict[str, object]) -> tuple[list[str], str, float]:
    started = time.monotonic()
    with override_settings(DATABASES={"default": config}):
        output = database_stage.run(make_ctx(timeout=TIMEOUT))
    return codes_of(output), rendered(output), time.monotonic() - started


# --- Redis cache ------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_redis_that_dies_in_the_middle_of_the_probe_is_E010(
    redis_server: RedisServer, backend: str
) -> None:
    """The first command (the probe's SET) is answered, then the server is gone."""
    with cut_proxy(redis_server.port, cut_at=2) as proxy:
        started = time.monotonic()
        findings = redis_findings(cache_settings(backend, f"redis://{LOOPBACK}:{proxy.port}/0"))
        assert time.monotonic() - started < BOUND
        assert proxy.cuts >= 1
    assert redis_codes(findings) == {"monitoring.E010"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_rediss_url_against_a_plain_port_is_E010(redis_server: RedisServer, backend: str) -> None:
    started = time.monotonic()
    findings = redis_findings(cache_settings(backend, f"rediss://{LOOPBACK}:{redis_server.port}/0"))
    assert time.monotonic() - started < BOUND
    assert redis_codes(findings) == {"monitoring.E010"}


# --- Celery broker and workers -----------------------------------------------------------------


def test_broker_that_closes_every_connection_is_E501(slam_door: SlamDoor) -> None:
    with enabled(slam_door.url()):
        found, _text, elapsed = timed_celery_stage()
    assert found == ["preflight.E501"] and elapsed < BOUND


def test_broker_wrong_password_is_E501_and_not_shown() -> None:
    server = start_redis("right-broker-pw-19")
    try:
        with enabled(server.url(0, password="wrong/broker?pw#1")):
            found, text, elapsed = timed_celery_stage()
    finally:
        server.stop()
    assert found == ["preflight.E501"] and elapsed < BOUND
    assert "wrong/broker?pw#1" not in text and "right-broker-pw-19" not in text


def test_broker_database_index_out_of_range_is_E501(redis_server: RedisServer) -> None:
    with enabled(redis_server.url(999)):
        found, _text, elapsed = timed_celery_stage()
    assert found == ["preflight.E501"] and elapsed < BOUND


def test_rediss_broker_against_a_plain_port_is_E501(redis_server: RedisServer) -> None:
    url = f"rediss://{LOOPBACK}:{redis_server.port}/0?ssl_cert_reqs=required"
    with enabled(url):
        found, _text, elapsed = timed_celery_stage()
    assert found == ["preflight.E501"] and elapsed < BOUND


def test_worker_frozen_then_killed_is_E502(redis_server: RedisServer) -> None:
    worker = CeleryWorker(redis_server.url(9), queues=("celery",)).start()
    try:
        for how in (signal.SIGSTOP, signal.SIGKILL):
            os.kill(worker.pid, how)
            with enabled(worker.broker_url):
                found, _text, elapsed = timed_celery_stage()
            assert found == ["preflight.E502"] and elapsed < BOUND, how
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGCONT)
        worker.stop()


# --- PostgreSQL --------------------------------------------------------------------------------


def test_database_that_closes_every_connection_is_E301(slam_door: SlamDoor) -> None:
    config = {"ENGINE": "django.db.backends.postgresql", "NAME": "x", "USER": "u"}
    config.update(HOST=LOOPBACK, PORT=str(slam_door.port), PASSWORD="slam-pw-0c")
    found, text, elapsed = timed_database_stage(config)
    assert found == ["preflight.E301"] and elapsed < BOUND
    assert "slam-pw-0c" not in text


def test_database_that_dies_after_authentication_is_E301(postgres_server: PostgresServer) -> None:
    """Startup and the SCRAM exchange pass (three client messages), the first query does not."""
    with cut_proxy(postgres_server.port, cut_at=4) as proxy:
        config = {**postgres_server.django_settings(), "PORT": str(proxy.port)}
        found, text, elapsed = timed_database_stage(config)
        assert proxy.cuts >= 1
    assert found == ["preflight.E301"] and elapsed < BOUND
    assert postgres_server.password not in text


def test_database_requiring_tls_from_a_plain_server_is_E301(
    postgres_server: PostgresServer,
) -> None:
    config = {**postgres_server.django_settings(), "OPTIONS": {"sslmode": "require"}}
    found, text, elapsed = timed_database_stage(config)
    assert found == ["preflight.E301"] and elapsed < BOUND
    assert postgres_server.password not in text


# --- killed while a real run is under way ------------------------------------------------------


def test_backends_killed_during_a_run(tmp_path: Path) -> None:
    """Redis, PostgreSQL and the worker are killed as soon as the run prints its first line:
    the run ends within its bound with a complete, valid report naming what it found."""
    project = copy_example(tmp_path, prepared=False)
    redis, postgres = start_redis(), start_postgres()
    worker = CeleryWorker(redis.url(1), queues=("default",)).start()
    url = postgres.create_database("killed")
    env = clean_env(
        DJANGO_SETTINGS_MODULE="upstream.settings.prod",
        REDIS_URL=redis.url(0),
        CELERY_BROKER_URL=worker.broker_url,
        DATABASE_URL=url,
        ALLOWED_HOSTS="app.upstream.cx",
        PORTAL_BASE_URL="https://app.upstream.cx",
    )
    process = subprocess.Popen(
        [PREFLIGHT, "run", "--json", "--timeout", "2"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()  # progress goes to stderr with --json
        for server in (worker, redis, postgres):
            os.kill(server.pid, signal.SIGKILL)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
        for server in (worker, redis, postgres):
            server.stop()
    assert first, stderr
    assert "Traceback" not in stderr
    document = json.loads(stdout)
    VALIDATOR.validate(document)
    assert document["exit_code"] == process.returncode == 1
    assert [s["id"] for s in document["stages"]][-1] == "security"
    found = {f["code"] for stage in document["stages"] for f in stage["findings"]}
    assert {"monitoring.E010", "preflight.E301", "preflight.E501"} <= found
    assert document["components"]["redis"]["healthy"] is False
    assert postgres.password not in stdout + stderr


# --- docs/reliability.md ----------------------------------------------------------------------


def test_every_row_of_the_reliability_table_names_tests_that_exist() -> None:
    """Each row of docs/reliability.md names `file::test` (or `::test`, same file as the
    previous one), and every test so named is defined."""
    import ast
    import re

    repo = Path(__file__).resolve().parent.parent
    rows = [
        line
        for line in (repo / "docs" / "reliability.md").read_text().splitlines()
        if line.startswith("| ") and not line.startswith(("| fault", "| input", "| property"))
    ]
    defined: dict[str, set[str]] = {}
    assert len(rows) > 40
    for row in rows:
        refs = re.findall(r"`((?:tests/[\w/]+\.py)?)::(\w+)`", row)
        assert refs, row
        current = ""
        for path, name in refs:
            current = path or current
            if current not in defined:
                tree = ast.parse((repo / current).read_text())
                defined[current] = {
                    n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
                }
            assert name in defined[current], f"{current}::{name}"
