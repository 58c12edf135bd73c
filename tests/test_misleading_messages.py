"""Faults that used to be reported as something else: a Redis loading its dataset ("Cannot
connect"), a Redis ACL that refuses Celery's pub/sub ("broker connection failed"), a TLS
certificate that does not verify ("connection failed"). Real servers: redis-server with ACL
users, redis-server with TLS and a certificate made here; the LOADING reply comes from a
loopback server that answers every command with it (a real server says it only while it loads
a dataset, which takes no fixed time)."""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.servers import LOOPBACK, AcceptLoop, free_port, start_redis, stop_pid, wait_for_port
from tests.test_redis_probe import DJANGO_REDIS, cache_settings, codes_of, redis_findings
from upstream_preflight.probes.celery import probe_celery

TIMEOUT = 2.0


# --- LOADING -------------------------------------------------------------------------------


class LoadingRedis(AcceptLoop):
    """Answers every command as a Redis that is loading its dataset does."""

    REPLY = b"-LOADING Redis is loading the dataset in memory\r\n"

    def handle(self, conn: socket.socket) -> None:
        threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                while conn.recv(65536):
                    conn.sendall(self.REPLY)
            except OSError:
                pass


@pytest.fixture
def loading_redis() -> Iterator[LoadingRedis]:
    server = LoadingRedis()
    yield server
    server.close()


def test_a_redis_loading_its_dataset_is_said_to_be_loading(loading_redis: LoadingRedis) -> None:
    [finding] = redis_findings(cache_settings(DJANGO_REDIS, loading_redis.url()), TIMEOUT)
    assert finding.code == "monitoring.E009", finding.message
    assert "loading its dataset into memory" in finding.message
    assert "Cannot connect" not in finding.message
    broker = probe_celery(loading_redis.url(), TIMEOUT, first_reply_is_enough=True)
    assert not broker.broker_reachable
    assert "loading its dataset into memory" in broker.detail, broker.detail


# --- ACL -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def acl_redis() -> Iterator[str]:
    """A real Redis with two users that may do everything on keys, but: `nochannels` may use no
    pub/sub channel (Redis 7's default for a new user), `nopubsub` no pub/sub command."""
    server = start_redis()
    client = server.client()
    client.acl_setuser(
        "nochannels", enabled=True, passwords=["+pw-acl-1"], keys=["*"], commands=["+@all"]
    )
    client.acl_setuser(
        "nopubsub",
        enabled=True,
        passwords=["+pw-acl-2"],
        keys=["*"],
        channels=["*"],
        commands=["+@all", "-@pubsub"],
    )
    client.close()
    yield f"{LOOPBACK}:{server.port}"
    server.stop()


def test_an_acl_without_channels_is_a_refused_permission(acl_redis: str) -> None:
    result = probe_celery(f"redis://nochannels:pw-acl-1@{acl_redis}/0", TIMEOUT)
    assert not result.broker_reachable
    assert result.detail.startswith("broker refused a permission"), result.detail
    assert "pub/sub channels" in result.detail and "&*" in result.detail
    assert "pw-acl-1" not in result.detail


def test_an_acl_without_pubsub_commands_names_the_category(acl_redis: str) -> None:
    result = probe_celery(f"redis://nopubsub:pw-acl-2@{acl_redis}/0", TIMEOUT)
    assert not result.broker_reachable
    assert result.detail.startswith("broker refused a permission"), result.detail
    assert "ACL category @pubsub" in result.detail


# --- TLS -----------------------------------------------------------------------------------


@dataclass
class TlsRedis:
    port: int
    certificate: Path

    def url(self, query: str) -> str:
        return f"rediss://{LOOPBACK}:{self.port}/0?{query}"


def self_signed(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "preflight-test-redis")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(LOOPBACK))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "redis.crt", directory / "redis.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture(scope="module")
def tls_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsRedis]:
    directory = tmp_path_factory.mktemp("tls-redis")
    cert, key = self_signed(directory)
    port = free_port()
    process = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            *("--port", "0", "--tls-port", str(port), "--bind", LOOPBACK),
            *("--tls-cert-file", str(cert), "--tls-key-file", str(key)),
            *("--tls-ca-cert-file", str(cert), "--tls-auth-clients", "no"),
            *("--save", "", "--appendonly", "no", "--daemonize", "no"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield TlsRedis(port, cert)
    finally:
        stop_pid(process.pid)


def test_a_certificate_that_does_not_verify_is_said_so(tls_redis: TlsRedis) -> None:
    verified = tls_redis.url("ssl_cert_reqs=required")
    [finding] = redis_findings(cache_settings(DJANGO_REDIS, verified), TIMEOUT)
    assert "TLS certificate did not verify (self-signed certificate)" in finding.message
    assert "connection failed" not in finding.message
    broker = probe_celery(verified, TIMEOUT)
    assert not broker.broker_reachable
    assert "TLS certificate did not verify (self-signed certificate)" in broker.detail
    # The same server, with its certificate as the authority: the TLS itself works.
    trusted = tls_redis.url(f"ssl_cert_reqs=required&ssl_ca_certs={tls_redis.certificate}")
    assert codes_of(redis_findings(cache_settings(DJANGO_REDIS, trusted), TIMEOUT)) == set()
