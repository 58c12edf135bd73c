"""The `auditlog` emitter of `fifth_held.py`: django-auditlog over the `fifth_site` models
(SQLite in a temp dir), and each `LogEntry` logged as an app logs it."""

from __future__ import annotations

import datetime
import json
import logging
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

from patients import Patient

log = logging.getLogger("clinic.audit")
STAFF = ["frontdesk.north", "billing.ops", "nurse.station4", "records.clerk", "portal.system"]


def setup(tmp: Path) -> None:
    import django
    from django.conf import settings
    from django.core.management import call_command

    settings.configure(
        DEBUG=False,
        SECRET_KEY="harvest-fifth-only",
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp / "audit.db"),
                # a throwaway database: no fsync after each audited save
                "OPTIONS": {"init_command": "PRAGMA synchronous=OFF; PRAGMA journal_mode=MEMORY;"},
            }
        },
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "auditlog",
            "fifth_site",
        ],
        USE_TZ=True,
        TIME_ZONE="UTC",
        LOGGING_CONFIG=None,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)


def _report(entry: Any, r: random.Random) -> None:
    style = r.randrange(8)
    if style == 0:
        log.info("%s", entry)
    elif style == 1:
        log.info(
            "audit %s %s by %s from %s",
            entry.get_action_display(),
            entry.object_repr,
            entry.actor,
            entry.remote_addr,
        )
    elif style == 2:
        log.debug("%s changes: %s", entry.object_repr, entry.changes_dict)
    elif style == 3:
        log.info("%s: %s", entry, entry.changes_str)
    elif style == 4:
        log.debug("changes=%s", json.dumps(entry.changes_dict, ensure_ascii=r.random() < 0.3))
    elif style == 5:
        log.info("%s changed %s", entry.actor or "system", entry.changes_display_dict)
    elif style == 6:
        for field, (old, new) in entry.changes_dict.items():
            log.debug("%s.%s: %r -> %r", entry.content_type.model, field, old, new)
    else:
        log.info(
            "LogEntry(object_repr=%r, action=%s, object_pk=%s, changes=%s)",
            entry.object_repr,
            entry.action,
            entry.object_pk,
            entry.changes,
        )


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    from auditlog.context import set_actor
    from auditlog.diff import model_instance_diff
    from auditlog.models import LogEntry
    from django.contrib.auth.models import User
    from fifth_site import models

    r = random.Random(seed + 41)
    staff = [User.objects.create(username=name) for name in STAFF]

    last = 0

    def flush() -> None:
        nonlocal last
        for entry in LogEntry.objects.filter(pk__gt=last).order_by("pk"):
            _report(entry, r)
            last = entry.pk

    kinds = ["GLV", "SYR", "BND", "MSK", "TST", "GAU", "SWB"]
    for p in patients:
        with cap.about(p):
            self_service = r.random() < 0.4
            actor = User.objects.create(username=p.email) if self_service else r.choice(staff)
            address = p.ip if self_service else f"10.20.{r.randint(0, 9)}.{r.randint(2, 250)}"
            with set_actor(actor, remote_addr=address):
                fields: dict[str, Any] = {
                    "first_name": p.first_name,
                    "last_name": p.last_name,
                    "mrn": p.mrn,
                    "dob": p.dob,
                }
                for name in ("ssn", "phone", "email", "street", "city", "zip", "licence"):
                    if r.random() < 0.6:
                        fields[name] = getattr(p, name)
                row = models.Patient.objects.create(**fields)
                flush()
                old = models.Patient.objects.get(pk=row.pk)
                for name in ("ssn", "phone", "email", "street", "city", "zip", "licence"):
                    if name not in fields:
                        setattr(row, name, getattr(p, name))
                row.status = r.choice(["active", "review", "inactive"])
                row.portal_enabled = r.random() < 0.5
                row.language = r.choice(["en", "es", "fr", "vi", "pl"])
                row.save()
                if r.random() < 0.3:
                    log.debug("diff %s", model_instance_diff(old, row))
                flush()
                coverage = models.Coverage.objects.create(
                    patient=row,
                    member_id=p.member_id,
                    mbi=p.mbi if r.random() < 0.5 else "",
                    plan=r.choice(["PPO", "HMO", "Medicare"]),
                    account=p.account,
                    card=p.card if r.random() < 0.4 else "",
                )
                coverage.verified = True
                coverage.save()
                flush()
                if r.random() < 0.3:
                    coverage.delete()
                    flush()
                if r.random() < 0.2:
                    row.delete()
                    flush()
        with set_actor(r.choice(staff), remote_addr=f"10.20.{r.randint(0, 9)}.{r.randint(2, 250)}"):
            for _ in range(2):
                sku = f"{r.choice(kinds)}-{r.randint(100, 999)}-{r.choice('ABCDK')}"
                product = models.Product.objects.create(
                    sku=sku,
                    name=r.choice(
                        ["Nitrile gloves M", "Gauze 4x4", "Lancets 30G", "Saline 500 mL"]
                    ),
                    price=Decimal(f"{r.randint(1, 90)}.{r.randint(0, 99):02d}"),
                    stock=r.randint(0, 900),
                )
                product.stock -= r.randint(1, 40)
                product.price = Decimal(f"{r.randint(1, 90)}.{r.randint(0, 99):02d}")
                product.save()
                order = models.Order.objects.create(
                    number=f"ORD-2026-{r.randint(1, 999999):06d}",
                    qty=r.randint(1, 500),
                    ship_date=datetime.date(2026, r.randint(1, 12), r.randint(1, 28)),
                    warehouse=r.choice(["W1", "W3", "EAST-2"]),
                )
                order.status = r.choice(["shipped", "cancelled", "backorder"])
                order.save()
                slot = models.Slot.objects.create(
                    clinic=r.choice(["north", "south", "riverside"]),
                    day=datetime.date(2026, r.randint(1, 12), r.randint(1, 28)),
                    start=f"{r.randint(8, 16):02d}:{r.choice(['00', '15', '30', '45'])}",
                    minutes=r.choice([15, 30, 45]),
                )
                slot.status = r.choice(["held", "booked", "blocked"])
                slot.save()
                if r.random() < 0.3:
                    order.delete()
                flush()
