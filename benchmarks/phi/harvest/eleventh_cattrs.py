"""The `cattrs` emitter of `eleventh_held.py`: attrs classes and a cattrs `Converter` in the
app's intake pipeline. Partners' payloads structured into attrs classes with validators
(`instance_of`, `matches_re`, `in_`, a custom validator whose message quotes the value):
the `repr`s of what came out, `unstructure`d dicts, and the errors: `ClassValidationError`s
(exception groups, logged with `logger.exception`, so with their sub-exception trees),
`cattrs.transform_error` lists, the validators' own `TypeError`s and `ValueError`s raised by
the classes built directly, and `evolve`d copies. Product, slot, order and device payloads and
their errors for the benign lines."""

import datetime
import logging
import random
import re
from typing import Any

import attrs
import cattrs
from attrs import validators as v
from patients import Patient

log = logging.getLogger("clinic.intake")

PHONE = re.compile(r"^\+?1?[ .(-]*\d{3}[ .)-]*\d{3}[ .-]*\d{4}$")


def _not_blank(instance: Any, attribute: attrs.Attribute, value: str) -> None:
    if not value.strip():
        raise ValueError(f"{attribute.name} is blank")


def _known_state(instance: Any, attribute: attrs.Attribute, value: str) -> None:
    if len(value) != 2 or not value.isupper():
        raise ValueError(f"{attribute.name} {value!r} is not a two-letter state code")


@attrs.frozen
class Address:
    street: str = attrs.field(validator=_not_blank)
    city: str
    state: str = attrs.field(validator=_known_state)
    zip: str = attrs.field(validator=v.matches_re(r"\d{5}(-\d{4})?"))


@attrs.define
class Contact:
    phone: str = attrs.field(validator=v.matches_re(PHONE))
    email: str = attrs.field(validator=v.matches_re(r"[^@\s]+@[^@\s]+\.\w+"))


@attrs.define
class Intake:
    first_name: str = attrs.field(validator=v.instance_of(str))
    last_name: str = attrs.field(validator=v.instance_of(str))
    dob: datetime.date = attrs.field(validator=v.instance_of(datetime.date))
    mrn: str
    contact: Contact | None = None
    address: Address | None = None
    member_id: str | None = None
    source: str = attrs.field(default="portal", validator=v.in_(["portal", "fax", "partner"]))


@attrs.define
class Coverage:
    member_id: str
    mbi: str = attrs.field(validator=v.matches_re(r"\d[A-Z][A-Z0-9]\d[A-Z][A-Z0-9]\d[A-Z]{2}\d{2}"))
    account: str
    priority: int = attrs.field(default=1, validator=v.in_([1, 2, 3]))


for _cls in (Address, Contact, Intake, Coverage):
    _cls.__module__ = "clinic.intake.models"


def _converter() -> cattrs.Converter:
    c = cattrs.Converter(forbid_extra_keys=True)
    c.register_structure_hook(datetime.date, lambda val, _: datetime.date.fromisoformat(val))
    c.register_unstructure_hook(datetime.date, lambda d: d.isoformat())
    return c


CONVERTER = _converter()


def _payload(p: Patient, r: random.Random) -> tuple[dict[str, Any], str]:
    payload: dict[str, Any] = {
        "first_name": p.first_name,
        "last_name": p.last_name,
        "dob": p.dob.isoformat(),
        "mrn": p.mrn,
        "source": r.choice(["portal", "fax", "partner"]),
    }
    if r.random() < 0.6:
        payload["contact"] = {"phone": p.phone, "email": p.email}
    if r.random() < 0.5:
        payload["address"] = {"street": p.street, "city": p.city, "state": p.state, "zip": p.zip}
    if r.random() < 0.4:
        payload["member_id"] = p.member_id
    fault = r.choice(["none", "none", "ssn", "phone", "state", "dob", "source", "zip", "type"])
    if fault == "ssn":
        payload["ssn"] = p.ssn
    elif fault == "phone":
        payload["contact"] = {"phone": p.email, "email": p.phone}
    elif fault == "state":
        payload["address"] = {"street": p.street, "city": p.city, "state": p.city, "zip": p.zip}
    elif fault == "dob":
        payload["dob"] = p.dob.strftime("%m/%d/%Y")
    elif fault == "source":
        payload["source"] = p.email
    elif fault == "zip":
        payload["address"] = {"street": p.street, "city": p.city, "state": p.state, "zip": p.ssn}
    elif fault == "type":
        payload["mrn"] = None
        payload["first_name"] = 7
    return payload, fault


def _patient(p: Patient, r: random.Random) -> None:
    payload, _ = _payload(p, r)
    try:
        intake = CONVERTER.structure(payload, Intake)
    except cattrs.BaseValidationError as exc:
        how = r.randrange(3)
        if how == 0:
            log.exception("intake for MRN %s rejected", p.mrn)
        elif how == 1:
            for message in cattrs.transform_error(exc):
                log.warning("intake invalid: %s", message)
        else:
            log.warning("intake rejected: %r", exc.exceptions)
    else:
        how = r.randrange(3)
        if how == 0:
            log.info("intake accepted: %r", intake)
        elif how == 1:
            log.debug("intake stored: %s", CONVERTER.unstructure(intake))
        else:
            moved = attrs.evolve(intake, source="fax")
            log.debug("re-sent by fax: %r", moved)
    kind = r.randrange(4)
    try:
        if kind == 0:
            coverage = Coverage(p.member_id, p.mbi.replace("-", ""), p.account)
            log.info("coverage on file: %r", coverage)
        elif kind == 1:
            Coverage(p.member_id, p.mbi, p.account, priority=r.choice([1, 4]))
            log.debug("coverage for %s checked", p.member_id)
        elif kind == 2:
            Contact(p.phone, p.email)
            Intake(p.first_name, p.last_name, p.dob.isoformat(), p.mrn)  # type: ignore[arg-type]
        else:
            Address(p.street, p.city, p.state.lower(), p.zip)
    except (TypeError, ValueError) as exc:
        if r.random() < 0.3:
            log.exception("record for %s %s not built", p.first_name, p.last_name)
        else:
            log.error("validation failed: %s", exc)


@attrs.define
class Product:
    sku: str
    name: str
    ndc: str
    on_hand: int = attrs.field(validator=v.ge(0))
    price: float = 0.0


@attrs.define
class Slot:
    room: str
    day: datetime.date
    start: str = attrs.field(validator=v.matches_re(r"\d{2}:\d{2}"))
    length: int = attrs.field(default=30, validator=v.in_([15, 30, 45, 60]))


@attrs.define
class Order:
    number: str
    supplier: str
    lines: int
    invoice: str | None = None


for _cls in (Product, Slot, Order):
    _cls.__module__ = "clinic.inventory.models"

DRUGS = (
    ("Amoxicillin 500 mg capsule", "0093-3109-01"),
    ("Furosemide 40 mg tablet", "0054-4299-25"),
    ("Insulin glargine 100 U/mL", "0088-2220-33"),
    ("Prednisone 10 mg tablet", "0591-5442-01"),
)


def _benign(r: random.Random, n: int) -> None:
    kind = r.randrange(3)
    day = datetime.date(2026, 4, 1) + datetime.timedelta(days=r.randint(0, 250))
    if kind == 0:
        name, ndc = r.choice(DRUGS)
        payload: dict[str, Any] = {
            "sku": f"SKU-{r.randint(10000, 99999)}",
            "name": name,
            "ndc": ndc,
            "on_hand": r.choice([r.randint(0, 400), -r.randint(1, 9), "twelve"]),
            "price": round(r.uniform(1, 300), 2),
        }
        cls: type = Product
    elif kind == 1:
        payload = {
            "room": r.choice(["Exam 2", "Exam 5", "Lab", "Infusion"]),
            "day": r.choice([day.isoformat(), day.strftime("%d.%m.%Y")]),
            "start": r.choice(["08:30", "13:15", "9h30"]),
            "length": r.choice([15, 30, 45, 20]),
        }
        cls = Slot
    else:
        payload = {
            "number": f"ORD-2026-{r.randint(1, 99999):05d}",
            "supplier": r.choice(["Medline Industries", "Henry Schein", "Cardinal Health"]),
            "lines": r.choice([r.randint(1, 30), "many"]),
            "invoice": f"INV-2026-{r.randint(1, 999999):06d}",
        }
        if r.random() < 0.2:
            payload["warehouse"] = f"WH-{r.randint(1, 9)}"
        cls = Order
    try:
        obj = CONVERTER.structure(payload, cls)
    except cattrs.BaseValidationError as exc:
        how = r.randrange(3)
        if how == 0:
            log.exception("inventory payload %d rejected", n)
        elif how == 1:
            for message in cattrs.transform_error(exc):
                log.warning("payload %d invalid: %s", n, message)
        else:
            log.warning("payload %d rejected: %r", n, exc.exceptions)
        return
    if r.random() < 0.5:
        log.info("stored %r", obj)
    else:
        log.debug("synced %s", CONVERTER.unstructure(obj))


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 197)
    for i, p in enumerate(patients):
        with cap.about(p):
            for _ in range(2):
                _patient(p, r)
        for k in range(4):
            _benign(r, i * 4 + k)
