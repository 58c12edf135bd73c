"""Django's own validation of patient data, logged the way application code logs it.

`python -m held_site.validate SEED` reads the patients (JSON) on stdin, runs `full_clean()` and
`save()` on real models in SQLite (`HELD_SITE_DB`), and logs through the `clinic` loggers what
apps log: the instance (`__str__`/`repr`), `ValidationError.message_dict`, `messages`, `repr`,
and the admin's `LogEntry` change messages. Events, orders and invoices get the same treatment
for the benign lines. Records go to `HELD_SITE_LOG` (see `jsonlog.py`).
"""

from __future__ import annotations

import datetime
import decimal
import json
import logging
import random
import sys
from typing import Any

import django

django.setup()

from django import forms  # noqa: E402
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry  # noqa: E402
from django.contrib.admin.utils import construct_change_message  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.exceptions import ValidationError  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import IntegrityError, transaction  # noqa: E402
from django.forms.models import model_to_dict, modelform_factory  # noqa: E402

from held_site import jsonlog  # noqa: E402
from held_site.models import Address, Contact, Coverage, Event, Invoice, Order, Patient  # noqa: E402

log = logging.getLogger("clinic.patients")
admin_log = logging.getLogger("clinic.admin")
ops = logging.getLogger("clinic.orders")

STATE_NAMES = {"TX": "Texas", "OR": "Oregon", "IL": "Illinois", "OH": "Ohio", "NM": "New Mexico"}


class PatientForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = ["first_name", "last_name", "dob", "phone", "email", "street", "city", "zip"]


class OrderForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ["number", "placed_on", "status", "contact"]


class Clinic:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.clock = random.Random(seed + 1)  # LogEntry.action_time, shown by its repr
        self.user = User.objects.create(username="frontdesk", is_staff=True)
        self.mrns: list[str] = []
        self.members: list[str] = []
        self.orders: list[str] = []
        self.invoices: list[str] = []

    # --- patients -----------------------------------------------------------------------

    def fields(self, p: dict[str, Any]) -> dict[str, Any]:
        return {
            "first_name": p["first_name"],
            "last_name": p["last_name"],
            "dob": p["dob"],
            "sex": self.r.choice("FMX"),
            "mrn": p["mrn"],
            "ssn": p["ssn"],
            "email": p["email"],
            "phone": p["phone"],
            "street": p["street"],
            "city": p["city"],
            "state": p["state"],
            "zip": p["zip"],
            "member_id": p["member_id"],
        }

    def fault(self, f: dict[str, Any]) -> None:
        """One or two of the mistakes a front desk makes, in the form the desk typed it."""
        r = self.r
        dob = datetime.date.fromisoformat(f["dob"])
        for kind in r.sample(range(9), r.choice([1, 1, 2])):
            if kind == 0:
                f["dob"] = r.choice(
                    [f"{dob:%m/%d/%Y}", f"{dob.month}/{dob.day}/{dob.year}", f"{dob:%d.%m.%Y}",
                     f"{dob:%B} {dob.day}, {dob.year}", f"{dob:%Y%m%d}"]
                )  # fmt: skip
            elif kind == 1:
                f["sex"] = r.choice(["female", "male", "f", "W", "unknown", "0"])
            elif kind == 2:
                f["state"] = STATE_NAMES.get(f["state"], f["state"].lower())
            elif kind == 3 and self.mrns:
                f["mrn"] = r.choice(self.mrns)
            elif kind == 4:
                f["email"] = r.choice(
                    [f"{f['email']},", f"<{f['email']}>", f"{f['email']};", f"mailto:{f['email']}"]
                )
            elif kind == 5:
                f["ssn"] = r.choice([f"SSN {f['ssn']}", f"{f['ssn']} (self)", f"#{f['ssn']} x"])
            elif kind == 6:
                f["phone"] = f"{f['phone']} ext. {r.randint(100, 99999)} (mobile)"
            elif kind == 7:
                f["first_name"] = ""
            else:
                f["zip"] = f"{f['zip']}-{r.randint(1000, 9999)} (PO box)"

    def patient(self, index: int, p: dict[str, Any]) -> None:
        r = self.r
        jsonlog.ABOUT = index
        f = self.fields(p)
        good = r.random() < 0.45
        if not good:
            self.fault(f)
        obj = Patient(**f)
        try:
            obj.full_clean()
        except ValidationError as exc:
            style = r.randrange(7)
            if style == 0:
                log.warning("invalid patient %s: %s", obj, exc.message_dict)
            elif style == 1:
                log.warning("rejected %r: %s", obj, exc.messages)
            elif style == 2:
                log.error("patient import row %d failed: %r", r.randint(2, 5000), exc)
            elif style == 3:
                log.info("validation failed for %s", obj, exc_info=False)
                log.info("%s", exc)
            elif style == 4:
                for field, errors in exc.message_dict.items():
                    log.warning("%s.%s: %s", obj, field, "; ".join(errors))
            elif style == 5:
                log.warning("intake for MRN %s rejected: %s", obj.mrn, exc.message_dict)
            else:
                log.warning("cannot save %s: %s", repr(obj), "; ".join(exc.messages))
            jsonlog.ABOUT = None
            return
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError as exc:
            log.error("save of %s failed: %s", obj, exc)
            return
        self.mrns.append(obj.mrn)
        log.info(r.choice(["saved %s", "created patient %s", "registered %s"]), obj)
        self.admin_add(obj)
        if r.random() < 0.7:
            self.admin_change(obj, p)
        if r.random() < 0.1:
            self.entry(obj, DELETION, "")
        jsonlog.ABOUT = None

    def related(self, index: int, p: dict[str, Any]) -> None:
        """The patient's coverage, contact or address, typed with the desk's mistakes."""
        r = self.r
        jsonlog.ABOUT = index
        dob = datetime.date.fromisoformat(p["dob"])
        kind = r.randrange(3)
        if kind == 0:
            member = p["member_id"]
            if self.members and r.random() < 0.15:
                member = r.choice(self.members)
            obj: Any = Coverage(
                payer=r.choice(["aetna", "bcbs", "medicare", "Medicare", "BCBS TX", "uhc"]),
                member_id=r.choice([member, member, f"ID {member}", f"{member} (sub)"]),
                mbi=p["mbi"],
                subscriber_dob=r.choice([p["dob"], p["dob"], f"{dob:%m/%d/%Y}", f"{dob:%d.%m.%Y}"]),
                account=r.choice(
                    [p["account"], p["account"], f"ACCT {p['account']}", f"#{p['account']}"]
                ),
            )
        elif kind == 1:
            obj = Contact(
                name=r.choice([f"{p['first_name']} {p['last_name']}", p["last_name"]]),
                email=r.choice([p["email"], p["email"], f"{p['email']},", f"<{p['email']}>"]),
                phone=r.choice([p["phone"], p["phone"], f"{p['phone']} / {p['phone']}"]),
                last_login_ip=r.choice([p["ip"], p["ip"], f"{p['ip']}:443", None]),
                licence=r.choice([p["licence"], "", f"DL {p['licence']} exp 2027"]),
            )
        else:
            obj = Address(
                street=p["street"],
                city=p["city"],
                state=r.choice([p["state"], p["state"], STATE_NAMES.get(p["state"], "Tex.")]),
                zip=r.choice([p["zip"], p["zip"], f"{p['zip']}-{r.randint(1000, 9999)}"]),
            )
        name = obj._meta.verbose_name
        try:
            obj.full_clean()
        except ValidationError as exc:
            style = r.randrange(6)
            if style == 0:
                log.warning("invalid %s %s: %s", name, obj, exc.message_dict)
            elif style == 1:
                log.warning("rejected %r: %s", obj, exc.messages)
            elif style == 2:
                log.error("%s import row %d failed: %r", name, r.randint(2, 5000), exc)
            elif style == 3:
                log.info("%s", exc)
            elif style == 4:
                for field, errors in exc.message_dict.items():
                    log.warning("%s.%s: %s", obj, field, "; ".join(errors))
            else:
                log.warning("cannot save %s: %s", repr(obj), "; ".join(exc.messages))
            jsonlog.ABOUT = None
            return
        obj.save()
        if isinstance(obj, Coverage):
            self.members.append(obj.member_id)
        log.info(r.choice(["saved %s", f"created {name} %s", "%s stored"]), obj)
        self.admin_add(obj)
        jsonlog.ABOUT = None

    def entry(self, obj: Any, flag: int, message: Any) -> None:
        when = datetime.datetime(2025, 1, 2, 8, tzinfo=datetime.UTC) + datetime.timedelta(
            microseconds=self.clock.randint(0, 300 * 86400 * 10**6)
        )
        entry = LogEntry.objects.create(
            action_time=when,
            user=self.user,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            action_flag=flag,
            change_message=json.dumps(message) if isinstance(message, list) else message,
        )
        style = self.r.randrange(4)
        if style == 0:
            admin_log.info("%s", entry)
        elif style == 1:
            admin_log.info("admin %s: %s", entry.object_repr, entry.get_change_message())
        elif style == 2:
            admin_log.info("%s by %s", entry, entry.user)
        else:
            admin_log.info("%r %s", entry, entry.get_change_message())

    def admin_add(self, obj: Any) -> None:
        if self.r.random() < 0.5:
            form = modelform_factory(type(obj), fields="__all__")(model_to_dict(obj))
            self.entry(obj, ADDITION, construct_change_message(form, None, True))

    def admin_change(self, obj: Patient, p: dict[str, Any]) -> None:
        r = self.r
        data = {k: getattr(obj, k) for k in PatientForm.Meta.fields}
        for name in r.sample(["phone", "email", "street", "city", "zip", "dob"], r.randint(1, 3)):
            if name == "dob":
                data["dob"] = obj.dob + datetime.timedelta(days=r.randint(1, 400))
            elif name == "zip":
                data["zip"] = f"{r.randint(1, 99950):05d}"
            else:
                data[name] = ""
        form = PatientForm(data, instance=obj)
        if form.is_valid():
            form.save()
            self.entry(obj, CHANGE, construct_change_message(form, None, False))
        else:
            log.warning("admin change of %s invalid: %s", obj, form.errors.as_json())

    # --- benign -----------------------------------------------------------------------------

    def day(self) -> datetime.date:
        return datetime.date(2024, 1, 1) + datetime.timedelta(days=self.r.randint(0, 700))

    def benign(self) -> None:
        r = self.r
        jsonlog.ABOUT = None
        kind = r.randrange(3)
        if kind == 0:
            day = self.day()
            obj: Any = Event(
                title=r.choice(["Flu clinic", "Staff training", "Board meeting", "Open day"])
                + f" {r.randint(1, 40)}",
                starts_on=r.choice(
                    [day.isoformat(), f"{day:%m/%d/%Y}", f"{day.year}-13-0{day.day % 9 + 1}"]
                ),
                capacity=r.choice([r.randint(5, 300), -r.randint(1, 9)]),
                kind=r.choice(["talk", "clinic", "webinar", "Talk"]),
            )  # fmt: skip
        elif kind == 1:
            number = (
                r.choice(self.orders)
                if self.orders and r.random() < 0.3
                else f"ORD-{r.randint(2023, 2025)}-{r.randint(1, 99999):05d}"
            )
            obj = Order(
                number=number,
                placed_on=r.choice([self.day().isoformat(), f"{self.day():%d.%m.%Y}"]),
                status=r.choice(["new", "shipped", "void", "cancelled", "SHIPPED"]),
                contact=r.choice(["orders@supply.example", "billing at supply", "", "ap@vendor"]),
            )
        else:
            number = (
                r.choice(self.invoices)
                if self.invoices and r.random() < 0.3
                else f"INV-{r.randint(10000, 999999)}"
            )
            obj = Invoice(
                number=number,
                issued_on=self.day().isoformat(),
                amount=r.choice(
                    [decimal.Decimal(f"{r.randint(1, 99999)}.{r.randint(0, 99):02d}"),
                     decimal.Decimal(f"{r.randint(1000000, 9999999)}.5"),
                     decimal.Decimal("12.345")]
                ),
                order=f"SO{r.randint(1000000, 9999999)}",
            )  # fmt: skip
        try:
            obj.full_clean()
        except ValidationError as exc:
            style = r.randrange(5)
            if style == 0:
                ops.warning("invalid %s %s: %s", type(obj).__name__.lower(), obj, exc.message_dict)
            elif style == 1:
                ops.warning("rejected %r: %s", obj, exc.messages)
            elif style == 2:
                ops.error("import row %d failed: %r", r.randint(2, 5000), exc)
            elif style == 3:
                ops.info("%s", exc)
            else:
                for field, errors in exc.message_dict.items():
                    ops.warning("%s.%s: %s", obj, field, "; ".join(errors))
            return
        obj.save()
        if isinstance(obj, Order):
            self.orders.append(obj.number)
        if isinstance(obj, Invoice):
            self.invoices.append(obj.number)
        ops.info(r.choice(["saved %s", "created %s", "%s stored"]), obj)
        if isinstance(obj, Order) and r.random() < 0.6:
            form = OrderForm(
                {"number": obj.number, "placed_on": self.day(), "status": "shipped",
                 "contact": r.choice(["", "ap@vendor.example"])},
                instance=obj,
            )  # fmt: skip
            if form.is_valid():
                form.save()
                self.entry(obj, CHANGE, construct_change_message(form, None, False))
        elif r.random() < 0.3:
            self.admin_add(obj)


def main() -> int:
    seed = int(sys.argv[1])
    patients = json.load(sys.stdin)
    call_command("migrate", run_syncdb=True, verbosity=0)
    clinic = Clinic(seed)
    for index, p in enumerate(patients):
        clinic.patient(index, p)
        clinic.related(index, p)
        for _ in range(2):
            clinic.benign()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
