"""Harvest a labelled corpus from real log emitters: `python benchmarks/phi/harvest/harvest.py`.

Synthetic patients (`patients.py`, fixed seed) go through the real code that writes logs:
Django's SQL debug logger over a real PostgreSQL, PostgreSQL's own error text raised through
Django, DRF serializers, Django forms, Celery's task tracer, gunicorn's access log (a real
gunicorn on 127.0.0.1), structlog, python-json-logger, application exception messages and
tracebacks formatted with their locals. What they log is captured as log records; the patient's
values found in each line are its labels (`spans`: start, end, type); a line with none is benign.
A line from a patient's action that holds a patient's value in a form the labeller does not
know is dropped, never labelled benign.

The parts that change from run to run (SQL and task durations, clock times, savepoint ids,
file paths) are replaced by seeded values, so the output is the same on every run.

Each row: `emitter`, `part` (`train` or `held_out`), `text` (the formatted message), `template`
and `args` (the record's own template and arguments, such that `template % args == text`, or
`"%s"` and `[text]` for emitters that hand logging a finished string), `spans`.

Needs what the tests need: PostgreSQL's binaries (`PREFLIGHT_PG_BIN`, started on a free
loopback port by `tests/servers.py`) and the `bench` extra (gunicorn, DRF, structlog,
python-json-logger); about a minute on two cores. Nothing listens beyond 127.0.0.1.

The split is fixed here, before any tuning: the emitters in `HELD_OUT_EMITTERS` are held out
whole, and a seeded 30% of every other emitter's lines.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import logging
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(HERE), str(ROOT)]

from patients import Patient, People  # noqa: E402

OUT = HERE.parent / "harvested.jsonl"
SEED = 13_2026
PATIENTS = 700
PER_EMITTER = {"phi": 300, "benign": 300}
EMITTERS = (
    "django.db.backends",
    "postgres.errors",
    "drf",
    "django.forms",
    "celery",
    "gunicorn.access",
    "structlog",
    "python-json-logger",
    "app.exceptions",
    "traceback.locals",
)
# Chosen with random.Random(13).sample(sorted(EMITTERS), 3) before the first run, and written
# down here; never changed after.
HELD_OUT_EMITTERS = ("drf", "traceback.locals", "django.db.backends")
HELD_OUT_SHARE = 0.3
LOGGER_EMITTER = {
    "django.db.backends": "django.db.backends",
    "clinic.db": "postgres.errors",
    "clinic.api": "drf",
    "clinic.forms": "django.forms",
    "celery.app.trace": "celery",
    "clinic.tasks": "celery",
    "clinic.structlog": "structlog",
    "clinic.json": "python-json-logger",
    "clinic.app": "app.exceptions",
    "clinic.traceback": "traceback.locals",
}
Request = tuple[str, dict[str, str], Patient | None]
_PRIMITIVE = (str, int, float, bool, type(None))
_SPEC = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([a-zA-Z%])")


# --- capture ----------------------------------------------------------------------------------


class Capture(logging.Handler):
    """Keeps each record of the loggers it is attached to, with the patient whose action ran."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.rows: list[tuple[str, logging.LogRecord, list[Patient], str | None]] = []
        self.patients: list[Patient] = []
        self.json_formatter: logging.Formatter | None = None

    def emit(self, record: logging.LogRecord) -> None:
        emitter = LOGGER_EMITTER.get(record.name)
        if emitter is None and record.name.startswith("clinic.tasks"):
            emitter = "celery"
        if emitter is None:
            return
        formatted = None
        if emitter == "python-json-logger" and self.json_formatter is not None:
            formatted = self.json_formatter.format(record)
        self.rows.append((emitter, record, list(self.patients), formatted))

    @contextlib.contextmanager
    def about(self, *patients: Patient | None) -> Iterator[None]:
        self.patients = [p for p in patients if p is not None]
        try:
            yield
        finally:
            self.patients = []


def template_and_args(record: logging.LogRecord, text: str) -> tuple[str, Any]:
    """The record's template and JSON-safe arguments that format to `text`, else `%s`, [text]."""
    msg, args = record.msg, record.args
    if not isinstance(msg, str) or not args:
        return ("%s", [text])
    if isinstance(args, dict) and not any(m.group(1) for m in _SPEC.finditer(msg)):
        args = (args,)  # one mapping for a plain `%s`: logging unwrapped the 1-tuple
    if isinstance(args, dict):
        out_args: Any = {}
        pieces: list[str] = []
        last = 0
        for spec in _SPEC.finditer(msg):
            key, conv = spec.group(1), spec.group(2)
            pieces.append(msg[last : spec.start()])
            last = spec.end()
            if key is None or conv == "%":
                pieces.append(spec.group())
                continue
            value = args[key]
            if isinstance(value, _PRIMITIVE):
                pieces.append(spec.group())
                out_args[key] = value
            else:
                pieces.append(f"%({key})s")
                out_args[key] = repr(value) if conv == "r" else str(value)
        pieces.append(msg[last:])
    else:
        out_args = []
        pieces = []
        last = 0
        values = list(args)
        for spec in _SPEC.finditer(msg):
            pieces.append(msg[last : spec.start()])
            last = spec.end()
            if spec.group(2) == "%":
                pieces.append(spec.group())
                continue
            if not values:
                return ("%s", [text])
            value = values.pop(0)
            if isinstance(value, _PRIMITIVE):
                pieces.append(spec.group())
                out_args.append(value)
            else:
                pieces.append("%s")
                out_args.append(repr(value) if spec.group(2) == "r" else str(value))
        pieces.append(msg[last:])
    template = "".join(pieces)
    try:
        again = template % (out_args if isinstance(out_args, dict) else tuple(out_args))
    except (TypeError, ValueError, KeyError):
        return ("%s", [text])
    return (template, out_args) if again == text else ("%s", [text])


# --- labels -----------------------------------------------------------------------------------


def renderings(value: object) -> set[str]:
    """The forms in which the emitters write a planted value."""
    if isinstance(value, datetime.date):
        d = value
        return {
            d.isoformat(),
            repr(d),
            f"{d.month:02d}/{d.day:02d}/{d.year}",
            f"{d.month}/{d.day}/{d.year}",
            f"{d:%B} {d.day}, {d.year}",
            f"{d.day} {d:%b} {d.year}",
            f"{d.day:02d}.{d.month:02d}.{d.year}",
            f"{d.year}{d.month:02d}{d.day:02d}",
            urllib.parse.quote(f"{d.month:02d}/{d.day:02d}/{d.year}", safe=""),
        }
    s = str(value)
    forms = {
        s,
        repr(s)[1:-1],
        json.dumps(s)[1:-1],
        urllib.parse.quote(s, safe=""),
        urllib.parse.quote_plus(s),
        urllib.parse.quote(urllib.parse.quote(s, safe=""), safe=""),
        urllib.parse.quote(urllib.parse.quote_plus(s), safe=""),
        s.upper(),
        json.dumps(s.upper())[1:-1],
        s.encode("unicode_escape").decode("ascii"),  # django.request's log_response escapes args
    }
    return {f for f in forms if f}


# A value starts after a character that is not part of a word, or right after a percent-escape:
# `%3DHall` and `%2F06%2F2011` in a query string inside a query string.
_STARTS = r"(?:(?<![\w%])|(?<=%[0-9A-Fa-f]{2}))"
_STARTS_ANY = r"(?:(?<!\w)|(?<=%[0-9A-Fa-f]{2}))"


def label(text: str, patients: list[Patient]) -> list[list[Any]] | None:
    """The spans of the patients' values in `text`; None when a value is there in a form the
    labeller does not know (a rendering outside every span, a digit run of five or more, or a
    name, seen but not labelled)."""
    if not patients:
        return []
    planted = [item for patient in patients for item in patient.planted()]
    found: list[tuple[int, int, str]] = []
    for name, value in planted:
        kind = Patient.TYPES[name]
        for form in sorted(renderings(value), key=len, reverse=True):
            pattern = _STARTS + re.escape(form) + r"(?!\w)"
            for match in re.finditer(pattern, text):
                found.append((match.start(), match.end(), kind))
    spans: list[list[Any]] = []
    for start, end, kind in sorted(found, key=lambda s: (s[0], -(s[1] - s[0]))):
        if spans and start < spans[-1][1]:
            continue  # inside a longer span already kept (`Park` in `12 Park Ave`)
        spans.append([start, end, kind])
    forms = {form for _, value in planted for form in renderings(value)}
    forms |= {urllib.parse.quote(form, safe="") for form in forms} | {
        urllib.parse.quote_plus(form) for form in forms
    }
    for form in sorted(form for form in forms if len(form) >= 4):
        for match in re.finditer(re.escape(form) + r"(?!\w)", text):
            if not any(s <= match.start() and match.end() <= e for s, e, _ in spans):
                return None  # a planted value outside every span, even inside a longer word
    rest = text
    for start, end, _ in reversed(spans):
        rest = rest[:start] + " " * (end - start) + rest[end:]
    for name, value in planted:
        if name in ("first_name", "last_name"):
            for word in re.findall(r"\w{3,}", str(value)):
                if re.search(rf"{_STARTS_ANY}{re.escape(word)}(?!\w)", rest, re.IGNORECASE):
                    return None
        elif name == "dob":
            for form in renderings(value):
                if re.search(rf"{_STARTS_ANY}{re.escape(form)}(?!\w)", rest):
                    return None
        else:
            digits = re.sub(r"\D", "", str(value))
            if len(digits) >= 5 and digits in re.sub(r"\D", "", rest):
                return None
    return spans


# --- normalising what changes from run to run ---------------------------------------------


class Normaliser:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.paths = [
            (str(HERE), "/srv/app"),
            (str(ROOT), "/srv/app"),
            (os.path.dirname(os.__file__) + "/site-packages", "/usr/lib/python3/site-packages"),
            (os.path.dirname(os.__file__), "/usr/lib/python3"),
        ]

    def duration(self) -> float:
        return round(self.r.uniform(0.0004, 0.04), 4)

    def text(self, text: str) -> str:
        for real, fake in self.paths:
            text = text.replace(real, fake)
        text = re.sub(r"\bs\d+_x(\d+)\b", r"s140245_x\1", text)  # Django savepoint names
        return re.sub(r" at 0x[0-9a-f]+>", " at 0x7f3a2c1d9e80>", text)

    def record(self, record: logging.LogRecord) -> None:
        if record.name == "django.db.backends" and isinstance(record.args, tuple):
            args = list(record.args)
            args[0] = self.duration()
            args[1] = self.text(args[1])
            record.args = tuple(args)
        elif isinstance(record.args, dict) and "runtime" in record.args:
            record.args = {**record.args, "runtime": self.duration()}


# --- emitters ---------------------------------------------------------------------------------


def setup_django(db: dict[str, object]) -> None:
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=True,
        SECRET_KEY="harvest-only",
        DATABASES={"default": db},
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "rest_framework",
            "clinic.apps.ClinicConfig",
        ],
        USE_TZ=True,
        TIME_ZONE="UTC",
        LOGGING_CONFIG=None,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    django.setup()
    from clinic import models
    from django.db import connection

    with connection.schema_editor() as editor:
        for model in (models.Patient, models.Event, models.Order, models.Visit):
            editor.create_model(model)


class Harvest:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.people = People(seed + 1)
        self.capture = Capture()
        self.norm = Normaliser(seed + 2)
        self.saved: list[Any] = []
        self.order_numbers: list[str] = []

    # helpers for benign values
    def day(self) -> datetime.date:
        return datetime.date(2024, 1, 1) + datetime.timedelta(days=self.r.randint(0, 700))

    def uid(self) -> str:
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def order_no(self) -> str:
        return self.r.choice(
            [
                f"ORD-{self.r.randint(2023, 2025)}-{self.r.randint(1, 99999):05d}",
                f"{self.r.randint(100000, 99999999)}",
                f"SO{self.r.randint(1000000, 9999999)}",
            ]
        )

    def invoice_no(self) -> str:
        return f"INV-{self.r.randint(2023, 2025)}-{self.r.randint(1, 999999):06d}"

    def version(self) -> str:
        return f"{self.r.randint(1, 12)}.{self.r.randint(0, 30)}.{self.r.randint(0, 20)}"

    def private_ip(self) -> str:
        return self.r.choice(
            [
                f"10.{self.r.randint(0, 255)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                f"172.{self.r.randint(16, 31)}.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                f"192.168.{self.r.randint(0, 255)}.{self.r.randint(1, 254)}",
                "127.0.0.1",
            ]
        )

    # --- Django ORM over PostgreSQL: SQL debug lines and PostgreSQL's error text -------------

    def orm_patient(self, p: Patient) -> None:
        from clinic.models import Patient as Row
        from clinic.models import Visit
        from django.db import IntegrityError, transaction

        fields = {k: getattr(p, k) for k in Patient.TYPES if k not in ("card", "ip")}
        fields["state"] = p.state
        fields["ssn"] = p.ssn if self.r.random() < 0.9 else None
        db = logging.getLogger("clinic.db")
        try:
            with transaction.atomic():
                row = Row.objects.create(**fields)
        except IntegrityError as exc:
            db.error("could not save patient: %s", exc)
            return
        self.saved.append((row.pk, p))
        choice = self.r.random()
        if choice < 0.3:
            Row.objects.filter(mrn=p.mrn).first()
        elif choice < 0.5:
            list(Row.objects.filter(last_name__iexact=p.last_name, dob=p.dob)[:5])
        elif choice < 0.6:
            Row.objects.filter(email=p.email).exists()
        elif choice < 0.7:
            Row.objects.filter(pk=row.pk).update(phone=p.phone, zip=p.zip)
        elif choice < 0.8:
            Visit.objects.create(patient=row, reason="follow-up", day=self.day())
        else:
            list(Row.objects.filter(ssn=p.ssn).values("id", "first_name", "last_name"))

    def pg_errors(self, p: Patient) -> None:
        """Duplicates, NOT NULL and CHECK violations: PostgreSQL writes the values itself."""
        from clinic.models import Patient as Row
        from clinic.models import Visit
        from django.db import IntegrityError, transaction

        if not self.saved:
            return
        pk, old = self.r.choice(self.saved)
        self.capture.patients.append(old)  # a duplicate's key is the other patient's value
        db = logging.getLogger("clinic.db")
        fields = {k: getattr(p, k) for k in Patient.TYPES if k not in ("card", "ip")}
        fields["state"] = p.state
        kind = self.r.randrange(6)
        if kind == 0:
            fields["mrn"] = old.mrn
        elif kind == 1:
            fields["email"] = old.email
        elif kind == 2:
            fields["ssn"] = old.ssn
        elif kind == 3:
            fields["mrn"] = None
        elif kind == 4:
            fields["dob"] = datetime.date(1899, 12, 31) - datetime.timedelta(
                days=self.r.randint(0, 900)
            )
        try:
            with transaction.atomic():
                if kind == 5:
                    Visit.objects.create(patient_id=pk + 100000, reason=p.last_name, day=p.dob)
                else:
                    Row.objects.create(**fields)
        except IntegrityError as exc:
            style = self.r.randrange(3)
            if style == 0:
                db.error("could not save patient: %s", exc)
            elif style == 1:
                db.warning("IntegrityError on POST /api/patients/: %s", exc)
            else:
                db.error("%s", str(exc).replace("\n", " "))
            return
        if kind == 4:
            return
        with contextlib.suppress(IntegrityError), transaction.atomic():
            Row.objects.filter(pk=pk).delete()

    def orm_benign(self) -> None:
        from clinic.models import Event, Order
        from django.db import IntegrityError, transaction

        db = logging.getLogger("clinic.db")
        day = self.day()
        kind = self.r.randrange(7)
        if kind == 0:
            Event.objects.create(
                name=self.r.choice(["flu-clinic", "open-house", "vaccination-day", "webinar"]),
                day=day,
                cache_key=f"events:{day.isoformat()}:list",
                rows=self.r.randint(0, 5000),
                status=self.r.choice([200, 201, 204, 304, 404]),
            )
        elif kind == 1:
            list(Event.objects.filter(day__gte=day, day__lt=day + datetime.timedelta(days=7)))
        elif kind == 2:
            number = self.order_no()
            Order.objects.create(
                number=number,
                invoice=self.invoice_no(),
                total=f"{self.r.randint(1, 99999) / 100:.2f}",
                created=datetime.datetime(
                    day.year, day.month, day.day, self.r.randint(0, 23), tzinfo=datetime.UTC
                ),
            )
            self.order_numbers.append(number)
        elif kind == 3 and self.order_numbers:
            number = self.r.choice(self.order_numbers)
            try:
                with transaction.atomic():
                    Order.objects.create(
                        number=number,
                        invoice=self.invoice_no(),
                        total="10.00",
                        created=datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC),
                    )
            except IntegrityError as exc:
                db.error("could not save order: %s", exc)
        elif kind == 4:
            try:
                with transaction.atomic():
                    Event.objects.create(
                        name=None,
                        day=day,
                        cache_key=f"events:{day}:list",
                        rows=self.r.randint(0, 99),
                        status=200,
                    )
            except IntegrityError as exc:
                db.warning("IntegrityError on POST /api/events/: %s", exc)
        elif kind == 5:
            Order.objects.filter(number=self.order_no()).count()
        else:
            Event.objects.filter(cache_key=f"events:{day}:list").update(
                rows=self.r.randint(0, 9999)
            )

    # --- DRF and Django forms ----------------------------------------------------------------

    def drf(self, p: Patient | None) -> None:
        from clinic.forms import PatientSerializer
        from django.http import QueryDict

        log = logging.getLogger("clinic.api")
        if p is None:
            data: dict[str, Any] = {}
            for field in ("first_name", "last_name", "dob", "email", "state", "phone"):
                if self.r.random() < 0.4:
                    data[field] = self.r.choice(["", "x", "2024-13-45", "TX", "Texas", "n/a"])
            serializer = PatientSerializer(data=data)
            serializer.is_valid()
            log.warning("POST /api/patients/ rejected: %s", dict(serializer.errors))
            if self.r.random() < 0.5:
                log.info(
                    "validation errors=%s request_id=%s took %dms",
                    json.dumps(serializer.errors),
                    self.uid(),
                    self.r.randint(2, 900),
                )
            return
        data = {
            "first_name": p.first_name,
            "last_name": p.last_name,
            "dob": p.dob.isoformat() if self.r.random() < 0.7 else f"{p.dob:%m/%d/%Y}",
            "email": p.email if self.r.random() < 0.8 else p.email.replace("@", " at "),
            "phone": p.phone,
            "state": p.state if self.r.random() < 0.8 else "Texas",
            "zip": p.zip,
            "mrn": p.mrn,
        }
        if self.r.random() < 0.3:
            del data[self.r.choice(list(data))]
        serializer = PatientSerializer(data=data)
        valid = serializer.is_valid()
        style = self.r.randrange(4)
        if style == 0:
            log.info("POST /api/patients/ data=%s", data)
        elif style == 1:
            query = QueryDict(mutable=True)
            for key, value in data.items():
                query[key] = value
            log.info("POST /api/patients/ data=%r", query)
        elif style == 2 and not valid:
            log.warning("patient create rejected: %s input=%s", dict(serializer.errors), data)
        else:
            log.info("serializer %s: %s", "valid" if valid else "invalid", serializer.data)

    def form(self, p: Patient | None) -> None:
        from clinic.forms import IntakeForm

        log = logging.getLogger("clinic.forms")
        if p is None:
            junk = ["", "abc", "2024-02-30", "not-an-email", "x" * self.r.randint(81, 130),
                    "n/a", "TBD", "12", str(self.day()), self.order_no()]  # fmt: skip
            fields = ["first_name", "last_name", "dob", "ssn", "phone", "email", "zip", "city"]
            data = {k: self.r.choice(junk) for k in self.r.sample(fields, self.r.randint(1, 6))}
            form = IntakeForm(data=data)
            form.is_valid()
            style = self.r.randrange(4)
            if style == 0:
                log.warning("intake form invalid: %s", form.errors.as_json())
            elif style == 1:
                log.warning("intake form invalid:\n%s", form.errors.as_text())
            elif style == 2:
                log.info("form errors: %s", form.errors.get_json_data())
            else:
                log.warning(
                    "POST /intake/ %s invalid fields=%s request_id=%s",
                    self.r.choice([400, 422]),
                    sorted(form.errors),
                    self.uid(),
                )
            return
        data = {
            "first_name": p.first_name,
            "last_name": p.last_name,
            "dob": self.r.choice([p.dob.isoformat(), f"{p.dob:%m/%d/%Y}", "13/45/1999"]),
            "ssn": p.ssn,
            "phone": p.phone,
            "email": p.email,
            "zip": p.zip,
            "street": p.street,
            "city": p.city,
        }
        form = IntakeForm(data=data)
        valid = form.is_valid()
        style = self.r.randrange(4)
        if valid and style < 2:
            log.info("intake cleaned: %s", form.cleaned_data)
        elif style == 0 or style == 2:
            log.warning("intake form invalid: %s data=%r", form.errors.as_json(), form.data)
        elif style == 1:
            log.warning("intake form invalid: %s", form.errors.as_json())
        else:
            log.info("intake submitted for %s %s (dob %s)", p.first_name, p.last_name, data["dob"])

    # --- Celery ------------------------------------------------------------------------------

    def celery(self, p: Patient | None) -> None:
        from clinic import tasks

        task_id = self.uid()
        if p is None:
            kind = self.r.randrange(4)
            if kind == 0:
                tasks.rebuild_event_cache.apply(args=(self.day().isoformat(),), task_id=task_id)
            elif kind == 1:
                tasks.export_orders.apply(
                    kwargs={"batch": f"B-{self.day()}", "invoice": self.invoice_no()},
                    task_id=task_id,
                )
            elif kind == 2:
                tasks.sync_gateway.apply(
                    args=(self.private_ip(), self.r.choice([443, 8443, 5432, 6379])),
                    task_id=task_id,
                )
            else:
                tasks.purge_sessions.apply(args=(self.r.randint(1, 90),), task_id=task_id)
            return
        kind = self.r.randrange(4)
        if kind == 0:
            tasks.send_reminder.apply(
                args=(self.r.randint(1, 9999), p.phone, f"{self.day()} 09:30"), task_id=task_id
            )
        elif kind == 1:
            tasks.check_eligibility.apply(
                args=(p.member_id, p.dob.isoformat()),
                kwargs={"mbi": p.mbi},
                task_id=task_id,
            )
        elif kind == 2:
            tasks.charge_copay.apply(
                kwargs={"account": p.account, "card": p.card, "amount": "25.00"}, task_id=task_id
            )
        else:
            tasks.send_statement.apply(
                args=(p.full_name, p.email, f"{p.street}, {p.city}, {p.state} {p.zip}"),
                task_id=task_id,
            )

    # --- structlog, python-json-logger -------------------------------------------------------

    def structlog(self, p: Patient | None) -> None:
        import structlog

        stamp = f"2025-{self.r.randint(1, 12):02d}-{self.r.randint(1, 28):02d}T" + (
            f"{self.r.randint(0, 23):02d}:{self.r.randint(0, 59):02d}:"
            f"{self.r.randint(0, 59):02d}.{self.r.randint(0, 999999):06d}Z"
        )

        def fixed_time(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
            event["timestamp"] = stamp
            return event

        renderer = self.r.choice(
            [
                structlog.processors.KeyValueRenderer(key_order=["timestamp", "level", "event"]),
                structlog.processors.JSONRenderer(),
                structlog.processors.LogfmtRenderer(key_order=["timestamp", "level", "event"]),
            ]
        )
        log = structlog.wrap_logger(
            logging.getLogger("clinic.structlog"),
            processors=[structlog.stdlib.add_log_level, fixed_time, renderer],
            wrapper_class=structlog.stdlib.BoundLogger,
        ).bind(request_id=self.uid())
        if p is None:
            day = self.day()
            kind = self.r.randrange(5)
            if kind == 0:
                log.info("cache.miss", key=f"events:{day}:list", ttl=self.r.choice([60, 300]))
            elif kind == 1:
                log.info(
                    "request.finished",
                    path=f"/api/events/?date={day}",
                    status=self.r.choice([200, 200, 304, 404, 500]),
                    duration_ms=round(self.r.uniform(1, 900), 1),
                )
            elif kind == 2:
                log.info(
                    "orders.exported",
                    batch=f"B-{day}",
                    rows=self.r.randint(0, 99999),
                    invoice=self.invoice_no(),
                    order=self.order_no(),
                )
            elif kind == 3:
                log.warning(
                    "db.pool.exhausted",
                    host=self.private_ip(),
                    port=5432,
                    waited_s=round(self.r.uniform(0, 30), 2),
                )
            else:
                log.info("app.started", version=self.version(), pid=self.r.randint(100, 65000))
            return
        kind = self.r.randrange(6)
        if kind == 0:
            log.info("patient.lookup", mrn=p.mrn, found=True, duration_ms=self.r.randint(1, 90))
        elif kind == 1:
            log.info(
                "appointment.booked",
                patient=p.full_name,
                dob=p.dob.isoformat(),
                phone=p.phone,
                slot=f"{self.day()}T09:30",
            )
        elif kind == 2:
            log.warning(
                "eligibility.denied",
                member_id=p.member_id,
                payer=self.r.choice(["aetna", "cigna", "humana"]),
                reason=f"member {p.member_id} terminated",
            )
        elif kind == 3:
            log.info("user.login", email=p.email, ip=p.ip, ok=True)
        elif kind == 4:
            log.error("payment.failed", account=p.account, message=f"card {p.card} declined")
        else:
            log.info(
                "address.updated",
                patient_id=self.r.randint(1, 9999),
                new={"street": p.street, "city": p.city, "zip": p.zip},
            )

    def json_logger(self, p: Patient | None) -> None:
        log = logging.getLogger("clinic.json")
        request_id = self.uid()
        if p is None:
            kind = self.r.randrange(3)
            if kind == 0:
                log.info(
                    "request finished",
                    extra={
                        "path": f"/api/events/?start={self.day()}&end={self.day()}",
                        "status": self.r.choice([200, 201, 204, 400, 404, 503]),
                        "duration_ms": self.r.randint(1, 4000),
                        "request_id": request_id,
                    },
                )
            elif kind == 1:
                log.info(
                    "invoice %s paid for order %s",
                    self.invoice_no(),
                    self.order_no(),
                    extra={"amount": f"{self.r.randint(1, 9999)}.00", "request_id": request_id},
                )
            else:
                log.warning(
                    "slow query: %d rows in %.1f ms",
                    self.r.randint(0, 100000),
                    self.r.uniform(100, 9000),
                    extra={"table": "clinic_event", "day": str(self.day())},
                )
            return
        kind = self.r.randrange(4)
        if kind == 0:
            log.info(
                "intake submitted",
                extra={
                    "request_id": request_id,
                    "patient": {
                        "first_name": p.first_name,
                        "last_name": p.last_name,
                        "dob": p.dob.isoformat(),
                        "phone": p.phone,
                        "zip": p.zip,
                    },
                },
            )
        elif kind == 1:
            log.info("appointment reminder sent to %s", p.phone, extra={"request_id": request_id})
        elif kind == 2:
            log.warning(
                "Duplicate patient %s %s born %s", p.first_name, p.last_name, f"{p.dob:%m/%d/%Y}"
            )
        else:
            log.info(
                "statement mailed",
                extra={"to": p.email, "address": f"{p.street}, {p.city}, {p.state} {p.zip}"},
            )

    # --- application exception messages and tracebacks with locals ---------------------------

    def app_exception(self, p: Patient | None) -> None:
        log = logging.getLogger("clinic.app")
        r = self.r
        if p is None:
            messages = [
                f"Order {self.order_no()} not found",
                f"Invoice {self.invoice_no()} overdue by {r.randint(1, 90)} days",
                f"retry {r.randint(1, 5)}/5 after {r.randint(50, 5000)} ms",
                f"upstream {self.private_ip()}:{r.choice([443, 8443])} timed out after 30s",
                f"Version {self.version()} does not support field 'dob'",
                f"Event {self.day()} has no free slots",
                f"cache key events:{self.day()}:list expired after {r.randint(1, 3600)}s",
                f"HTTP {r.choice([502, 503, 504])} from payer gateway (request {self.uid()})",
                f"batch {r.randint(1000, 99999)} processed: {r.randint(0, 5000)} rows updated",
                f"Appointment slot {self.day()}T{r.randint(8, 17):02d}:00 is already taken",
                f"Report for {self.day():%B %Y} is not ready yet",
                f"Tracking number 1Z{r.randint(10**15, 10**16 - 1)} not recognised by carrier",
            ]
            log.error("%s", r.choice(messages))
            return
        title = r.choice(["Mr.", "Mrs.", "Ms.", "Dr.", "MR.", "MRS.", "DR."])
        upper = r.random() < 0.5
        name = f"{p.first_name} {p.last_name}"
        messages = [
            f"no coverage for account {p.account}",
            f"Patient {p.last_name.upper()}, {p.first_name.upper()} not found",
            f"Could not reach {title} {name.upper() if upper else name} at {p.phone}",
            f"MRN {p.mrn} is already assigned to another chart",
            f"member {p.member_id} not eligible on {self.day()}",
            f"SSN {p.ssn} failed validation",
            f"invalid licence {p.licence} for state {p.state}",
            f"card {p.card} declined (code 05)",
            f"duplicate email {p.email}",
            f"address '{p.street}, {p.city}, {p.state} {p.zip}' could not be geocoded",
            f"MBI {p.mbi} rejected by CMS",
            f"patient born {p.dob:%B} {p.dob.day}, {p.dob.year} is under 18",
            f"{p.last_name}\u00a0\u2013\u00a0DOB {p.dob:%m/%d/%Y}: chart locked",
            f"{title} {p.last_name} ({p.phone}) missed appointment on {self.day()}",
            f"Refund to account {p.account} failed: insufficient funds",
            f"Lookup by phone {p.phone} returned 2 charts",
        ]
        message = r.choice(messages)
        style = r.randrange(3)
        if style == 0:
            log.error("%s", message)
        elif style == 1:
            log.warning("eligibility check failed: %s", message)
        else:
            log.error("Unhandled %s: %s", r.choice(["ValueError", "LookupError"]), message)

    def traceback_locals(self, p: Patient | None) -> None:
        from clinic.services import attempt, benign_failure, phi_failure

        log = logging.getLogger("clinic.traceback")
        if p is None:
            day, order = self.day(), self.order_no()
            exc = attempt(benign_failure, day, order, self.uid(), self.r.randint(0, 999))
        else:
            p.pk = self.r.randint(1, 9999)  # type: ignore[attr-defined]
            exc = attempt(phi_failure, p, self.r.randrange(4))
        assert exc is not None
        frames = traceback.TracebackException.from_exception(exc, capture_locals=True)
        text = self.norm.text("".join(frames.format())).rstrip("\n")
        log.error("%s failed\n%s", self.r.choice(["task", "request", "job"]), text)

    # --- gunicorn ----------------------------------------------------------------------------

    def gunicorn_requests(self, patients: list[Patient]) -> list[Request]:
        """The requests to send: (method and target, headers, the patient they carry)."""
        r = self.r
        out: list[Request] = []
        q = urllib.parse.quote_plus
        for p in patients:
            kind = r.randrange(9)
            headers = {"User-Agent": r.choice(UAS)}
            if r.random() < 0.5:
                headers["X-Forwarded-For"] = p.ip
            if kind == 0:
                names = f"last_name={q(p.last_name)}&first_name={q(p.first_name)}"
                target = f"GET /api/patients/?{names}&dob={p.dob}"
            elif kind == 1:
                target = f"GET /patients/search/?q={q(p.full_name)}&page={r.randint(1, 5)}"
            elif kind == 2:
                inner = f"/patients/search/?dob={p.dob:%m/%d/%Y}&last_name={p.last_name}"
                nested = urllib.parse.quote(q(inner, safe="/?=&"), safe="")
                target = f"GET /accounts/login/?next={nested}"
                if r.random() < 0.5:
                    target = f"GET /accounts/login/?next={urllib.parse.quote(inner, safe='')}"
            elif kind == 3:
                target = f"GET /api/patients/by-mrn/{q(p.mrn)}/"
            elif kind == 4:
                target = f"GET /api/eligibility/?member_id={p.member_id}&dob={p.dob}"
            elif kind == 5:
                contact = f"phone={q(p.phone)}&email={q(p.email)}"
                target = f"POST /api/patients/{r.randint(1, 9999)}/contact/?{contact}"
            elif kind == 6:
                target = f"GET /api/patients/lookup?ssn={q(p.ssn)}"
            elif kind == 7:
                target = f"GET /api/patients/{r.randint(1, 9999)}/"
                headers["Referer"] = f"https://portal.example.org/patients/?q={q(p.last_name)}"
                headers["X-Forwarded-For"] = p.ip
            else:
                target = f"GET /api/claims/?account={p.account}&zip={p.zip}"
            out.append((target, headers, p))
        for _ in range(len(patients)):
            kind = r.randrange(9)
            headers = {"User-Agent": r.choice(UAS)}
            if r.random() < 0.3:
                headers["X-Forwarded-For"] = self.private_ip()
            day = self.day()
            target = [
                f"GET /api/events/?date={day}&page={r.randint(1, 9)}",
                f"GET /api/events/?start={day}&end={day + datetime.timedelta(days=30)}",
                f"GET /static/js/app.{self.version()}.min.js",
                f"GET /static/css/site.css?v={day:%Y%m%d}",
                f"GET /api/orders/{self.order_no()}/",
                f"GET /api/invoices/?number={self.invoice_no()}",
                f"GET /healthz?t={r.randint(1, 99999)}",
                f"GET /api/appointments/?slot={day}T{r.randint(8, 17):02d}:00:00"
                f"&duration={r.choice([15, 30, 60])}",
                f"GET /api/jobs/{self.uid()}/?rows={r.randint(1, 999)}",
            ][kind]
            out.append((target, headers, None))
        r.shuffle(out)
        return out

    def gunicorn(self, patients: list[Patient]) -> list[tuple[str, Patient | None]]:
        import http.client

        sys.path.insert(0, str(ROOT / "tests"))
        from servers import free_port, stop_pid, wait_for_port

        port = free_port()
        log_dir = Path(tempfile.mkdtemp(prefix="harvest-gunicorn-"))
        access = log_dir / "access.log"
        fmt = '%(h)s %({x-forwarded-for}i)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--chdir", str(HERE), "--access-logfile", str(access), "--access-logformat", fmt,
             "--error-logfile", os.devnull, "wsgi:app"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        requests = self.gunicorn_requests(patients)
        try:
            wait_for_port(port, 30)
            for target, headers, _ in requests:
                method, path = target.split(" ", 1)
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request(method, path, headers=headers)
                conn.getresponse().read()
                conn.close()
            time.sleep(0.5)
        finally:
            stop_pid(proc.pid)
        lines = access.read_text(encoding="utf-8").splitlines()
        access.unlink()
        log_dir.rmdir()
        if len(lines) != len(requests):
            raise RuntimeError(f"gunicorn logged {len(lines)} lines for {len(requests)} requests")
        out = []
        for line, (_, _, p) in zip(lines, requests, strict=True):
            stamp = datetime.datetime(2025, 1, 1) + datetime.timedelta(
                seconds=self.r.randint(0, 364 * 86400)
            )
            line = re.sub(r"\[[^\]]+\]", f"[{stamp:%d/%b/%Y:%H:%M:%S} +0000]", line, count=1)
            out.append((line, p))
        return out


UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "python-requests/2.32.3",
    "okhttp/4.12.0",
    "kube-probe/1.29",
]  # fmt: skip


# --- the run ----------------------------------------------------------------------------------


def configure_logging(capture: Capture) -> None:
    from pythonjsonlogger.json import JsonFormatter

    capture.json_formatter = JsonFormatter("%(levelname)s %(name)s %(message)s")
    for name in (*LOGGER_EMITTER, "clinic.tasks"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(capture)
        logger.propagate = False


def collect(seed: int = SEED) -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT / "tests"))
    from servers import start_postgres

    harvest = Harvest(seed)
    configure_logging(harvest.capture)
    pg = start_postgres()
    try:
        setup_django(pg.django_settings())
        patients = [harvest.people.patient() for _ in range(PATIENTS)]
        actions: list[Callable[[Patient | None], None]] = [
            harvest.drf,
            harvest.form,
            harvest.celery,
            harvest.structlog,
            harvest.json_logger,
            harvest.app_exception,
            harvest.traceback_locals,
        ]
        for p in patients:
            with harvest.capture.about(p):
                harvest.orm_patient(p)
                if harvest.r.random() < 0.6:
                    harvest.pg_errors(p)
                for action in actions:
                    if harvest.r.random() < 0.6:
                        action(p)
            with harvest.capture.about(None):
                for _ in range(3):
                    harvest.orm_benign()
                for action in actions:
                    if harvest.r.random() < 0.7:
                        action(None)
        access = harvest.gunicorn(patients[: PATIENTS // 2])
    finally:
        from django.db import connection

        connection.close()
        pg.stop()
    rows: list[dict[str, Any]] = []
    for emitter, record, patients, formatted in harvest.capture.rows:
        harvest.norm.record(record)
        if formatted is not None:
            text, template, args = formatted, "%s", [formatted]
        else:
            text = harvest.norm.text(record.getMessage())
            template, args = template_and_args(record, text)
        rows.append(_row(emitter, text, template, args, patients))
    for line, patient in access:
        rows.append(_row("gunicorn.access", line, "%s", [line], [patient] if patient else []))
    return [row for row in rows if row is not None]


def _row(emitter: str, text: str, template: str, args: Any, patients: list[Patient]) -> Any:
    spans = label(text, patients)
    if spans is None:
        return None
    if template == "%s" and args == [text]:
        template = args = None  # the record is the finished string: `log.info("%s", text)`
    return {"emitter": emitter, "text": text, "template": template, "args": args, "spans": spans}


def build(seed: int = SEED) -> list[dict[str, Any]]:
    rows = collect(seed)
    r = random.Random(seed + 3)
    seen: set[str] = set()
    by_emitter: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        if row["text"] in seen:
            continue
        seen.add(row["text"])
        kind = "phi" if row["spans"] else "benign"
        by_emitter.setdefault((row["emitter"], kind), []).append(row)
    out = []
    for emitter in EMITTERS:
        for kind in ("phi", "benign"):
            pool = by_emitter.get((emitter, kind), [])
            out.extend(r.sample(pool, min(len(pool), PER_EMITTER[kind])))
    r.shuffle(out)
    split = random.Random(seed + 4)
    for row in out:
        held = row["emitter"] in HELD_OUT_EMITTERS or split.random() < HELD_OUT_SHARE
        row["part"] = "held_out" if held else "train"
    keys = ("emitter", "part", "text", "template", "args", "spans")
    return [{k: row[k] for k in keys} for row in out]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=OUT)
    options = parser.parse_args()
    write_corpus(build(), options.out)
    return 0


def with_fixed_hash_seed() -> None:
    """Run this script again with `PYTHONHASHSEED=0` unless it already is: Faker draws some values
    from sets, whose order, so the patients, follows str hashes."""
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(
            sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"}
        )


def write_corpus(rows: list[dict[str, Any]], out: Path) -> None:
    """Write `rows` as JSON lines to `out` and print how many have PHI and how many are benign,
    per emitter (every harvester's driver ends so)."""
    with out.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    counts: dict[str, list[int]] = {}
    for row in rows:
        c = counts.setdefault(row["emitter"], [0, 0])
        c[0 if row["spans"] else 1] += 1
    for emitter, (phi, benign) in sorted(counts.items()):
        print(f"{emitter:22} phi {phi:5} benign {benign:5}")
    print(f"{len(rows)} rows written to {out.name}")


if __name__ == "__main__":
    raise SystemExit(main())
