"""The `peewee` emitter of `twelfth_held.py`: the reminder and billing service's own store, peewee
models over SQLite (in memory, foreign keys on). Captured: the `peewee` logger's DEBUG records,
each a `(sql, params)` tuple as peewee logs it (inserts with every value, lookups by MRN, name
and date of birth, e-mail or phone, updates, deletes, joins, savepoints of nested `atomic()`
blocks), and what the service logs around it: `IntegrityError`s (UNIQUE, NOT NULL, CHECK,
FOREIGN KEY), `DoesNotExist` messages (with the query's SQL and its params, on three lines),
`OperationalError`s of raw SQL written with an f-string, `query.sql()` and `str(query)`,
`model_to_dict` dicts, model `repr`s, and `logger.exception` tracebacks through peewee's code.
Products, stock, purchase orders, slots and devices for the benign lines.

Savepoint names (peewee draws them from `uuid4`) are replaced by seeded ones."""

from __future__ import annotations

import datetime
import logging
import random
import re
from typing import Any

import peewee as pw
from patients import Patient
from playhouse.shortcuts import model_to_dict

log = logging.getLogger("clinic.store")
db = pw.SqliteDatabase(None)


class Base(pw.Model):
    class Meta:
        database = db


class Person(Base):
    mrn = pw.CharField(unique=True)
    first_name = pw.CharField()
    last_name = pw.CharField()
    dob = pw.DateField()
    ssn = pw.CharField(null=True)
    licence = pw.CharField(null=True)
    phone = pw.CharField()
    email = pw.CharField(null=True)
    street = pw.CharField(null=True)
    city = pw.CharField(null=True)
    state = pw.CharField(max_length=2, null=True)
    zip = pw.CharField(null=True, constraints=[pw.Check("length(zip) >= 5")])

    class Meta:
        table_name = "patient"


class Coverage(Base):
    patient = pw.ForeignKeyField(Person, backref="coverages", on_delete="CASCADE")
    member_id = pw.CharField()
    mbi = pw.CharField(null=True)
    account = pw.CharField(unique=True)
    priority = pw.IntegerField(default=1, constraints=[pw.Check("priority between 1 and 3")])


class Visit(Base):
    patient = pw.ForeignKeyField(Person, backref="visits")
    starts = pw.DateTimeField()
    room = pw.CharField()
    reason = pw.CharField()
    reminded = pw.BooleanField(default=False)


class Payment(Base):
    patient = pw.ForeignKeyField(Person, backref="payments")
    card = pw.CharField()
    cents = pw.IntegerField()
    ip = pw.CharField(null=True)


class Product(Base):
    sku = pw.CharField(unique=True)
    name = pw.CharField()
    ndc = pw.CharField()
    on_hand = pw.IntegerField(constraints=[pw.Check("on_hand >= 0")])


class PurchaseOrder(Base):
    number = pw.CharField(unique=True)
    supplier = pw.CharField()
    product = pw.ForeignKeyField(Product, backref="orders")
    quantity = pw.IntegerField()
    due = pw.DateField()


class Device(Base):
    serial = pw.CharField(unique=True)
    kind = pw.CharField()
    firmware = pw.CharField()
    last_seen = pw.DateTimeField(null=True)


MODELS = (Person, Coverage, Visit, Payment, Product, PurchaseOrder, Device)
for _cls in MODELS:
    _cls.__module__ = "clinic.store.models"
    _cls.DoesNotExist.__module__ = "clinic.store.models"


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 1, 12) + datetime.timedelta(days=r.randint(0, 330))


def _moment(r: random.Random) -> datetime.datetime:
    day = _day(r)
    return datetime.datetime(
        day.year, day.month, day.day, r.choice([8, 9, 10, 13, 14, 15]), r.choice([0, 15, 30, 45])
    )


class Store:
    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.people: dict[str, Person] = {}

    def _fail(self, what: str, exc: Exception, *about: Any) -> None:
        how = self.r.randrange(3)
        if how == 0:
            log.error("%s failed: %s", what, exc)
        elif how == 1:
            log.warning("%s: %r", what, exc)
        else:
            log.exception("%s failed for %s", what, about[0] if about else "-")

    def register(self, p: Patient) -> Person | None:
        r = self.r
        fields: dict[str, Any] = {
            "mrn": p.mrn,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "dob": p.dob,
            "phone": p.phone,
            "email": p.email,
        }
        if r.random() < 0.6:
            fields.update(street=p.street, city=p.city, state=p.state, zip=p.zip)
        if r.random() < 0.3:
            fields["ssn"] = p.ssn
        if r.random() < 0.25:
            fields["licence"] = p.licence
        fault = r.random()
        if fault < 0.08:
            fields["zip"] = "n/a"
        elif fault < 0.14:
            fields["phone"] = None
        try:
            with db.atomic():
                person = Person.create(**fields)
        except pw.IntegrityError as exc:
            self._fail(f"registration of {p.mrn}", exc, p.mrn)
            return None
        self.people[p.mrn] = person
        if r.random() < 0.35:
            log.debug("registered %r: %s", person, model_to_dict(person))
        if r.random() < 0.2:
            try:
                Person.create(**{**fields, "zip": p.zip, "phone": p.phone})
            except pw.IntegrityError as exc:
                self._fail("duplicate registration", exc, p.email)
        return person

    def find(self, p: Patient) -> None:
        r = self.r
        kind = r.randrange(6)
        try:
            if kind == 0:
                person = Person.get(Person.mrn == p.mrn)
                log.info("found %r for MRN %s", person, p.mrn)
            elif kind == 1:
                query = Person.select().where(
                    (Person.last_name == p.last_name) & (Person.dob == p.dob)
                )
                log.debug("lookup: %s", query.sql())
                list(query)
            elif kind == 2:
                query = Person.select(Person.id, Person.mrn).where(Person.email == p.email)
                if r.random() < 0.5:
                    log.debug("running %s", query)
                query.get()
            elif kind == 3:
                Person.get((Person.phone == p.phone) & (Person.state == p.state))
            elif kind == 4:
                elsewhere = "WY" if p.state != "WY" else "VT"
                Person.get(
                    (Person.mrn == p.mrn) & (Person.dob == p.dob) & (Person.state == elsewhere)
                )
            else:
                Person.get_or_none(Person.last_name.startswith(p.last_name) & (Person.zip == p.zip))
        except pw.DoesNotExist as exc:
            how = r.randrange(3)
            if how == 0:
                log.warning("%s", exc)
            elif how == 1:
                log.info("no match: %r", exc)
            else:
                log.exception("patient lookup failed")

    def coverage(self, p: Patient, person: Person) -> None:
        r = self.r
        priority = r.choice([1, 1, 2, 4])
        try:
            with db.atomic(), db.atomic():  # a transaction, and a savepoint inside it
                cov = Coverage.create(
                    patient=person,
                    member_id=p.member_id,
                    mbi=p.mbi,
                    account=p.account,
                    priority=priority,
                )
            if r.random() < 0.4:
                log.info("coverage saved: %s", model_to_dict(cov, recurse=False))
        except pw.IntegrityError as exc:
            self._fail(f"coverage {p.member_id}", exc, p.member_id)
        if r.random() < 0.4:
            rows = (
                Coverage.select(Coverage.member_id, Person.last_name)
                .join(Person)
                .where(Coverage.mbi == p.mbi)
                .dicts()
            )
            log.debug("coverage rows: %s", list(rows))

    def visits(self, p: Patient, person: Person) -> None:
        r = self.r
        kind = r.randrange(4)
        if kind == 0:
            visit = Visit.create(
                patient=person,
                starts=_moment(r),
                room=r.choice(["Exam 2", "Exam 5", "Lab"]),
                reason="follow-up",
            )
            Visit.update(reminded=True).where(Visit.id == visit.id).execute()
        elif kind == 1:
            query = Visit.select().join(Person).where(Person.mrn == p.mrn).order_by(Visit.starts)
            log.debug("%d visits for %s", query.count(), p.mrn)
        elif kind == 2:
            try:
                Visit.create(
                    patient=None,
                    starts=_moment(r),
                    room="Exam 2",
                    reason=f"new patient {p.last_name}",
                )
            except pw.IntegrityError as exc:
                self._fail("visit", exc, p.mrn)
        else:
            Person.update(phone=p.phone, email=p.email).where(Person.mrn == p.mrn).execute()
            person.phone = p.phone
            person.save()

    def payment(self, p: Patient, person: Person) -> None:
        r = self.r
        pay = Payment.create(patient=person, card=p.card, cents=r.randint(500, 50000), ip=p.ip)
        if r.random() < 0.3:
            log.info("payment %d recorded: %s", pay.id, model_to_dict(pay, recurse=False))
        if r.random() < 0.3:
            Payment.delete().where(Payment.card == p.card).execute()

    def raw(self, p: Patient) -> None:
        """A lookup written with an f-string: a name without quotes is read as a column."""
        r = self.r
        if r.random() < 0.5 and p.last_name.isalpha():
            sql = f"SELECT id, mrn FROM patient WHERE last_name = {p.last_name}"
        else:
            sql = (
                f"SELECT id, mrn FROM patient WHERE email = '{p.email}' "
                f"AND dob = '{p.dob.isoformat()}'"
            )
        try:
            rows = list(Person.raw(sql).dicts())
            log.debug("raw lookup returned %d rows", len(rows))
        except pw.OperationalError as exc:
            self._fail("raw lookup", exc, p.mrn)

    def forget(self, p: Patient, person: Person) -> None:
        try:
            with db.atomic():
                Person.delete().where(Person.ssn == p.ssn).execute()
                person.delete_instance()
        except pw.IntegrityError as exc:
            self._fail(f"erasure of {p.mrn}", exc, p.mrn)


def _patient(store: Store, p: Patient) -> None:
    r = store.r
    person = store.register(p)
    store.find(p)
    if person is None:
        return
    steps = [store.coverage, store.visits, store.payment]
    r.shuffle(steps)
    for step in steps[: r.randint(1, 3)]:
        step(p, person)
    if r.random() < 0.35:
        store.raw(p)
    if r.random() < 0.15:
        store.forget(p, person)


DRUGS = (
    ("Amoxicillin 500 mg capsule", "0093-3109-01"),
    ("Hydrochlorothiazide 25 mg tablet", "0172-2083-60"),
    ("Sertraline 50 mg tablet", "16729-0153-01"),
    ("Heparin 5,000 units/mL vial", "63323-0540-01"),
    ("Ibuprofen 800 mg tablet", "0904-5853-61"),
)
SUPPLIERS = ("Medline Industries", "Henry Schein", "Cardinal Health", "McKesson")


def _benign(store: Store, n: int) -> None:
    r = store.r
    kind = r.randrange(5)
    try:
        if kind == 0:
            name, ndc = r.choice(DRUGS)
            sku = f"SKU-{r.randint(1000, 1400)}"
            with db.atomic():
                Product.create(
                    sku=sku,
                    name=name,
                    ndc=ndc,
                    on_hand=r.choice([r.randint(0, 500), -r.randint(1, 9)]),
                )
        elif kind == 1:
            product = Product.select().order_by(Product.id.desc()).first()
            number = f"PO-2026-{r.randint(1, 400):04d}"
            with db.atomic():
                PurchaseOrder.create(
                    number=number,
                    supplier=r.choice(SUPPLIERS),
                    product=product,
                    quantity=r.randint(1, 48),
                    due=_day(r),
                )
        elif kind == 2:
            serial = (
                f"{r.choice(['PUMP', 'ECG', 'SPO2'])}-{r.randint(2019, 2026)}-{r.randint(100, 180)}"
            )
            Device.insert(
                serial=serial, kind="monitor", firmware=f"{r.randint(1, 4)}.{r.randint(0, 12)}"
            ).on_conflict("replace").execute()
            Device.update(last_seen=_moment(r)).where(Device.serial == serial).execute()
        elif kind == 3:
            query = (
                PurchaseOrder.select()
                .where(PurchaseOrder.due < _day(r))
                .order_by(PurchaseOrder.due)
            )
            if r.random() < 0.4:
                log.debug("overdue orders: %s", query.sql())
            log.info("%d purchase orders overdue", query.count())
            PurchaseOrder.get(PurchaseOrder.number == f"PO-2026-{r.randint(1, 400):04d}")
        else:
            Product.update(on_hand=Product.on_hand - r.randint(1, 30)).where(
                Product.sku == f"SKU-{r.randint(1000, 1400)}"
            ).execute()
            Visit.select(pw.fn.COUNT(Visit.id)).where(Visit.starts >= _moment(r)).scalar()
    except (pw.IntegrityError, pw.DoesNotExist) as exc:
        how = r.randrange(3)
        if how == 0:
            log.error("inventory job %d failed: %s", n, exc)
        elif how == 1:
            log.warning("inventory job %d: %r", n, exc)
        else:
            log.exception("inventory job %d failed", n)


_SAVEPOINT = re.compile(r"\bs[0-9a-f]{32}\b")


class Savepoints:
    """peewee's savepoint names (from `uuid4`) replaced by seeded ones, each real one always by
    the same."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.names: dict[str, str] = {}

    def _name(self, match: re.Match[str]) -> str:
        real = match.group(0)
        if real not in self.names:
            self.names[real] = f"s{self.r.getrandbits(128):032x}"
        return self.names[real]

    def __call__(self, text: str) -> str:
        return _SAVEPOINT.sub(self._name, text)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 239)
    db.init(":memory:", pragmas={"foreign_keys": 1})
    db.connect()
    try:
        db.create_tables(MODELS)
        store = Store(r)
        for i, p in enumerate(patients):
            with cap.about(p):
                _patient(store, p)
            for k in range(4):
                _benign(store, i * 4 + k)
    finally:
        db.close()
