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
address in `$remote_addr`). Times, durations, request ids and the upstream's port are replaced
by seeded values. `harvest.label` passes over a value that follows a percent-escape (`next=` query
strings inside query strings: `...%26last_name%3DHall`); `_nested_row` labels those too.

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
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT)]
sys.path.append(str(ROOT / "tests"))  # `servers`; last, so nothing of tests/ shadows a module

from harvest import Normaliser, _row, renderings, template_and_args  # noqa: E402
from patients import Patient, People  # noqa: E402

EMITTERS = ("mariadb", "nginx.access")
MARIADB_PATIENTS = 420
NGINX_PATIENTS = 420
LOOPBACK = "127.0.0.1"


def collect(seed: int) -> list[dict[str, Any]]:
    return [*collect_mariadb(seed + 10), *collect_nginx(seed + 20)]


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
        from django.db import DatabaseError, connection, transaction

        fields = self.fields(p)
        fields["ssn"] = p.ssn if self.r.random() < 0.9 else None
        try:
            with transaction.atomic():
                row = Row.objects.create(**fields)
        except DatabaseError as exc:
            self.report("patient", exc, p)
            return
        self.saved.append((row.pk, p))
        choice = self.r.randrange(11)
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
        elif choice == 8:
            Row.objects.filter(mbi=p.mbi).update(licence=p.licence, street=p.street)
        elif choice == 9:  # an import: the same request brings in the patient's household
            others = [self.people.patient() for _ in range(self.r.randint(1, 2))]
            self.capture.patients.extend(others)
            Row.objects.bulk_create([Row(**self.fields(o)) for o in others])
        else:
            _, old = self.r.choice(self.saved)
            self.capture.patients.append(old)
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE clinic_patient SET phone = %s, email = %s WHERE mrn = %s",
                    [(p.phone, p.email, p.mrn), (old.phone, old.email, old.mrn)],
                )

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
    with tempfile.TemporaryDirectory(prefix="unseen-mariadb-rows-") as out:
        path = Path(out) / "rows.json"
        result = subprocess.run(
            [sys.executable, __file__, "mariadb", str(seed), str(path)],
            capture_output=True, text=True, encoding="utf-8", errors="replace",
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"the mariadb harvest failed:\n{result.stderr[-4000:]}")
        return json.loads(path.read_text(encoding="utf-8"))


# --- nginx.access -----------------------------------------------------------------------------

NGINX_CONF = """\
worker_processes 1;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 64; }}
http {{
    default_type text/plain;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    log_format json escape=json '{{"time":"$time_iso8601","remote_addr":"$remote_addr",'
        '"method":"$request_method","uri":"$uri","request_uri":"$request_uri","args":"$args",'
        '"status":$status,"bytes":$body_bytes_sent,"referer":"$http_referer",'
        '"x_forwarded_for":"$http_x_forwarded_for","user_agent":"$http_user_agent",'
        '"request_time":$request_time,"upstream_addr":"$upstream_addr",'
        '"upstream_status":"$upstream_status","upstream_response_time":"$upstream_response_time",'
        '"request_id":"$request_id"}}';
    access_log {tmp}/access.log combined;
    access_log {tmp}/access.json json;
    set_real_ip_from 127.0.0.1;
    set_real_ip_from 10.0.0.0/8;
    real_ip_header X-Forwarded-For;
    real_ip_recursive on;
    server {{
        listen {loopback}:{port};
        server_name portal.example.org;
        location = /healthz {{ return 200 "ok\\n"; }}
        location /static/ {{ root {tmp}/www; }}
        location / {{
            proxy_pass http://{loopback}:{upstream};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Request-Id $request_id;
        }}
    }}
}}
"""
# One nginx request: method, target, headers, the patient it carries.
NginxRequest = tuple[str, str, dict[str, str], Patient | None]
UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "python-requests/2.32.3",
    "okhttp/4.12.0",
    "curl/8.5.0",
]


class NginxHarvest:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.b = Benign(self.r)
        self.people = People(seed + 1)

    def patient_request(self, p: Patient) -> NginxRequest:
        r = self.r
        q, qp = urllib.parse.quote, urllib.parse.quote_plus
        method = "GET"
        headers = {"User-Agent": r.choice(UAS)}
        if r.random() < 0.4:
            headers["X-Forwarded-For"] = r.choice([p.ip, f"{p.ip}, {self.b.private_ip()}"])
        kind = r.randrange(18)
        if kind == 0:
            names = f"last_name={qp(p.last_name)}&first_name={qp(p.first_name)}"
            target = f"/api/patients/?{names}&dob={p.dob}"
        elif kind == 1:
            target = f"/patients/search/?q={qp(p.full_name)}&page={r.randint(1, 5)}"
        elif kind == 2:
            inner = f"/patients/search/?dob={p.dob:%m/%d/%Y}&last_name={p.last_name}"
            twice = r.random() < 0.5
            nested = q(qp(inner, safe="/?=&"), safe="") if twice else q(inner, safe="")
            target = f"/accounts/login/?next={nested}"
        elif kind == 3:
            target = f"/api/patients/by-mrn/{q(p.mrn, safe='')}/"
        elif kind == 4:
            dob = r.choice([str(p.dob), q(f"{p.dob:%m/%d/%Y}", safe=""), f"{p.dob:%Y%m%d}"])
            target = f"/api/eligibility/?member_id={qp(p.member_id)}&dob={dob}"
        elif kind == 5:
            method = "POST"
            contact = f"phone={qp(p.phone)}&email={qp(p.email)}"
            target = f"/api/patients/{r.randint(1, 9999)}/contact/?{contact}"
        elif kind == 6:
            target = f"/api/patients/lookup?ssn={qp(p.ssn)}"
        elif kind == 7:
            target = f"/api/patients/{r.randint(1, 9999)}/"
            headers["Referer"] = f"https://portal.example.org/patients/?q={qp(p.last_name)}"
            headers["X-Forwarded-For"] = p.ip
        elif kind == 8:
            target = f"/api/claims/?account={p.account}&zip={p.zip}"
        elif kind == 9:
            target = f"/api/patients/search?name={q(p.full_name, safe='')}&limit=20"
        elif kind == 10:
            target = f"/api/medicare/{q(p.mbi, safe='')}/eligibility"
        elif kind == 11:
            target = f"/api/cards/verify?card={qp(p.card)}&zip={p.zip}"
        elif kind == 12:
            address = f"{p.street}, {p.city}, {p.state} {p.zip}"
            target = f"/api/geocode/?address={qp(address)}"
        elif kind == 13:
            target = f"/api/licences/{q(p.licence, safe='')}/verify"
        elif kind == 14:
            target = f"/charts/{q(p.last_name, safe='')}-{q(p.first_name, safe='')}/"
        elif kind == 15:
            target = f"/api/sms/send?to={q(p.phone, safe='')}&template=reminder"
        elif kind == 16:
            target = f"/api/patients/?email={q(p.email, safe='')}&format=json"
        else:
            target = f"/api/visits/?patient={qp(p.last_name.upper())}&dob={p.dob}"
            headers["Referer"] = "https://portal.example.org/login/?next=" + q(
                f"/patients/?mrn={p.mrn}&dob={p.dob}", safe=""
            )
        return method, target, headers, p

    def benign_request(self) -> NginxRequest:
        r, b = self.r, self.b
        headers = {"User-Agent": r.choice(UAS)}
        if r.random() < 0.4:
            headers["X-Forwarded-For"] = r.choice(
                [b.private_ip(), f"{b.private_ip()}, {b.private_ip()}"]
            )
        if r.random() < 0.2:
            headers["Referer"] = f"https://portal.example.org/events/?date={b.day()}"
        day = b.day()
        method = "GET"
        kind = r.randrange(14)
        if kind == 0:
            target = f"/api/events/?date={day}&page={r.randint(1, 9)}"
        elif kind == 1:
            target = f"/api/events/?start={day}&end={day + datetime.timedelta(days=30)}"
        elif kind == 2:
            target = f"/static/js/app.{b.version()}.min.js"
        elif kind == 3:
            target = r.choice(["/static/css/site.css", f"/static/css/site.css?v={day:%Y%m%d}"])
        elif kind == 4:
            target = f"/api/orders/{b.order_no()}/"
        elif kind == 5:
            target = f"/api/invoices/?number={b.invoice_no()}&due_before={day}"
        elif kind == 6:
            target = r.choice(["/healthz", f"/healthz?t={r.randint(1, 99999)}"])
        elif kind == 7:
            slot = urllib.parse.quote(f"{day}T{r.randint(8, 17):02d}:00:00+00:00", safe="")
            target = f"/api/appointments/?slot={slot}&duration={r.choice([15, 30, 60])}"
        elif kind == 8:
            target = f"/api/jobs/{b.uid()}/?rows={r.randint(1, 999)}"
        elif kind == 9:
            method = "POST"
            target = f"/api/orders/{b.order_no()}/refund?invoice={b.invoice_no()}"
        elif kind == 10:
            target = f"/api/reports/{day:%Y-%m}/summary?format=csv&rows={r.randint(10, 5000)}"
        elif kind == 11:
            target = f"/api/v{r.randint(1, 3)}/releases/{b.version()}/changelog"
        elif kind == 12:
            inner = f"/events/?date={day}&tag=flu-clinic"
            target = f"/accounts/login/?next={urllib.parse.quote(inner, safe='')}"
        else:
            target = f"/api/cache/events:{day}:list?ttl={r.randint(60, 3600)}"
        return method, target, headers, None

    def requests(self) -> list[NginxRequest]:
        out = [self.patient_request(self.people.patient()) for _ in range(NGINX_PATIENTS)]
        out += [self.benign_request() for _ in range(NGINX_PATIENTS)]
        self.r.shuffle(out)
        return out

    def normalise(self, combined: str, as_json: str) -> tuple[str, str]:
        """Seeded values for what changes from run to run: clocks, durations, ids, ports."""
        r = self.r
        stamp = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
            seconds=r.randint(0, 364 * 86400)
        )
        combined = re.sub(r"\[[^\]]+\]", f"[{stamp:%d/%b/%Y:%H:%M:%S} +0000]", combined, count=1)
        upstream = f"{r.uniform(0.001, 0.4):.3f}"
        total = f"{float(upstream) + r.uniform(0, 0.005):.3f}"
        if '"upstream_addr":""' in as_json:
            total = "0.000"  # answered by nginx itself
        swaps = [
            (r'"time":"[^"]*"', f'"time":"{stamp:%Y-%m-%dT%H:%M:%S+00:00}"'),
            (r'"request_time":[0-9.]+', f'"request_time":{total}'),
            (r'"upstream_response_time":"[0-9.]+"', f'"upstream_response_time":"{upstream}"'),
            (r'"upstream_addr":"127\.0\.0\.1:\d+"', '"upstream_addr":"127.0.0.1:8000"'),
            (r'"request_id":"[0-9a-f]{32}"', f'"request_id":"{r.getrandbits(128):032x}"'),
        ]
        for pattern, value in swaps:
            as_json = re.sub(pattern, value, as_json, count=1)
        return combined, as_json


@contextlib.contextmanager
def upstream_server() -> Iterator[int]:
    """The WSGI app of `wsgi.py` (answers depend on the path alone) on a loopback port."""
    import threading
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from wsgi import app

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = make_server(LOOPBACK, 0, app, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def run_nginx(requests: list[NginxRequest]) -> list[tuple[str, str]]:
    """Sends the requests through a real nginx; its combined and JSON access lines, in order."""
    import http.client

    from servers import free_port, stop_pid, wait_for_port

    tmp = Path(tempfile.mkdtemp(prefix="unseen-nginx-"))
    tmp.chmod(0o755)  # the worker (www-data when run as root) reads the static root
    (tmp / "www" / "static" / "css").mkdir(parents=True)
    (tmp / "www" / "static" / "css" / "site.css").write_text("body { margin: 0; }\n")
    port = free_port()
    user = "user www-data;" if os.geteuid() == 0 else ""
    try:
        with upstream_server() as upstream:
            conf = NGINX_CONF.format(
                user=user, tmp=tmp, loopback=LOOPBACK, port=port, upstream=upstream
            )
            (tmp / "nginx.conf").write_text(conf)
            process = subprocess.Popen(
                ["nginx", "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            try:
                wait_for_port(port, 30)
                for method, target, headers, _ in requests:
                    conn = http.client.HTTPConnection(LOOPBACK, port, timeout=10)
                    conn.request(method, target, headers=headers)
                    conn.getresponse().read()
                    conn.close()
            finally:
                stop_pid(process.pid, signal.SIGQUIT)  # graceful: the logs are flushed
        combined = (tmp / "access.log").read_text(encoding="utf-8").splitlines()
        as_json = (tmp / "access.json").read_text(encoding="utf-8").splitlines()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not len(combined) == len(as_json) == len(requests):
        raise RuntimeError(
            f"nginx logged {len(combined)}/{len(as_json)} lines for {len(requests)} requests"
        )
    return list(zip(combined, as_json, strict=True))


_AFTER_ESCAPE = r"(?<=%[0-9A-Fa-f]{2})"


def _nested_row(emitter: str, text: str, patients: list[Patient]) -> dict[str, Any] | None:
    """`harvest._row`, plus the values that follow a percent-escape (`next=...%3DSmith%26...`):
    `harvest.label` looks for a value after a non-word character, so it neither labels these nor
    notices them. They are labelled here; a row still holding a patient's name or date of birth
    after an escape is dropped."""
    row = _row(emitter, text, "%s", [text], patients)
    if row is None or not patients:
        return row
    spans = [tuple(span) for span in row["spans"]]
    planted = [item for p in patients for item in p.planted()]
    for name, value in planted:
        for form in sorted(renderings(value), key=len, reverse=True):
            for m in re.finditer(_AFTER_ESCAPE + re.escape(form) + r"(?!\w)", text):
                if not any(m.start() < end and start < m.end() for start, end, _ in spans):
                    spans.append((m.start(), m.end(), Patient.TYPES[name]))
    spans.sort()
    rest = text
    for start, end, _ in spans:
        rest = rest[:start] + " " * (end - start) + rest[end:]
    for name, value in planted:
        if name in ("first_name", "last_name"):
            words = re.findall(r"\w{3,}", str(value))
        elif name == "dob":
            words = [re.escape(form) for form in renderings(value)]
        else:
            continue
        for word in words:
            if re.search(rf"{_AFTER_ESCAPE}{word}(?!\w)", rest, re.IGNORECASE):
                return None
    row["spans"] = [list(span) for span in spans]
    return row


def collect_nginx(seed: int) -> list[dict[str, Any]]:
    h = NginxHarvest(seed)
    requests = h.requests()
    rows = []
    for (combined, as_json), (_, _, _, p) in zip(run_nginx(requests), requests, strict=True):
        patients = [p] if p is not None else []
        for line in h.normalise(combined, as_json):
            rows.append(_nested_row("nginx.access", line, patients))
    return [row for row in rows if row is not None]


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "mariadb":
        rows = harvest_mariadb(int(sys.argv[2]))
        Path(sys.argv[3]).write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    else:
        raise SystemExit("usage: unseen_train_servers.py mariadb SEED OUT.json (run by collect)")
