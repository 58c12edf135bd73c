"""Training emitters of the unseen corpus (see `unseen.py`) that are real servers.

`mariadb`: Django's SQL debug logger (`django.db.backends`, MySQL's backtick quoting, the query
as the driver sent it) over a real MariaDB, and MariaDB's own error text (duplicate keys, NOT
NULL, data too long, foreign keys, CHECK constraints, invalid dates, truncated values) raised
through Django and logged by application code. MariaDB runs from a throwaway data directory on a
free loopback port (as the `mysql` system user when run as root) and is stopped by its pid.
Django talks to it through PyMySQL (the `bench` extra) in a subprocess of its own, so nothing
else in the harvest shares its settings.

`nginx.access`: a real nginx in a throwaway prefix on a free loopback port, proxying to a small
WSGI upstream (`wsgi.py`) on another loopback port, writing the `combined` access log and a JSON
`log_format` (`escape=json`). Patient values travel in paths, query strings (percent-encoded once
or twice, `+` for spaces), referers and X-Forwarded-For (the realip module puts the client's
address in `$remote_addr`). Times and durations are replaced by seeded values.

Needs Debian's `apt-get install mariadb-server nginx` (neither system service is started) and
the `bench` extra (PyMySQL). Nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import os
import random
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT), str(ROOT / "tests")]

from harvest import Normaliser, _row, template_and_args  # noqa: E402
from patients import Patient, People  # noqa: E402

EMITTERS = ("mariadb",)
MARIADB_PATIENTS = 420
NGINX_PATIENTS = 420
LOOPBACK = "127.0.0.1"


def collect(seed: int) -> list[dict[str, Any]]:
    return collect_mariadb(seed + 10)


# --- shared helpers ---------------------------------------------------------------------------


class Benign:
    """Seeded look-alikes: event dates, order and invoice numbers, versions, private IPs."""

    def __init__(self, r: random.Random) -> None:
        self.r = r

    def day(self) -> datetime.date:
        return datetime.date(2024, 1, 1) + datetime.timedelta(days=self.r.randint(0, 700))

    def uid(self) -> str:
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def order_no(self) -> str:
        r = self.r
        return r.choice(
            [
                f"ORD-{r.randint(2023, 2025)}-{r.randint(1, 99999):05d}",
                f"{r.randint(100000, 99999999)}",
                f"SO{r.randint(1000000, 9999999)}",
            ]
        )

    def invoice_no(self) -> str:
        return f"INV-{self.r.randint(2023, 2025)}-{self.r.randint(1, 999999):06d}"

    def version(self) -> str:
        return f"{self.r.randint(1, 12)}.{self.r.randint(0, 30)}.{self.r.randint(0, 20)}"

    def private_ip(self) -> str:
        r = self.r
        return r.choice(
            [
                f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}",
            ]
        )


# --- mariadb ----------------------------------------------------------------------------------


@dataclass
class MariaDB:
    """A MariaDB server of its own: a temp data directory, a loopback port, a unix socket."""

    port: int
    tmp: Path
    process: subprocess.Popen[bytes]
    password: str = "harvest-only"

    def django_settings(self) -> dict[str, object]:
        return {
            "ENGINE": "django.db.backends.mysql",
            "NAME": "clinic",
            "USER": "clinic",
            "PASSWORD": self.password,
            "HOST": LOOPBACK,
            "PORT": str(self.port),
            "OPTIONS": {"charset": "utf8mb4"},
        }

    def stop(self) -> None:
        from servers import stop_pid

        if self.process.poll() is None:
            stop_pid(self.process.pid, wait_s=30)
        shutil.rmtree(self.tmp, ignore_errors=True)


def start_mariadb() -> MariaDB:
    import pymysql
    from servers import free_port, wait_for_port

    tmp = Path(tempfile.mkdtemp(prefix="unseen-mariadb-"))
    as_user = ["--user=mysql"] if os.geteuid() == 0 else []  # mariadbd refuses root otherwise
    if as_user:
        shutil.chown(tmp, "mysql", "mysql")
    data = tmp / "data"
    subprocess.run(
        ["mariadb-install-db", "--no-defaults", *as_user, f"--datadir={data}",
         "--auth-root-authentication-method=normal", "--skip-test-db"],
        check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    process = subprocess.Popen(
        ["mariadbd", "--no-defaults", *as_user, f"--datadir={data}", f"--port={port}",
         f"--bind-address={LOOPBACK}", f"--socket={tmp / 'sock'}", f"--pid-file={tmp / 'pid'}",
         f"--log-error={tmp / 'error.log'}", "--skip-name-resolve", "--skip-log-bin",
         "--innodb-flush-log-at-trx-commit=0", "--innodb-buffer-pool-size=32M",
         "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    server = MariaDB(port, tmp, process)
    try:
        wait_for_port(port, 60)
        admin = pymysql.connect(unix_socket=str(tmp / "sock"), user="root", password="")
        with admin.cursor() as cursor:
            cursor.execute("CREATE DATABASE clinic CHARACTER SET utf8mb4")
            cursor.execute("CREATE USER 'clinic'@'127.0.0.1' IDENTIFIED BY %s", [server.password])
            cursor.execute("GRANT ALL ON clinic.* TO 'clinic'@'127.0.0.1'")
        admin.close()
    except BaseException:
        server.stop()
        raise
    return server


class DbCapture(logging.Handler):
    """Keeps the SQL debug records and the application's database errors, with their patients."""

    LOGGERS = ("django.db.backends", "clinic.db")

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.rows: list[tuple[logging.LogRecord, list[Patient]]] = []
        self.patients: list[Patient] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name in self.LOGGERS:
            self.rows.append((record, list(self.patients)))

    @contextlib.contextmanager
    def about(self, *patients: Patient | None) -> Iterator[None]:
        self.patients = [p for p in patients if p is not None]
        try:
            yield
        finally:
            self.patients = []

    def attach(self) -> None:
        for name in self.LOGGERS:
            logger = logging.getLogger(name)
            logger.setLevel(logging.DEBUG)
            logger.addHandler(self)
            logger.propagate = False


class MariaHarvest:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.b = Benign(self.r)
        self.people = People(seed + 1)
        self.capture = DbCapture()
        self.saved: list[tuple[int, Patient]] = []
        self.order_numbers: list[str] = []
        self.event_keys: list[str] = []
        self.log = logging.getLogger("clinic.db")

    def fields(self, p: Patient) -> dict[str, Any]:
        fields = {k: getattr(p, k) for k in Patient.TYPES if k not in ("card", "ip")}
        fields["state"] = p.state
        return fields

    def report(self, what: str, exc: Exception, p: Patient | None = None) -> None:
        """The shapes in which applications log a database error they caught."""
        log, r = self.log, self.r
        style = r.randrange(6 if p is not None else 4)
        if style == 0:
            log.error("could not save %s: %s", what, exc)
        elif style == 1:
            log.warning("IntegrityError on POST /api/%ss/: %s", what, exc)
        elif style == 2:
            log.error("%s", exc)
        elif style == 3:
            log.exception("database error while saving %s: %r", what, exc.args)
        elif style == 4:
            assert p is not None
            log.error("could not save %s %s: %s", what, p.mrn, exc)
        else:
            assert p is not None
            log.warning("save failed for %s %s (%s): %s", p.first_name, p.last_name, p.dob, exc)

    def patient(self, p: Patient) -> None:
        from clinic.models import Patient as Row
        from clinic.models import Visit
        from django.db import DatabaseError, transaction

        fields = self.fields(p)
        fields["ssn"] = p.ssn if self.r.random() < 0.9 else None
        try:
            with transaction.atomic():
                row = Row.objects.create(**fields)
        except DatabaseError as exc:
            self.report("patient", exc, p)
            return
        self.saved.append((row.pk, p))
        choice = self.r.randrange(9)
        if choice == 0:
            Row.objects.filter(mrn=p.mrn).first()
        elif choice == 1:
            list(Row.objects.filter(last_name__iexact=p.last_name, dob=p.dob)[:5])
        elif choice == 2:
            Row.objects.filter(email=p.email).exists()
        elif choice == 3:
            Row.objects.filter(pk=row.pk).update(phone=p.phone, zip=p.zip)
        elif choice == 4:
            Visit.objects.create(patient=row, reason="follow-up", day=self.b.day())
        elif choice == 5:
            list(Row.objects.filter(ssn=p.ssn).values("id", "first_name", "last_name"))
        elif choice == 6:
            list(Row.objects.filter(member_id=p.member_id, account=p.account).only("id"))
        elif choice == 7:
            Row.objects.filter(city=p.city, zip=p.zip, street__istartswith=p.street).count()
        else:
            Row.objects.filter(mbi=p.mbi).update(licence=p.licence, street=p.street)

    def errors(self, p: Patient) -> None:
        """MariaDB's own error text for what a new patient's request carried."""
        from clinic.models import Patient as Row
        from clinic.models import Visit
        from django.db import DatabaseError, connection, transaction

        if len(self.saved) < 2:
            return
        (pk, old), (other_pk, _) = self.r.sample(self.saved, 2)
        self.capture.patients.append(old)  # a duplicate's key is the other patient's value
        fields = self.fields(p)
        r = self.r
        kind = r.randrange(13)
        if kind == 0:
            fields["mrn"] = old.mrn
        elif kind == 1:
            fields["email"] = old.email
        elif kind == 2 and old.ssn:
            fields["ssn"] = old.ssn
        elif kind == 3:
            fields["mrn"] = None
        elif kind == 4:
            fields["zip"] = r.choice(
                [f"{p.city}, {p.state} {p.zip}", f"{p.zip}-{r.randint(1000, 9999)} US"]
            )
        elif kind == 5:
            fields["state"] = f"{p.state} {p.zip}"
        elif kind == 6:
            fields["dob"] = datetime.date(1899, 12, 31) - datetime.timedelta(days=r.randint(0, 900))
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if kind == 7:
                    Visit.objects.create(patient_id=pk + 100000, reason=p.last_name, day=p.dob)
                elif kind == 8:
                    typed = r.choice(
                        [f"{p.dob:%m/%d/%Y}", f"{p.dob:%d.%m.%Y}", f"{p.dob.year}-02-30"]
                    )
                    cursor.execute("UPDATE clinic_patient SET dob = %s WHERE id = %s", [typed, pk])
                elif kind == 9:
                    cursor.execute(
                        "INSERT INTO clinic_visit (patient_id, reason, day) VALUES (%s, %s, %s)",
                        [p.mrn, "intake", str(p.dob)],
                    )
                elif kind == 10:
                    cursor.execute(
                        "SELECT id FROM clinic_patient WHERE ssn = %s OR mrn = %s LIMIT 1",
                        [p.ssn, p.mrn],
                    )
                    if not cursor.fetchall():
                        self.log.info(
                            r.choice(["no chart for ssn %s, mrn %s", "lookup miss: ssn=%s mrn=%s"]),
                            p.ssn,
                            p.mrn,
                        )
                elif kind == 11:
                    Row.objects.filter(pk=other_pk).update(email=old.email, phone=p.phone)
                else:
                    Row.objects.create(**fields)
        except DatabaseError as exc:
            self.report("patient", exc, p)

    def benign(self) -> None:
        from clinic.models import Event, Order, Visit
        from django.db import DatabaseError, connection, transaction

        b, r = self.b, self.r
        day = b.day()
        kind = r.randrange(12)
        what = "order" if kind in (2, 3, 5, 10, 11) else "event"
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                if kind == 0:
                    key = f"events:{day.isoformat()}:list"
                    Event.objects.create(
                        name=r.choice(["flu-clinic", "open-house", "vaccination-day", "webinar"]),
                        day=day,
                        cache_key=key,
                        rows=r.randint(0, 5000),
                        status=r.choice([200, 201, 204, 304, 404]),
                    )
                    self.event_keys.append(key)
                elif kind == 1:
                    list(Event.objects.filter(day__gte=day, day__lt=day + datetime.timedelta(7)))
                elif kind == 2:
                    number = b.order_no()
                    Order.objects.create(
                        number=number,
                        invoice=b.invoice_no(),
                        total=f"{r.randint(1, 99999) / 100:.2f}",
                        created=datetime.datetime(
                            day.year, day.month, day.day, r.randint(0, 23), tzinfo=datetime.UTC
                        ),
                    )
                    self.order_numbers.append(number)
                elif kind == 3 and self.order_numbers:
                    Order.objects.create(
                        number=r.choice(self.order_numbers),
                        invoice=b.invoice_no(),
                        total="10.00",
                        created=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC),
                    )
                elif kind == 4:
                    Event.objects.create(
                        name=None, day=day, cache_key=f"events:{day}:list", rows=1, status=200
                    )
                elif kind == 5:
                    Order.objects.filter(number=b.order_no()).count()
                elif kind == 6:
                    Event.objects.filter(cache_key=f"events:{day}:list").update(
                        rows=r.randint(0, 9999)
                    )
                elif kind == 7:
                    Event.objects.create(
                        name=f"release {b.version()} build {b.uid()}",
                        day=day,
                        cache_key=f"events:{day}:{b.uid()}:{b.uid()}:list",
                        rows=r.randint(0, 99),
                        status=200,
                    )
                elif kind == 8:
                    what = "visit"
                    Visit.objects.create(patient_id=r.randint(500000, 900000), reason="x", day=day)
                elif kind == 9 and self.event_keys:
                    bad = r.choice([f"{day.year}-02-{r.randint(30, 31)}", f"{day:%m/%d/%Y}"])
                    cursor.execute(
                        "UPDATE clinic_event SET day = %s WHERE cache_key = %s",
                        [bad, r.choice(self.event_keys)],
                    )
                elif kind == 10 and self.order_numbers:
                    cursor.execute(
                        "UPDATE clinic_event SET `rows` = %s, status = %s WHERE cache_key = %s",
                        [
                            r.choice(["n/a", b.order_no(), b.invoice_no()]),
                            200,
                            r.choice(self.event_keys or ["x"]),
                        ],
                    )
                else:
                    Order.objects.filter(
                        invoice=b.invoice_no(), created__date__gte=day
                    ).values_list("number", flat=True).first()
        except DatabaseError as exc:
            self.report(what, exc)


def harvest_mariadb(seed: int) -> list[dict[str, Any]]:
    """Runs in a process of its own (Django is configured once per process)."""
    import pymysql

    pymysql.install_as_MySQLdb()
    from harvest import setup_django

    h = MariaHarvest(seed)
    norm = Normaliser(seed + 2)
    server = start_mariadb()
    try:
        setup_django(server.django_settings())
        h.capture.attach()
        for _ in range(MARIADB_PATIENTS):
            p = h.people.patient()
            with h.capture.about(p):
                h.patient(p)
            q = h.people.patient()  # a new patient whose save fails
            with h.capture.about(q):
                h.errors(q)
            with h.capture.about(None):
                for _ in range(2):
                    h.benign()
    finally:
        from django.db import connection

        connection.close()
        server.stop()
    rows = []
    for record, patients in h.capture.rows:
        if record.exc_info:
            record.exc_info = None  # the message is the line; the traceback is not harvested
        norm.record(record)
        text = norm.text(record.getMessage())
        template, args = template_and_args(record, text)
        rows.append(_row("mariadb", text, template, args, patients))
    return [row for row in rows if row is not None]


def collect_mariadb(seed: int) -> list[dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, __file__, "mariadb", str(seed)],
        check=True, capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    return json.loads(result.stdout)


if __name__ == "__main__":
    if sys.argv[1:2] == ["mariadb"]:
        json.dump(harvest_mariadb(int(sys.argv[2])), sys.stdout, ensure_ascii=False)
