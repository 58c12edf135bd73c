"""The `msgspec` emitter of `eleventh_held.py`: msgspec Structs in the app's patient-messaging
API. Messages and appointment requests decoded from JSON and MessagePack with `type=` (the
Structs' `repr`s, `msgspec.json.encode` output, `msgspec.json.format` pretty output line by
line, `msgspec.to_builtins` dicts, `msgspec.structs.replace` copies), and the errors:
`ValidationError`s (`Expected ... - at $.path`, constraint failures, unknown fields with
`forbid_unknown_fields`, a `__post_init__` whose message quotes the value), `DecodeError`s of
malformed bodies, `EncodeError`s; some with `logger.exception` tracebacks. Product, slot,
order and device payloads and their errors for the benign lines."""

import datetime
import logging
import random
from typing import Annotated, Any

import msgspec
from patients import Patient

log = logging.getLogger("clinic.messaging")

Zip = Annotated[str, msgspec.Meta(pattern=r"^\d{5}(-\d{4})?$")]
Short = Annotated[str, msgspec.Meta(max_length=24)]


class Address(msgspec.Struct, forbid_unknown_fields=True):
    street: str
    city: str
    state: Annotated[str, msgspec.Meta(min_length=2, max_length=2)]
    zip: Zip


class Sender(msgspec.Struct, forbid_unknown_fields=True):
    given: str
    family: str
    birth_date: datetime.date
    mrn: Short
    phone: str | None = None
    email: str | None = None
    address: Address | None = None

    def __post_init__(self) -> None:
        if self.phone is not None and not any(c.isdigit() for c in self.phone):
            raise ValueError(f"phone {self.phone!r} has no digits")


class PortalMessage(msgspec.Struct, kw_only=True):
    thread: int
    sender: Sender
    subject: str
    urgent: bool = False


class Booking(msgspec.Struct, tag="booking"):
    member_id: str
    account: str
    day: datetime.date
    sender: Sender
    card: str | None = None


for _cls in (Address, Sender, PortalMessage, Booking):
    _cls.__module__ = "clinic.messaging.schemas"

SUBJECTS = (
    "Question about my lab results",
    "Refill request",
    "Reschedule my appointment",
    "Billing question",
    "Side effects of new medication",
)


def _sender(p: Patient, r: random.Random) -> dict[str, Any]:
    sender: dict[str, Any] = {
        "given": p.first_name,
        "family": p.last_name,
        "birth_date": p.dob.isoformat(),
        "mrn": p.mrn,
    }
    if r.random() < 0.6:
        sender["phone"] = p.phone
    if r.random() < 0.5:
        sender["email"] = p.email
    if r.random() < 0.4:
        sender["address"] = {"street": p.street, "city": p.city, "state": p.state, "zip": p.zip}
    fault = r.choice(["none", "none", "none", "ssn", "dob", "zip", "phone", "state", "type"])
    if fault == "ssn":
        sender["ssn"] = p.ssn
    elif fault == "dob":
        sender["birth_date"] = p.dob.strftime("%m/%d/%Y")
    elif fault == "zip":
        sender["address"] = {"street": p.street, "city": p.city, "state": p.state, "zip": p.city}
    elif fault == "phone":
        sender["phone"] = p.email
    elif fault == "state":
        sender["address"] = {"street": p.street, "city": p.city, "state": p.city, "zip": p.zip}
    elif fault == "type":
        sender["mrn"] = int("".join(c for c in p.mrn if c.isdigit()) or "0")
    return sender


def _patient(p: Patient, r: random.Random, n: int) -> None:
    sender = _sender(p, r)
    kind = r.randrange(3)
    if kind == 0:
        doc: dict[str, Any] = {
            "thread": 7000 + n,
            "sender": sender,
            "subject": r.choice(SUBJECTS),
            "urgent": r.random() < 0.2,
        }
        cls: type = PortalMessage
    else:
        doc = {
            "type": "booking",
            "member_id": p.member_id,
            "account": p.account,
            "day": (
                datetime.date(2026, 6, 1) + datetime.timedelta(days=r.randint(0, 90))
            ).isoformat(),
            "sender": sender,
        }
        if r.random() < 0.3:
            doc["card"] = p.card
        cls = Booking
    packed = r.random() < 0.3
    body = msgspec.msgpack.encode(doc) if packed else msgspec.json.encode(doc)
    if not packed and r.random() < 0.15:
        body = body[:-1] + b","
    try:
        if packed:
            obj = msgspec.msgpack.decode(body, type=cls)
        else:
            obj = msgspec.json.decode(body, type=cls)
    except msgspec.ValidationError as exc:
        how = r.randrange(3)
        if how == 0:
            log.exception("message %d from MRN %s rejected", n, p.mrn)
        elif how == 1:
            log.warning("message %d rejected: %s; body %s", n, exc, body.decode("utf-8", "replace")
                        if not packed else sender)  # fmt: skip
        else:
            log.warning("invalid %s: %s", cls.__name__, exc)
        return
    except msgspec.DecodeError as exc:
        log.error("could not decode message %d: %s (%s)", n, exc, body.decode())
        return
    how = r.randrange(5)
    if how == 0:
        log.info("message %d: %r", n, obj)
    elif how == 1:
        log.debug("stored %s", msgspec.json.encode(obj).decode())
    elif how == 2:
        log.debug("message %d:\n%s", n, msgspec.json.format(msgspec.json.encode(obj)).decode())
    elif how == 3:
        log.info("builtins: %s", msgspec.to_builtins(obj))
    else:
        copy = msgspec.structs.replace(obj.sender, email=None, phone=None)
        log.debug("sender without contact: %r", copy)
    if r.random() < 0.15:
        try:
            msgspec.json.encode({"sender": obj.sender, "seen": {p.mrn}, "at": object()})
        except (msgspec.EncodeError, TypeError) as exc:
            log.error("audit copy of %s not written: %s", p.mrn, exc)


class Product(msgspec.Struct):
    sku: str
    name: str
    on_hand: Annotated[int, msgspec.Meta(ge=0)]
    price: float


class Slot(msgspec.Struct, forbid_unknown_fields=True):
    room: str
    day: datetime.date
    start: Annotated[str, msgspec.Meta(pattern=r"^\d{2}:\d{2}$")]


class Device(msgspec.Struct):
    serial: str
    model: str
    firmware: str
    calibrated: datetime.date


for _cls in (Product, Slot, Device):
    _cls.__module__ = "clinic.inventory.schemas"


def _benign(r: random.Random, n: int) -> None:
    kind = r.randrange(3)
    day = datetime.date(2026, 4, 1) + datetime.timedelta(days=r.randint(0, 250))
    if kind == 0:
        doc: dict[str, Any] = {
            "sku": f"SKU-{r.randint(10000, 99999)}",
            "name": r.choice(["Gauze 4x4 sterile", "Nitrile gloves M", "Lancets 30G"]),
            "on_hand": r.choice([r.randint(0, 900), -r.randint(1, 5)]),
            "price": r.choice([round(r.uniform(1, 90), 2), "n/a"]),
        }
        cls: type = Product
    elif kind == 1:
        doc = {
            "room": r.choice(["Exam 3", "Lab", "Imaging", "Infusion 2"]),
            "day": r.choice([day.isoformat(), day.strftime("%B %Y")]),
            "start": r.choice(["10:45", "14:00", "2pm"]),
        }
        if r.random() < 0.2:
            doc["clinician"] = f"staff{r.randint(100, 999)}"
        cls = Slot
    else:
        doc = {
            "serial": f"SN-{r.randint(10**6, 10**7 - 1)}",
            "model": r.choice(["Pulse oximeter PX-3", "BP monitor B6", "Glucometer G2"]),
            "firmware": f"{r.randint(1, 4)}.{r.randint(0, 15)}.{r.randint(0, 9)}",
            "calibrated": r.choice([day.isoformat(), 20260101 + n]),
        }
        cls = Device
    body = msgspec.json.encode(doc)
    if r.random() < 0.1:
        body = body.replace(b":", b"=", 1)
    try:
        obj = msgspec.json.decode(body, type=cls)
    except msgspec.ValidationError as exc:
        if r.random() < 0.3:
            log.exception("inventory payload %d rejected", n)
        else:
            log.warning("payload %d invalid: %s", n, exc)
        return
    except msgspec.DecodeError as exc:
        log.error("payload %d undecodable: %s", n, exc)
        return
    how = r.randrange(3)
    if how == 0:
        log.info("synced %r", obj)
    elif how == 1:
        log.debug("payload %d:\n%s", n, msgspec.json.format(body, indent=2).decode())
    else:
        log.debug("stored %s", msgspec.to_builtins(obj))


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 199)
    for i, p in enumerate(patients):
        with cap.about(p):
            for _ in range(3):
                _patient(p, r, i + 1)
        for k in range(4):
            _benign(r, i * 4 + k)
