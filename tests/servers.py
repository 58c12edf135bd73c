"""Real servers for tests, each on a free loopback port, stopped by its pid.

Nothing here talks to any address outside 127.0.0.0/8.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"
PG_BIN = Path(os.environ.get("PREFLIGHT_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_SYSTEM_USER = "preflight-pg"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, deadline_s: float = 15.0) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        with contextlib.suppress(OSError), socket.create_connection((LOOPBACK, port), 0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listened on {LOOPBACK}:{port} within {deadline_s} s")


def stop_pid(pid: int, sig: int = signal.SIGTERM, wait_s: float = 10.0) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
    end = time.monotonic() + wait_s
    while time.monotonic() < end:
        try:
            finished, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            finished = pid
        if finished == pid:
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


# --- Redis -----------------------------------------------------------------------------------


@dataclass
class RedisServer:
    port: int
    password: str | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def url(self, db: int = 0, password: str | None = None) -> str:
        secret = self.password if password is None else password
        auth = f":{secret}@" if secret else ""
        return f"redis://{auth}{LOOPBACK}:{self.port}/{db}"

    def start(self) -> RedisServer:
        args = [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(self.port),
            "--bind",
            LOOPBACK,
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
        ]
        if self.password:
            args += ["--requirepass", self.password]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_port(self.port)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stop_pid(self.process.pid)
        self.process = None

    def client(self, db: int = 0):  # -> redis.Redis
        import redis

        return redis.Redis.from_url(self.url(db), socket_timeout=5)


def start_redis(password: str | None = None) -> RedisServer:
    return RedisServer(free_port(), password).start()


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_account() -> tuple[int, int] | None:
    """PostgreSQL refuses to run as root: as root, use (and make) an unprivileged user."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(PG_SYSTEM_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                PG_SYSTEM_USER,
            ],
            check=True,
        )
        entry = pwd.getpwnam(PG_SYSTEM_USER)
    return entry.pw_uid, entry.pw_gid


@dataclass
class PostgresServer:
    port: int
    user: str = "preflight"
    password: str = field(default_factory=lambda: "pg-" + secrets.token_hex(8))
    dbname: str = "preflight"
    datadir: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def url(self, dbname: str | None = None, password: str | None = None) -> str:
        secret = self.password if password is None else password
        return f"postgres://{self.user}:{secret}@{LOOPBACK}:{self.port}/{dbname or self.dbname}"

    def django_settings(self, dbname: str | None = None) -> dict[str, object]:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": dbname or self.dbname,
            "USER": self.user,
            "PASSWORD": self.password,
            "HOST": LOOPBACK,
            "PORT": str(self.port),
        }

    def _run_as_pg(self, args: list[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        account = _pg_account()
        extra = {"user": account[0], "group": account[1]} if account else {}
        return subprocess.run(args, check=True, capture_output=True, **extra, **kwargs)  # type: ignore[arg-type]

    def start(self) -> PostgresServer:
        account = _pg_account()
        self.datadir = Path(tempfile.mkdtemp(prefix="preflight-pg-"))
        pwfile = self.datadir / "pw"
        pwfile.write_text(self.password)
        if account:
            os.chown(self.datadir, *account)
            os.chown(pwfile, *account)
        data = self.datadir / "data"
        self._run_as_pg(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-U",
                self.user,
                "--pwfile",
                str(pwfile),
                "--auth-host=scram-sha-256",
                "--auth-local=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        )
        extra = {"user": account[0], "group": account[1]} if account else {}
        self.process = subprocess.Popen(
            [
                str(PG_BIN / "postgres"),
                "-D",
                str(data),
                "-p",
                str(self.port),
                "-c",
                f"listen_addresses={LOOPBACK}",
                "-c",
                f"unix_socket_directories={self.datadir}",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            **extra,  # type: ignore[arg-type]
        )
        wait_for_port(self.port, 30)
        # The port listens before recovery ends ("the database system is starting up").
        end = time.monotonic() + 30
        while True:
            try:
                self.create_database(self.dbname)
                return self
            except subprocess.CalledProcessError as exc:
                if b"starting up" not in exc.stderr or time.monotonic() > end:
                    raise
                time.sleep(0.1)

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        result = subprocess.run(
            [
                str(PG_BIN / "psql"),
                "-X",
                "-q",
                "-t",
                "-A",
                "-h",
                LOOPBACK,
                "-p",
                str(self.port),
                "-U",
                self.user,
                "-d",
                dbname,
                "-c",
                sql,
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PGPASSWORD": self.password},
        )
        return result.stdout.decode().strip()

    def create_database(self, name: str) -> str:
        exists = self.psql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
        if not exists:
            self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stop_pid(self.process.pid, signal.SIGINT)  # fast shutdown
        self.process = None
        if self.datadir is not None:
            shutil.rmtree(self.datadir, ignore_errors=True)
            self.datadir = None


def start_postgres() -> PostgresServer:
    return PostgresServer(free_port()).start()


# --- servers that misbehave --------------------------------------------------------------


class Blackhole:
    """Accepts TCP connections (the kernel completes the handshake) and never answers."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind((LOOPBACK, 0))
        self.sock.listen(512)
        self.port: int = self.sock.getsockname()[1]

    def url(self, scheme: str = "redis", path: str = "/0") -> str:
        return f"{scheme}://{LOOPBACK}:{self.port}{path}"

    def close(self) -> None:
        self.sock.close()


class AcceptLoop:
    """A loopback server that hands each connection to `handle` on a thread of its own."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind((LOOPBACK, 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port: int = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.handle(conn)

    def handle(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def url(self, scheme: str = "redis", path: str = "/0") -> str:
        return f"{scheme}://{LOOPBACK}:{self.port}{path}"

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


class SlamDoor(AcceptLoop):
    """Accepts each connection and closes it at once."""

    def handle(self, conn: socket.socket) -> None:
        conn.close()


# --- Celery worker ---------------------------------------------------------------------------


@dataclass
class CeleryWorker:
    broker_url: str
    queues: tuple[str, ...] = ("celery",)
    name: str = field(default_factory=lambda: f"w{secrets.token_hex(3)}@preflight-tests")
    process: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self, ready_timeout: float = 30.0) -> CeleryWorker:
        env = {**os.environ, "PREFLIGHT_TEST_BROKER": self.broker_url}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.worker_app:app",
                "worker",
                "--pool",
                "solo",
                "--concurrency",
                "1",
                "-Q",
                ",".join(self.queues),
                "-n",
                self.name,
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "WARNING",
            ],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_ready(ready_timeout)
        return self

    def _wait_ready(self, ready_timeout: float) -> None:
        from upstream_preflight.probes.celery import probe_celery

        end = time.monotonic() + ready_timeout
        while time.monotonic() < end:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited with {self.process.returncode}")
            if self.name in probe_celery(self.broker_url, 2.0).workers:
                return
            time.sleep(0.2)
        raise RuntimeError("celery worker did not answer a ping in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stop_pid(self.process.pid, signal.SIGTERM, wait_s=15)
        self.process = None


@contextlib.contextmanager
def running(server: RedisServer | PostgresServer | CeleryWorker) -> Iterator[object]:
    try:
        yield server
    finally:
        server.stop()
