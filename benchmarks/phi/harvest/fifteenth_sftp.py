"""The `paramiko` emitter of `fifteenth_held.py`: the app's file exchange with a clearinghouse and
a reference lab over SFTP (eligibility requests and claims sent, results and remittances
fetched, statements and referral packets dropped, files archived), paramiko's `SFTPClient` against
paramiko's own SFTP server (`SFTPServer` over an in-memory file system, its transport on a
thread of its own) over a socket pair: no port at all. One connection per batch, each closed and
its threads joined before the next. Captured: the client's `paramiko.transport` records (the
banner, the key exchange offered and agreed, authentication, channels, EOF) and its
`paramiko.transport.sftp` records (each operation with its paths: `open(b'...', 'wb')`,
`stat`, `listdir`, `rename`, `remove`, `mkdir`, handles), and what the app logs: uploads and
downloads, listings (`SFTPAttributes` as `ls -l` writes them), `IOError`s with the paths they
were about, `AuthenticationException`s of a rotated password, tracebacks. Remittance files
(835), batch acknowledgements (999), fee schedules and transfer logs for the benign lines.

The server's transport logs on a channel of its own that is not captured. The records of the
client's two threads (the caller's and the transport's) are put in a fixed order, the caller's
first, each thread's in its own order, and those that the closing races (`EOF ...`, `Socket
exception ...`) are left out; the transport thread's address in `starting thread` is
fixed; file times are in 2025 and shown in UTC, so `ls -l` writes them the same on every run."""

from __future__ import annotations

import contextlib
import datetime
import io
import logging
import os
import random
import re
import socket
import stat
import threading
import time
from typing import Any

import paramiko
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from patients import Patient

log = logging.getLogger("clinic.exchange")
PASSWORD = "Clearing-2026!"
EPOCH = int(datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC).timestamp())


def fixed(text: str) -> str:
    return re.sub(
        r"(starting thread \((?:client|server) mode\): )0x[0-9a-f]+", r"\g<1>0x7f3a2c1d", text
    )


# --- the server: an in-memory file system -----------------------------------------------------


class _Files:
    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}
        self.times: dict[str, int] = {}
        self.dirs: set[str] = {"/"}
        self.clock = EPOCH

    def tick(self, r: random.Random) -> int:
        self.clock += r.randint(30, 20_000)
        return self.clock

    def mkdirs(self, path: str) -> None:
        parts = path.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            self.dirs.add("/" + "/".join(parts[:i]))

    def attr(self, path: str) -> paramiko.SFTPAttributes:
        a = paramiko.SFTPAttributes()
        a.filename = path.rsplit("/", 1)[-1]
        a.st_uid, a.st_gid = 1001, 1001
        if path in self.dirs:
            a.st_mode, a.st_size = stat.S_IFDIR | 0o750, 4096
            a.st_mtime = a.st_atime = EPOCH
        else:
            a.st_mode, a.st_size = stat.S_IFREG | 0o640, len(self.data[path])
            a.st_mtime = a.st_atime = self.times[path]
        return a


FILES = _Files()
_R = random.Random(0)


class _Handle(paramiko.SFTPHandle):
    def __init__(self, path: str, flags: int) -> None:
        super().__init__(flags)
        self.path = path

    def write(self, offset: int, data: bytes) -> int:
        FILES.data[self.path] = FILES.data.get(self.path, b"")[:offset] + data
        FILES.times[self.path] = FILES.tick(_R)
        return paramiko.SFTP_OK

    def read(self, offset: int, length: int) -> bytes:
        return FILES.data.get(self.path, b"")[offset : offset + length]

    def stat(self) -> paramiko.SFTPAttributes:
        return FILES.attr(self.path)

    def chattr(self, attr: Any) -> int:
        return paramiko.SFTP_OK


class _Fs(paramiko.SFTPServerInterface):
    def canonicalize(self, path: str) -> str:
        return "/" + "/".join(p for p in path.split("/") if p and p != ".")

    def open(self, path: str, flags: int, attr: Any) -> Any:
        folder = path.rsplit("/", 1)[0] or "/"
        writing = flags & (os.O_WRONLY | os.O_RDWR)
        if folder.startswith("/inbound") and writing:
            return paramiko.SFTP_PERMISSION_DENIED
        if folder not in FILES.dirs:
            return paramiko.SFTP_NO_SUCH_FILE
        if not writing and path not in FILES.data:
            return paramiko.SFTP_NO_SUCH_FILE
        if writing and flags & os.O_EXCL and path in FILES.data:
            return paramiko.SFTP_FAILURE
        if writing:
            FILES.data.setdefault(path, b"")
            FILES.times.setdefault(path, FILES.tick(_R))
        return _Handle(path, flags)

    def stat(self, path: str) -> Any:
        if path not in FILES.data and path not in FILES.dirs:
            return paramiko.SFTP_NO_SUCH_FILE
        return FILES.attr(path)

    lstat = stat

    def list_folder(self, path: str) -> Any:
        if path not in FILES.dirs:
            return paramiko.SFTP_NO_SUCH_FILE
        names = [
            p
            for p in sorted(FILES.data) + sorted(FILES.dirs)
            if p.rsplit("/", 1)[0] == path and p != path
        ]
        return [FILES.attr(p) for p in names]

    def remove(self, path: str) -> int:
        if path not in FILES.data:
            return paramiko.SFTP_NO_SUCH_FILE
        if path.startswith("/inbound"):
            return paramiko.SFTP_PERMISSION_DENIED
        del FILES.data[path]
        return paramiko.SFTP_OK

    def rename(self, old: str, new: str) -> int:
        if old not in FILES.data:
            return paramiko.SFTP_NO_SUCH_FILE
        if new in FILES.data or (new.rsplit("/", 1)[0] or "/") not in FILES.dirs:
            return paramiko.SFTP_FAILURE
        FILES.data[new] = FILES.data.pop(old)
        FILES.times[new] = FILES.times.pop(old)
        return paramiko.SFTP_OK

    def mkdir(self, path: str, attr: Any) -> int:
        if path in FILES.dirs or path in FILES.data:
            return paramiko.SFTP_FAILURE
        FILES.mkdirs(path)
        return paramiko.SFTP_OK

    def chattr(self, path: str, attr: Any) -> int:
        return paramiko.SFTP_OK


class _Server(paramiko.ServerInterface):
    def check_auth_password(self, username: str, password: str) -> int:
        ok = username == "lakeside" and password == PASSWORD
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_channel_request(self, kind: str, chanid: int) -> int:
        return paramiko.OPEN_SUCCEEDED


def _serve(transport: paramiko.Transport) -> None:
    """The server's side of the handshake; a client that is gone before this thread looks at
    the handshake again (a refused login closes at once) is no error of the server's."""
    with contextlib.suppress(EOFError, paramiko.SSHException):
        transport.start_server(server=_Server())


def _host_key(seed: int) -> paramiko.PKey:
    raw = random.Random(seed).getrandbits(256).to_bytes(32, "big")
    pem = Ed25519PrivateKey.from_private_bytes(raw).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.OpenSSH,
        serialization.NoEncryption(),
    )
    return paramiko.Ed25519Key.from_private_key(io.StringIO(pem.decode()))


# --- one connection, its records in a fixed order ----------------------------------------------


class _Held(logging.Handler):
    """Keeps the client transport's records while a connection is open."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


# What the client's transport thread writes, or not, as the peer's closing races it.
_RACY = re.compile(r"EOF |Socket exception")


class _Connection:
    def __init__(self, key: paramiko.PKey, password: str, cap: Any) -> None:
        self.key, self.password, self.cap = key, password, cap
        self.held = _Held()
        self.logger = logging.getLogger("paramiko.transport")

    def __enter__(self) -> paramiko.SFTPClient:
        self.logger.addHandler(self.held)
        self.logger.propagate = False
        self.logger.setLevel(logging.DEBUG)
        a, b = socket.socketpair()
        self.server = paramiko.Transport(b)
        self.server.set_log_channel("exchange.server")
        logging.getLogger("exchange.server").addHandler(logging.NullHandler())
        logging.getLogger("exchange.server").propagate = False
        self.server.add_server_key(self.key)
        self.server.set_subsystem_handler("sftp", paramiko.SFTPServer, _Fs)
        self.started = threading.Thread(target=_serve, args=(self.server,))
        self.started.start()
        self.client = paramiko.Transport(a)
        self.sftp: paramiko.SFTPClient | None = None
        try:
            self.client.connect(username="lakeside", password=self.password)
            self.sftp = paramiko.SFTPClient.from_transport(self.client)
        except BaseException:
            self._close()
            raise
        return self.sftp

    def _close(self) -> None:
        if self.sftp is not None:
            self.sftp.close()
        self.client.close()
        self.started.join()
        self.server.close()
        for t in (self.client, self.server):
            if t.is_alive():
                t.join(10)
        self.logger.removeHandler(self.held)
        self.logger.propagate = True
        main = [r for r in self.held.records if r.threadName == "MainThread"]
        rest = [r for r in self.held.records if r.threadName != "MainThread"]
        for record in main + rest:
            if not _RACY.search(record.getMessage()):
                self.cap.handle(record)

    def __exit__(self, *exc: object) -> None:
        self._close()


# --- what the app does ----------------------------------------------------------------------


def _safe(value: str) -> bool:
    return "/" not in value


def _name_part(p: Patient, r: random.Random) -> str:
    return r.choice(
        [
            f"{p.last_name}.{p.first_name}",
            f"{p.last_name}, {p.first_name}",
            f"{p.first_name} {p.last_name}",
            f"{p.last_name}-{p.first_name}",
        ]
    )


def _paths(p: Patient, r: random.Random) -> list[tuple[str, str]]:
    """(path, what) of the files the app sends about one patient."""
    day = datetime.date(2026, 5, 4) + datetime.timedelta(days=r.randint(-40, 40))
    out = [
        (f"/outbound/270/{_name_part(p, r)}.{p.dob:%Y%m%d}.270", "eligibility request"),
        (f"/outbound/referrals/{_name_part(p, r)} - DOB {p.dob}.pdf", "referral packet"),
        (f"/outbound/statements/{day:%Y-%m}/{p.last_name}-{p.zip}.pdf", "statement"),
        (f"/outbound/labs/orders/{p.last_name} {p.first_name} {p.dob:%Y%m%d}.hl7", "lab order"),
    ]
    if _safe(p.mrn):
        out.append((f"/outbound/labs/orders/{p.mrn}.{day:%Y%m%d}.hl7", "lab order"))
        out.append((f"/outbound/records/{p.mrn} {p.last_name}.zip", "records release"))
    if _safe(p.account):
        out.append((f"/outbound/837p/837P-{p.account}-{p.last_name}.x12", "claim"))
    if _safe(p.member_id):
        out.append((f"/outbound/270/{p.member_id}.{p.dob}.270", "eligibility request"))
    out.append((f"/outbound/id-verification/{p.ssn} {p.last_name}.pdf", "identity check"))
    out.append((f"/outbound/portal-invites/{p.email}.json", "portal invitation"))
    out.append((f"/outbound/voicemail/{p.phone} {day}.txt", "voicemail transcript"))
    return out


def _content(what: str, r: random.Random) -> bytes:
    return f"{what} batch {r.randint(1000, 99999)}\n".encode() * r.randint(1, 40)


def _failed(what: str, path: str, exc: Exception, r: random.Random) -> None:
    how = r.randrange(4)
    if how == 0:
        log.error("%s %s failed: %s", what, path, exc)
    elif how == 1:
        log.error("could not %s %r: %r", what, path, exc)
    elif how == 2:
        log.warning("%s failed for %s (errno %s)", what, path, getattr(exc, "errno", None))
    else:
        log.exception("%s %s failed", what, path)


def _patient(sftp: paramiko.SFTPClient, p: Patient, r: random.Random) -> None:
    paths = _paths(p, r)
    for _ in range(r.randint(2, 4)):
        path, what = r.choice(paths)
        folder = path.rsplit("/", 1)[0]
        kind = r.randrange(7)
        try:
            if kind in (0, 1):
                if folder not in FILES.dirs and r.random() < 0.7:
                    sftp.mkdir(folder)
                    FILES.mkdirs(folder)
                with sftp.open(path, "wb") as f:
                    data = _content(what, r)
                    f.write(data)
                if r.random() < 0.6:
                    log.info("%s uploaded: %s (%d bytes)", what, path, len(data))
            elif kind == 2:
                attr = sftp.stat(path)
                log.info("%s on server: %s", what, attr)
            elif kind == 3:
                for attr in sftp.listdir_attr(folder):
                    if r.random() < 0.5:
                        log.debug("%s", attr)
            elif kind == 4:
                archive = path.replace("/outbound/", "/archive/", 1)
                if r.random() < 0.5:
                    FILES.mkdirs(archive.rsplit("/", 1)[0])
                sftp.rename(path, archive)
                log.info("archived %s -> %s", path, archive)
            elif kind == 5:
                result = (
                    f"/inbound/results/{p.mrn}.{p.last_name}.{p.dob:%Y%m%d}.hl7"
                    if _safe(p.mrn)
                    else f"/inbound/results/{p.last_name}.{p.first_name}.{p.dob:%Y%m%d}.hl7"
                )
                if r.random() < 0.5:
                    FILES.mkdirs("/inbound/results")
                    FILES.data[result] = _content("ORU^R01", r)
                    FILES.times[result] = FILES.tick(r)
                with sftp.open(result, "rb") as f:
                    size = len(f.read())
                log.info("result fetched: %s (%d bytes)", result, size)
                if r.random() < 0.4:
                    sftp.remove(result)
            else:
                sftp.remove(path)
                log.info("%s withdrawn: %s", what, path)
        except OSError as exc:
            _failed(what if kind != 5 else "result fetch", path, exc, r)


def _benign(sftp: paramiko.SFTPClient, r: random.Random) -> None:
    day = datetime.date(2026, 5, 4) + datetime.timedelta(days=r.randint(-60, 30))
    kind = r.randrange(6)
    try:
        if kind == 0:
            name = f"/inbound/835/ERA_{day:%Y%m%d}_{r.randint(1000000, 9999999)}.835"
            FILES.mkdirs("/inbound/835")
            FILES.data[name] = _content("835", r)
            FILES.times[name] = FILES.tick(r)
            with sftp.open(name, "rb") as f:
                size = len(f.read())
            log.info("remittance %s: %d bytes in %.2f s", name, size, r.uniform(0.05, 3.5))
        elif kind == 1:
            for attr in sftp.listdir_attr(
                r.choice(["/inbound/835", "/inbound/999", "/outbound/837p", "/archive"])
            ):
                if r.random() < 0.3:
                    log.debug("%s", attr)
        elif kind == 2:
            name = f"/inbound/999/ACK_{r.randint(100000, 999999)}_{day:%Y%m%d}.999"
            with sftp.open(name, "rb") as f:
                log.info("acknowledgement %s: %d bytes", name, len(f.read()))
        elif kind == 3:
            name = f"/outbound/fees/fee-schedule-v{r.randint(1, 9)}.{r.randint(0, 20)}-{day:%Y}.csv"
            FILES.mkdirs("/outbound/fees")
            with sftp.open(name, "wb") as f:
                f.write(_content("cpt,fee", r))
            log.info("fee schedule uploaded: %s (took %d ms)", name, r.randint(40, 4000))
        elif kind == 4:
            attr = sftp.stat(r.choice(["/inbound", "/outbound", "/archive", "/inbound/835"]))
            log.debug("folder %s", attr)
        else:
            name = f"/logs/transfer-{day}.log"
            with sftp.open(name, "rb") as f:
                f.read()
    except OSError as exc:
        _failed("transfer", name if kind in (0, 2, 3, 5) else "folder", exc, r)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    global _R
    r = random.Random(seed + 701)
    _R = random.Random(seed + 703)
    key = _host_key(seed + 709)
    for folder in (
        "/inbound/835",
        "/inbound/999",
        "/outbound/837p",
        "/outbound/270",
        "/archive",
        "/logs",
    ):
        FILES.mkdirs(folder)
    tz = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        for i, p in enumerate(patients):
            password = PASSWORD if i % 11 != 6 else "Clearing-2025!"
            with cap.about(p):
                try:
                    with _Connection(key, password, cap) as sftp:
                        _patient(sftp, p, r)
                except paramiko.SSHException as exc:
                    log.error("clearinghouse login failed: %s", exc)
                    continue
            with _Connection(key, PASSWORD, cap) as sftp:
                for _ in range(3):
                    _benign(sftp, r)
    finally:
        if tz is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = tz
        time.tzset()
