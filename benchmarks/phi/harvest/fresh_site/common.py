"""What the workers share: the patients read from stdin, Django set up over SQLite, the patient
whose action is running, and seeded values for the lines without a patient."""

from __future__ import annotations

import contextlib
import datetime
import json
import random
import sys
import uuid
from collections.abc import Iterator
from typing import Any

from patients import Patient

from fresh_site import jsonlog


def read_patients() -> list[Patient]:
    out = []
    for p in json.load(sys.stdin):
        p["dob"] = datetime.date.fromisoformat(p["dob"])
        out.append(Patient(**p))
    return out


def setup_django() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)


@contextlib.contextmanager
def about(index: int | list[int] | None) -> Iterator[None]:
    jsonlog.ABOUT = index
    try:
        yield
    finally:
        jsonlog.ABOUT = None


def day(r: random.Random) -> datetime.date:
    return datetime.date(2024, 1, 1) + datetime.timedelta(days=r.randint(0, 700))


def uid(r: random.Random) -> str:
    return str(uuid.UUID(int=r.getrandbits(128), version=4))


def order_no(r: random.Random) -> str:
    return r.choice(
        [
            f"ORD-{r.randint(2023, 2025)}-{r.randint(1, 99999):05d}",
            f"SO{r.randint(1000000, 9999999)}",
            f"PO-{r.randint(100, 999)}-{r.randint(1000, 9999)}",
        ]
    )


def invoice_no(r: random.Random) -> str:
    return f"INV-{r.randint(2023, 2025)}-{r.randint(1, 999999):06d}"


def version(r: random.Random) -> str:
    return f"{r.randint(1, 9)}.{r.randint(0, 30)}.{r.randint(0, 20)}"


def sku(r: random.Random) -> str:
    return f"{r.choice(['GLV', 'SYR', 'BND', 'MSK', 'THR', 'GAU', 'TST'])}-{r.randint(100, 9999)}"


def money(r: random.Random) -> str:
    return f"{r.randint(1, 4999)}.{r.randint(0, 99):02d}"


TITLES = ["Mr.", "Ms.", "Mrs.", "Dr.", "Mx."]
DOB_FORMATS = ["iso", "us", "us_short", "long", "short", "dotted", "compact"]


def dob(p: Patient, r: random.Random) -> str:
    """The date of birth in one of the forms clinics write it."""
    d = p.dob
    kind = r.choice(DOB_FORMATS)
    return {
        "iso": d.isoformat(),
        "us": f"{d.month:02d}/{d.day:02d}/{d.year}",
        "us_short": f"{d.month}/{d.day}/{d.year}",
        "long": f"{d:%B} {d.day}, {d.year}",
        "short": f"{d.day} {d:%b} {d.year}",
        "dotted": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "compact": f"{d.year}{d.month:02d}{d.day:02d}",
    }[kind]


def dumps(value: Any) -> str:
    return json.dumps(value, default=str)
