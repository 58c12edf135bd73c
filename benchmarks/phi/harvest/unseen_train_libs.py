"""Training emitters of the unseen corpus (see `unseen.py`) that are libraries: `pydantic` and
`sentry.events`.

`pydantic`: pydantic v2 validates patient payloads the way a Django Ninja or FastAPI schema does
(patterns, lengths, types, dates, `EmailStr`, literals and enums, nested models and lists, extra
fields, JSON input, bulk lists through a `TypeAdapter`), and the application logs what pydantic
gives it: the `ValidationError` itself (`log.warning("bad payload: %s", exc)`), its `errors()`
list, its `json()`, one line per error, and the valid model's `repr()` / `model_dump_json()` at
debug. Benign lines: the same for events, orders, invoices, pagination, webhooks and deploys.
Needs pydantic and email-validator (the `bench` extra).

`sentry.events`: see `sentry_events` below.
"""

from __future__ import annotations

import datetime
import enum
import ipaddress
import json
import logging
import random
import re
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

from harvest import _row, template_and_args
from patients import Patient, People
from pydantic import (
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    IPvAnyAddress,
    PastDate,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    field_validator,
)

EMITTERS = ("pydantic", "sentry.events")
PATIENTS = 520
BENIGN = 620

# --- pydantic: the schemas ----------------------------------------------------------------


def _text(pattern: str | None = None, **limits: int) -> Any:
    return Annotated[str, StringConstraints(pattern=pattern, **limits)]


Name = _text(r"^[A-Za-z][A-Za-z' -]*$", min_length=2, max_length=24)
STATES = Literal["IL", "OR", "TX", "OH", "IN", "LA", "MI", "NM", "UT", "ID", "MA", "IA", "CA"]


class Sex(enum.StrEnum):
    female = "F"
    male = "M"
    other = "X"
    unknown = "U"


class AddressIn(BaseModel):
    street: _text(r"^\d+ [A-Za-z .]+$", min_length=5, max_length=28)  # type: ignore[valid-type]
    city: _text(max_length=14)  # type: ignore[valid-type]
    state: STATES
    zip: _text(r"^\d{5}$")  # type: ignore[valid-type]


class InsuranceIn(BaseModel):
    member_id: _text(r"^[A-Z]{3}\d{9}$")  # type: ignore[valid-type]
    mbi: _text(r"^[1-9][A-Z][A-Z0-9]\d[A-Z][A-Z0-9]\d[A-Z]{2}\d{2}$")  # type: ignore[valid-type]
    account_number: _text(r"^\d{10}$")  # type: ignore[valid-type]
    plan: Literal["HMO", "PPO", "EPO", "MEDICARE"] = "PPO"


class PatientIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    first_name: Name  # type: ignore[valid-type]
    last_name: Name  # type: ignore[valid-type]
    dob: PastDate
    sex: Sex
    ssn: _text(r"^\d{3}-\d{2}-\d{4}$")  # type: ignore[valid-type]
    phone: _text(r"^\+1\d{10}$")  # type: ignore[valid-type]
    email: EmailStr
    mrn: _text(r"^MRN-\d{7}$")  # type: ignore[valid-type]
    addresses: list[AddressIn] = Field(min_length=1, max_length=2)
    insurance: InsuranceIn | None = None


class PatientPatch(BaseModel):
    """A PATCH body: everything optional, no pattern, so a valid one is logged at debug."""

    first_name: str | None = None
    last_name: str | None = None
    dob: datetime.date | None = None
    phone: str | None = None
    email: EmailStr | None = None
    address: AddressIn | None = None


class PaymentIn(BaseModel):
    card_number: _text(r"^\d{15,16}$")  # type: ignore[valid-type]
    name_on_card: _text(max_length=18)  # type: ignore[valid-type]
    billing_zip: _text(r"^\d{5}(-\d{4})?$")  # type: ignore[valid-type]
    account: _text(min_length=10, max_length=10)  # type: ignore[valid-type]


class IdentityIn(BaseModel):
    licence_number: _text(r"^[A-Z]\d{7}$")  # type: ignore[valid-type]
    licence_state: Literal["CA", "TX", "NY"]
    dob: datetime.date
    client_ip: IPvAnyAddress

    @field_validator("dob")
    @classmethod
    def adult(cls, value: datetime.date) -> datetime.date:
        if value > datetime.date(2008, 12, 3):
            raise ValueError("must be 18 or older")
        return value


class ContactIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: _text(max_length=20)  # type: ignore[valid-type]
    relationship: Literal["spouse", "parent", "child", "sibling", "other"]
    phone: _text(r"^\+?1?\d{10}$")  # type: ignore[valid-type]
    email: EmailStr | None = None


class PatientSearch(BaseModel):
    """Query parameters of GET /api/patients/ as Django Ninja parses them."""

    last_name: _text(min_length=3)  # type: ignore[valid-type]
    dob: datetime.date | None = None
    zip: _text(r"^\d{5}$") | None = None  # type: ignore[valid-type]
    phone: _text(r"^\d{10}$") | None = None  # type: ignore[valid-type]
    page: int = Field(1, ge=1)
    page_size: int = Field(20, le=100)


class ServiceArea(BaseModel):
    zip: Literal["78701", "78702", "78703", "97201", "97205"]
    city: str


class EventIn(BaseModel):
    title: _text(max_length=40)  # type: ignore[valid-type]
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    capacity: int = Field(ge=1, le=500)
    room: _text(r"^[A-D]-\d{3}$")  # type: ignore[valid-type]


class LineIn(BaseModel):
    sku: _text(r"^[A-Z]{3}-\d{4}$")  # type: ignore[valid-type]
    quantity: int = Field(gt=0)
    unit_price: Decimal = Field(max_digits=8, decimal_places=2)


class OrderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    order_no: _text(r"^ORD-\d{4}-\d{5}$")  # type: ignore[valid-type]
    currency: Literal["USD", "EUR", "GBP"]
    placed_at: datetime.datetime
    lines: list[LineIn] = Field(min_length=1)


class InvoiceIn(BaseModel):
    invoice_no: _text(r"^INV-\d{4}-\d{6}$")  # type: ignore[valid-type]
    amount: Decimal = Field(gt=0, max_digits=10, decimal_places=2)
    due_on: datetime.date
    po_number: _text(max_length=12) | None = None  # type: ignore[valid-type]


class Page(BaseModel):
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)
    sort: Literal["created", "-created", "starts_on", "-starts_on"] = "created"
    since: datetime.date | None = None
    request_id: uuid.UUID | None = None


class WebhookIn(BaseModel):
    url: HttpUrl
    timeout_ms: int = Field(le=30000)
    retries: int = Field(ge=0, le=5)


class DeployIn(BaseModel):
    version: _text(r"^\d+\.\d+\.\d+$")  # type: ignore[valid-type]
    build: _text(r"^[0-9a-f]{40}$")  # type: ignore[valid-type]
    replicas: int = Field(ge=1, le=12)
    host: ipaddress.IPv4Address
    port: int = Field(ge=1024, le=65535)


PATIENT_LIST = TypeAdapter(list[PatientIn])
ORDER_LIST = TypeAdapter(list[OrderIn])


# --- capture --------------------------------------------------------------------------------


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[logging.LogRecord, list[Patient]]] = []
        self.patients: list[Patient] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record, list(self.patients)))


_TRUNCATED = re.compile(r"\w\.\.\.|\.\.\.\w")


def _rows(emitter: str, texts: list[tuple[str, str, Any, list[Patient]]]) -> list[dict[str, Any]]:
    """Labelled rows; a patient's line cut short by the library (`'Anne-Mari...'`) is dropped,
    since the labeller cannot see the piece of a value left before or after the cut."""
    out = []
    for text, template, args, patients in texts:
        if patients and _TRUNCATED.search(text):
            continue
        row = _row(emitter, text, template, args, patients)
        if row is not None:
            out.append(row)
    return out


# --- pydantic: the application ----------------------------------------------------------------


class Values:
    """Seeded benign look-alikes: event dates, order and invoice numbers, versions, UUIDs."""

    def __init__(self, r: random.Random) -> None:
        self.r = r

    def day(self) -> datetime.date:
        return datetime.date(2024, 1, 1) + datetime.timedelta(days=self.r.randint(0, 700))

    def uid(self) -> str:
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def order_no(self) -> str:
        return f"ORD-{self.r.randint(2023, 2025)}-{self.r.randint(1, 99999):05d}"

    def invoice_no(self) -> str:
        return f"INV-{self.r.randint(2023, 2025)}-{self.r.randint(1, 999999):06d}"

    def version(self) -> str:
        return f"{self.r.randint(1, 12)}.{self.r.randint(0, 30)}.{self.r.randint(0, 20)}"

    def sha(self) -> str:
        return f"{self.r.getrandbits(160):040x}"

    def private_ip(self) -> str:
        r = self.r
        return r.choice(
            [
                f"10.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                f"172.{r.randint(16, 31)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
                f"192.168.{r.randint(0, 255)}.{r.randint(1, 254)}",
            ]
        )


def _dob_as_typed(r: random.Random, d: datetime.date) -> str:
    return r.choice(
        [
            f"{d.month:02d}/{d.day:02d}/{d.year}",
            f"{d.month}/{d.day}/{d.year}",
            f"{d:%B} {d.day}, {d.year}",
            f"{d.day:02d}.{d.month:02d}.{d.year}",
            f"{d.year}{d.month:02d}{d.day:02d}",
        ]
    )


class PydanticApp:
    def __init__(self, r: random.Random, handler: _Records) -> None:
        self.r = r
        self.v = Values(r)
        self.handler = handler
        self.log = logging.getLogger("clinic.schemas")

    # what the application logs ------------------------------------------------------------

    def report(self, exc: ValidationError, what: str) -> None:
        log, r = self.log, self.r
        style = r.randrange(7)
        if style == 0:
            log.warning("bad payload: %s", exc)
        elif style == 1:
            log.warning("%s", exc)
        elif style == 2:
            log.info("422 %s: %s", what, exc.errors(include_url=r.random() < 0.3))
        elif style == 3:
            log.warning("validation errors: %s", exc.json(include_url=False))
        elif style == 4:
            log.info("%s rejected: %s", what, exc.json(include_url=r.random() < 0.3, indent=None))
        else:
            for error in exc.errors(include_url=False):
                loc = ".".join(str(part) for part in error["loc"])
                if style == 5:
                    log.warning("invalid %s: %s (input=%r)", loc, error["msg"], error["input"])
                else:
                    log.info("%s.%s %s: %s", what, loc, error["type"], error["msg"])

    def valid(self, model: BaseModel) -> None:
        style = self.r.randrange(3)
        if style == 0:
            self.log.debug("validated %r", model)
        elif style == 1:
            self.log.debug("payload %s", model.model_dump_json())
        else:
            self.log.debug("%s cleaned: %s", type(model).__name__, model.model_dump())

    def run(self, what: str, validate: Callable[[], BaseModel | list[Any]]) -> None:
        try:
            result = validate()
        except ValidationError as exc:
            self.report(exc, what)
            return
        if isinstance(result, BaseModel):
            self.valid(result)

    # patients ----------------------------------------------------------------------------

    def patient_payload(self, p: Patient) -> dict[str, Any]:
        r = self.r
        address: dict[str, Any] = {"street": p.street, "city": p.city, "state": p.state}
        address["zip"] = int(p.zip) if r.random() < 0.2 and p.zip[0] != "0" else p.zip
        payload: dict[str, Any] = {
            "first_name": p.first_name,
            "last_name": p.last_name.upper() if r.random() < 0.2 else p.last_name,
            "dob": p.dob.isoformat() if r.random() < 0.5 else _dob_as_typed(r, p.dob),
            "sex": r.choice(["F", "M", "X", "female", "male", "f", None]),
            "ssn": p.ssn,
            "phone": p.phone,
            "email": p.email,
            "mrn": p.mrn,
            "addresses": [address],
        }
        if r.random() < 0.5:
            payload["insurance"] = {
                "member_id": p.member_id,
                "mbi": p.mbi,
                "account_number": p.account,
                "plan": r.choice(["PPO", "HMO", "medicare", "Medicare Advantage"]),
            }
        mistakes = sorted(r.sample(range(8), r.randint(0, 2)))
        for mistake in mistakes:
            if mistake == 0:
                payload["email"], payload["phone"] = payload["phone"], payload["email"]
            elif mistake == 1:
                del payload[r.choice(["dob", "ssn", "email", "mrn", "addresses"])]
            elif mistake == 2:
                payload[r.choice(["social", "ssn_last4", "notes", "zip"])] = r.choice(
                    [p.ssn, p.zip, p.full_name, p.phone]
                )
            elif mistake == 3:
                payload["addresses"] = address  # an object where the schema wants a list
            elif mistake == 4 and p.phone.isdigit():
                payload["phone"] = int(p.phone)
            elif mistake == 5:
                payload["dob"] = r.choice([p.dob, _dob_as_typed(r, p.dob)])
            elif mistake == 6:
                payload["first_name"] = p.full_name
            elif mistake == 7:
                payload["email"] = r.choice([f"mailto:{p.email}", f"{p.email};", f"{p.email} "])
        return payload

    def patient(self, p: Patient, contact: Patient) -> None:
        r = self.r
        kind = r.randrange(9)
        payload = self.patient_payload(p)
        if kind <= 2:
            self.run("POST /api/patients/", lambda: PatientIn.model_validate(payload))
        elif kind == 3:
            body = json.dumps(payload, default=str, ensure_ascii=r.random() < 0.5)
            self.run("POST /api/patients/", lambda: PatientIn.model_validate_json(body))
        elif kind == 4:
            other = self.patient_payload(contact)
            self.handler.patients.append(contact)
            batch = [other, payload] if r.random() < 0.5 else [payload, other]
            self.run("POST /api/patients/import/", lambda: PATIENT_LIST.validate_python(batch))
        elif kind == 5:
            patch: dict[str, Any] = r.choice(
                [
                    {"phone": p.phone},
                    {"email": p.email},
                    {"email": p.phone},
                    {"dob": _dob_as_typed(r, p.dob)},
                    {"dob": p.dob.isoformat(), "last_name": p.last_name},
                    {"address": {"street": p.street, "city": p.city, "state": p.state}},
                    {"address": {"street": p.street, "city": p.city, "state": "TX", "zip": p.zip}},
                    {"first_name": p.first_name, "last_name": p.last_name, "dob": p.dob},
                ]
            )
            self.run("PATCH /api/patients/", lambda: PatientPatch.model_validate(patch))
        elif kind == 6:
            payment = {
                "card_number": p.card,
                "name_on_card": p.full_name.upper() if r.random() < 0.5 else p.full_name,
                "billing_zip": p.zip if r.random() < 0.7 else p.city,
                "account": p.account,
            }
            self.run("POST /api/payments/", lambda: PaymentIn.model_validate(payment))
        elif kind == 7:
            identity = {
                "licence_number": p.licence,
                "licence_state": r.choice(["CA", "TX", "NY", p.state]),
                "dob": r.choice([p.dob.isoformat(), _dob_as_typed(r, p.dob)]),
                "client_ip": r.choice([p.ip, f"{p.ip}, {self.v.private_ip()}", f"{p.ip}:443"]),
            }
            self.run("POST /api/identity/", lambda: IdentityIn.model_validate(identity))
        else:
            self.search_or_contact(p, contact)

    def search_or_contact(self, p: Patient, contact: Patient) -> None:
        r = self.r
        if r.random() < 0.4:
            self.handler.patients.append(contact)
            body = {
                "name": contact.full_name,
                "relationship": r.choice(["spouse", "parent", "Mother", "friend", "child"]),
                "phone": contact.phone,
                "email": r.choice([contact.email, None, contact.phone]),
            }
            if r.random() < 0.2:
                body["dob"] = contact.dob.isoformat()
            self.run("POST /api/patients/contacts/", lambda: ContactIn.model_validate(body))
        elif r.random() < 0.7:
            query: dict[str, Any] = {"last_name": r.choice([p.last_name, p.last_name[:2]])}
            for key, value in (
                ("dob", r.choice([p.dob.isoformat(), _dob_as_typed(r, p.dob)])),
                ("zip", p.zip),
                ("phone", p.phone),
                ("page", r.choice(["1", "2", "0", "last"])),
                ("page_size", r.choice(["20", "50", "500"])),
            ):
                if r.random() < 0.5:
                    query[key] = value
            self.run("GET /api/patients/", lambda: PatientSearch.model_validate(query))
        else:
            area = {"zip": p.zip, "city": p.city}
            self.run("GET /api/service-area/", lambda: ServiceArea.model_validate(area))

    # benign ------------------------------------------------------------------------------

    def benign(self) -> None:
        r, v = self.r, self.v
        kind = r.randrange(7)
        if kind == 0:
            start = v.day()
            event = {
                "title": r.choice(["Flu clinic", "Board meeting", "CPR training", "Open day"]),
                "starts_on": r.choice([start.isoformat(), f"{start:%m/%d/%Y}", str(start)]),
                "ends_on": r.choice([None, (start - datetime.timedelta(days=2)).isoformat()]),
                "capacity": r.choice([r.randint(1, 500), 0, 1200, "forty"]),
                "room": r.choice(["A-101", "B-214", "E-12", "C-3"]),
            }
            self.run("POST /api/events/", lambda: EventIn.model_validate(event))
        elif kind in (1, 2):
            orders = []
            for _ in range(r.randint(1, 2)):
                lines = [
                    {
                        "sku": r.choice(["MED-0042", "SUP-1290", "lab-7711", "KIT-12"]),
                        "quantity": r.choice([r.randint(1, 40), 0, -2, "3.5"]),
                        "unit_price": r.choice(["12.50", "1999.999", "0.35", "abc"]),
                    }
                    for _ in range(r.randint(1, 3))
                ]
                orders.append(
                    {
                        "order_no": r.choice([v.order_no(), f"SO{r.randint(10**6, 10**7)}"]),
                        "currency": r.choice(["USD", "EUR", "usd", "CAD"]),
                        "placed_at": f"{v.day()}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}Z",
                        "lines": lines,
                    }
                )
            if kind == 1:
                self.run("POST /api/orders/", lambda: OrderIn.model_validate(orders[0]))
            else:
                self.run("POST /api/orders/bulk/", lambda: ORDER_LIST.validate_python(orders))
        elif kind == 3:
            due = v.day()
            invoice = {
                "invoice_no": r.choice([v.invoice_no(), f"INV{r.randint(1000, 99999)}"]),
                "amount": r.choice([f"{r.randint(1, 9999)}.{r.randint(0, 99):02d}", "-5", "0"]),
                "due_on": r.choice([due.isoformat(), f"{due:%d.%m.%Y}", f"{due:%B} {due.day}"]),
                "po_number": r.choice([None, f"PO-{r.randint(1000, 99999)}", v.uid()]),
            }
            self.run("POST /api/invoices/", lambda: InvoiceIn.model_validate(invoice))
        elif kind == 4:
            params = {
                "page": r.choice(["1", "2", "0", "-1", "next"]),
                "page_size": r.choice(["25", "100", "250"]),
                "sort": r.choice(["created", "-starts_on", "date", "name"]),
                "since": r.choice([v.day().isoformat(), f"{v.day():%m/%d/%Y}", None]),
                "request_id": r.choice([v.uid(), v.uid()[:18], None]),
            }
            self.run("GET /api/events/", lambda: Page.model_validate(params))
        elif kind == 5:
            host = v.private_ip()
            hook = {
                "url": r.choice(
                    [
                        f"https://{host}:{r.randint(1025, 65000)}/hooks/{v.uid()}",
                        f"ftp://{host}/drop",
                        f"{host}:8443/callback",
                        "https://hooks.internal/events?since=" + v.day().isoformat(),
                    ]
                ),
                "timeout_ms": r.choice([r.randint(100, 30000), 60000]),
                "retries": r.randint(0, 8),
            }
            self.run("POST /api/webhooks/", lambda: WebhookIn.model_validate(hook))
        else:
            deploy = {
                "version": r.choice([v.version(), f"v{v.version()}", f"{v.version()}-rc1"]),
                "build": r.choice([v.sha(), v.sha()[:12]]),
                "replicas": r.choice([r.randint(1, 12), 0, 20]),
                "host": r.choice([v.private_ip(), f"{v.private_ip()}:{r.randint(1025, 9000)}"]),
                "port": r.choice([r.randint(1024, 65535), 80, 70000]),
            }
            self.run("POST /api/deploys/", lambda: DeployIn.model_validate(deploy))


def pydantic_rows(seed: int) -> list[dict[str, Any]]:
    r = random.Random(seed)
    people = People(seed + 1)
    handler = _Records()
    log = logging.getLogger("clinic.schemas")
    log.setLevel(logging.DEBUG)
    log.addHandler(handler)
    log.propagate = False
    app = PydanticApp(r, handler)
    try:
        for _ in range(PATIENTS):
            p, contact = people.patient(), people.patient()
            handler.patients = [p]
            app.patient(p, contact)
        handler.patients = []
        for _ in range(BENIGN):
            app.benign()
    finally:
        log.removeHandler(handler)
    texts = []
    for record, patients in handler.records:
        text = record.getMessage()
        template, args = template_and_args(record, text)
        texts.append((text, template, args, patients))
    return _rows("pydantic", texts)


def collect(seed: int) -> list[dict[str, Any]]:
    return pydantic_rows(seed)
