"""Training emitters of the unseen corpus (see `unseen.py`) that are libraries: `pydantic` and
`sentry.events`.

`pydantic`: pydantic v2 validates patient payloads the way a Django Ninja or FastAPI schema does
(patterns, lengths, types, dates, `EmailStr`, literals and enums, nested models and lists, extra
fields, JSON input, bulk lists through a `TypeAdapter`), and the application logs what pydantic
gives it: the `ValidationError` itself (`log.warning("bad payload: %s", exc)`), its `errors()`
list, its `json()`, one line per error, and the valid model's `repr()` / `model_dump_json()` at
debug. Benign lines: the same for events, orders, invoices, pagination, webhooks and deploys.
Needs pydantic and email-validator (the `bench` extra).

`sentry.events`: what sentry-sdk would send from a Django app (Django's real WSGI handler, fed
requests built in-process; settings in memory, no database) initialised with the Django and
logging integrations, `send_default_pii=True`, `include_local_variables=True` and a transport
that keeps each event instead of sending it (nothing opens a socket). Patients' requests look
up charts, search, register, pay, check eligibility, verify a licence, geocode an address; the
views log (breadcrumbs, and events at ERROR), set the user, contexts, extra and tags, and raise
with patient values in their locals. A row is one piece an ingest shows as text: a breadcrumb,
an exception's value, one frame's `vars`, the `logentry`, `message`, `user`, `contexts`,
`extra`, `tags`, and the request's `url`, `query_string`, `data`, `headers`, `env` (objects as
the SDK serialises them: compact JSON). Breadcrumb times, trace ids and memory addresses are
replaced by seeded values. It runs in a child interpreter, since `sentry_sdk.init` patches
logging and Django for the whole process. Needs sentry-sdk and Django (runtime dependencies).
"""

from __future__ import annotations

import datetime
import enum
import http.server
import ipaddress
import json
import logging
import os
import random
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, Literal

import sentry_sdk
from django.http import JsonResponse
from harvest import HERE, UAS, Normaliser, _row, template_and_args
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
PATIENTS = 640
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


class ChartLookup(BaseModel):
    mrn: _text(r"^MRN-\d{7}$")  # type: ignore[valid-type]
    dob: datetime.date
    last_name: str


class Identifiers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[_text(max_length=12)] = Field(max_length=1)  # type: ignore[valid-type]
    phones: list[_text(r"^\+1\d{10}$")] = Field(default_factory=list, max_length=2)  # type: ignore[valid-type]


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
        kind = r.randrange(10)
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
        elif kind == 8:
            self.search_or_contact(p, contact)
        else:
            self.identifiers(p, contact)

    def identifiers(self, p: Patient, contact: Patient) -> None:
        """Small inputs, so that pydantic shows whole dicts and lists in `input_value`."""
        r = self.r
        if r.random() < 0.5:
            known = {
                "mrn": p.mrn,
                "dob": r.choice([p.dob.isoformat(), _dob_as_typed(r, p.dob)]),
                "last_name": p.last_name,
            }
            lookup = dict(r.sample(sorted(known.items()), r.randint(1, 3)))
            self.run("GET /api/charts/lookup/", lambda: ChartLookup.model_validate(lookup))
            return
        ids: Any = r.sample([p.member_id, p.mbi, p.mrn, p.account, p.licence], r.randint(1, 3))
        body: dict[str, Any] = {"ids": ids[0] if r.random() < 0.2 else ids}
        if r.random() < 0.6:
            body["phones"] = [p.phone]
            if r.random() < 0.5:
                self.handler.patients.append(contact)
                body["phones"].append(contact.phone)
        if r.random() < 0.2:
            body[r.choice(["ssn", "card"])] = r.choice([p.ssn, p.card])
        self.run("PUT /api/patients/identifiers/", lambda: Identifiers.model_validate(body))

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


# --- sentry.events ----------------------------------------------------------------------------
#
# A Django app (settings in memory, no database) answers WSGI requests built in-process and
# handed to Django's real WSGI handler; sentry-sdk is initialised with the Django and logging
# integrations, `send_default_pii=True` and `include_local_variables=True`, and a transport
# that keeps each envelope's event instead of sending it. It runs in a child interpreter:
# `sentry_sdk.init` patches logging and Django for the whole process, and the held-out emitters
# may configure Django themselves.

SENTRY_PATIENTS = 460
SENTRY_BENIGN = 560
_CLOCK = datetime.datetime(2025, 3, 3, 8, 0, 0)


class ChartNotFound(LookupError):
    pass


class PaymentDeclined(Exception):
    pass


class OrderNotFound(LookupError):
    pass


class UpstreamTimeout(Exception):
    pass


def _json_body(request: Any) -> dict[str, Any]:
    return json.loads(request.body or b"{}")


def _digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if len(digits) != 10:
        raise ValueError(f"phone number {phone} is not a US number")
    return digits


def _find_chart(mrn: str, dob: str, last_name: str) -> None:
    key = {"mrn": mrn, "dob": dob, "last_name": last_name}
    candidates = 0
    raise ChartNotFound(f"no chart for MRN {mrn} (dob {dob}, {candidates} candidates for {key})")


def _charge(card_number: str, account: str, amount: Decimal, billing_zip: str) -> None:
    attempt = {"card": card_number, "zip": billing_zip, "amount": str(amount)}  # noqa: F841
    raise PaymentDeclined(f"card declined for account {account}: do_not_honor")


def view_chart(request: Any, mrn: str) -> Any:
    log = logging.getLogger("clinic.views")
    dob = request.GET.get("dob", "")
    last_name = request.GET.get("last_name", "")
    log.info("chart lookup mrn=%s dob=%s", mrn, dob)
    sentry_sdk.set_tag("mrn", mrn)
    sentry_sdk.set_context("lookup", {"mrn": mrn, "dob": dob, "last_name": last_name})
    _find_chart(mrn, dob, last_name)


def view_search(request: Any) -> Any:
    log = logging.getLogger("clinic.search")
    filters = dict(request.GET.items())
    log.info("patient search %s", filters)
    sentry_sdk.set_extra("filters", dict(filters))
    phone = filters.get("phone")
    if phone:
        log.debug("normalising phone %r", phone)
        filters["phone"] = _digits(phone)
    log.warning("search returned no rows for last_name=%s", filters.get("last_name"))
    raise ChartNotFound(f"no patient matches {filters.get('last_name', '')!r}")


def view_register(request: Any) -> Any:
    log = logging.getLogger("clinic.register")
    payload = _json_body(request)
    sentry_sdk.set_user({"email": payload.get("email"), "ip_address": request.META["REMOTE_ADDR"]})
    log.debug("register payload %s", payload)
    chart = {k: payload.get(k) for k in ("first_name", "last_name", "dob", "ssn")}
    sentry_sdk.set_context("chart", chart)
    log.error(
        "patient %s %s already has chart %s",
        payload["first_name"],
        payload["last_name"],
        payload.get("mrn"),
    )
    raise ValueError(f"duplicate SSN {payload.get('ssn')} for {payload['last_name']}")


def view_pay(request: Any) -> Any:
    payload = _json_body(request)
    sentry_sdk.set_extra("payment", {"account": payload["account"], "zip": payload["zip"]})
    logging.getLogger("clinic.billing").info("charging account %s", payload["account"])
    _charge(payload["card"], payload["account"], Decimal(payload["amount"]), payload["zip"])


def view_portal(request: Any, member_id: str) -> Any:
    log = logging.getLogger("clinic.portal")
    user = SESSIONS[request.COOKIES["sessionid"]]
    sentry_sdk.set_user(user)
    sentry_sdk.set_tag("member_id", member_id)
    mbi = request.GET.get("mbi")
    sentry_sdk.set_context("coverage", {"member_id": member_id, "mbi": mbi})
    log.info("eligibility request for member %s mbi=%s", member_id, mbi)
    query = urllib.parse.urlencode({"member_id": member_id, "mbi": mbi, "dob": user["dob"]})
    try:
        with urllib.request.urlopen(f"{_Upstream.url}/v1/eligibility?{query}", timeout=5) as reply:
            reply.read()
    except urllib.error.HTTPError as exc:
        log.error("eligibility check failed for member %s: %s", member_id, exc)
    return JsonResponse({"status": "pending"}, status=202)


def view_identity(request: Any) -> Any:
    payload = _json_body(request)
    licence, dob = payload["licence"], payload["dob"]
    sentry_sdk.set_extra("identity", payload)
    logging.getLogger("clinic.identity").info("verifying licence %s", licence)
    raise ValueError(f"licence {licence} does not match date of birth {dob}")


def view_address(request: Any) -> Any:
    address = dict(request.GET.items())
    logging.getLogger("clinic.geo").debug("geocoding %s", address)
    url = f"{_Upstream.url}/v2/geocode?{request.META['QUERY_STRING']}"
    with urllib.request.urlopen(url, timeout=5) as reply:
        reply.read()
    sentry_sdk.capture_message(
        f"address {address.get('street')}, {address.get('city')} {address.get('zip')} "
        "could not be geocoded",
        level="warning",
    )
    return JsonResponse({"ok": False}, status=422)


def _order_total(order_no: str, lines: int, unit: Decimal) -> Decimal:
    total = unit * lines
    raise OrderNotFound(f"order {order_no} not found (total {total})")


def view_order(request: Any, order_no: str) -> Any:
    log = logging.getLogger("clinic.orders")
    invoice = request.GET.get("invoice")
    sentry_sdk.set_tag("order_no", order_no)
    sentry_sdk.set_context("order", {"order_no": order_no, "invoice": invoice})
    log.info("loading order %s invoice=%s", order_no, invoice)
    query = urllib.parse.urlencode({"order": order_no, "invoice": invoice})
    with urllib.request.urlopen(
        f"{_Upstream.url}/v2/inventory/reserve?{query}", timeout=5
    ) as reply:
        reply.read()
    _order_total(order_no, int(request.GET.get("lines", "1")), Decimal("12.50"))


def view_events(request: Any) -> Any:
    log = logging.getLogger("clinic.events")
    params = dict(request.GET.items())
    key = f"events:{params.get('since')}:list:p{params.get('page', 1)}"
    log.debug("cache miss %s", key)
    sentry_sdk.set_extra("params", params)
    upstream = request.headers.get("X-Upstream", "10.0.0.5:8443")
    log.warning("upstream %s slow: %sms", upstream, request.headers.get("X-Took", "1200"))
    raise UpstreamTimeout(f"GET https://{upstream}/v2/events?since={params.get('since')} timed out")


def view_deploy(request: Any) -> Any:
    payload = _json_body(request)
    sentry_sdk.set_tag("release", payload.get("version"))
    sentry_sdk.set_context("deploy", payload)
    logging.getLogger("clinic.deploy").error(
        "deploy %s (%s) failed on %s: %s replicas ready",
        payload.get("version"),
        payload.get("build"),
        payload.get("host"),
        payload.get("ready"),
    )
    return JsonResponse({"ok": False}, status=500)


def view_invoice(request: Any, invoice_no: str) -> Any:
    sentry_sdk.set_user(
        {"id": request.headers.get("X-Staff-Id"), "ip_address": request.META["REMOTE_ADDR"]}
    )
    logging.getLogger("clinic.invoices").info("rendering %s", invoice_no)
    due = request.GET.get("due")
    raise ValueError(f"invoice {invoice_no} due {due} has no lines")


class _Capture:
    events: list[dict[str, Any]] = []


# The portal's session store: session id -> the user the view gives Sentry.
SESSIONS: dict[str, dict[str, str]] = {}


class _Upstream(http.server.BaseHTTPRequestHandler):
    """The payer, geocoder and inventory APIs the views call, on a free loopback port."""

    url = ""
    STATUS = {"/v1/eligibility": 504, "/v2/geocode": 200, "/v2/inventory/reserve": 200}

    def do_GET(self) -> None:
        status = self.STATUS.get(self.path.split("?")[0], 404)
        body = b'{"matches": 0}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _transport() -> Any:
    from sentry_sdk.transport import Transport

    class CapturingTransport(Transport):
        """Keeps the events; nothing is sent anywhere."""

        def capture_envelope(self, envelope: Any) -> None:
            for item in envelope.items:
                if item.type == "event":
                    _Capture.events.append(item.payload.json)

    return CapturingTransport


def _setup_sentry(r: random.Random) -> Any:
    import django
    from django.conf import settings
    from django.urls import path
    from sentry_sdk.integrations.dedupe import DedupeIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration
    from sentry_sdk.integrations.stdlib import StdlibIntegration

    class Urls:
        urlpatterns = [
            path("api/patients/search/", view_search),
            path("api/patients/", view_register),
            path("api/patients/<str:mrn>/chart/", view_chart),
            path("api/payments/", view_pay),
            path("api/portal/members/<str:member_id>/eligibility/", view_portal),
            path("api/identity/verify/", view_identity),
            path("api/geo/address/", view_address),
            path("api/orders/<str:order_no>/", view_order),
            path("api/events/", view_events),
            path("api/deploys/", view_deploy),
            path("api/invoices/<str:invoice_no>/", view_invoice),
        ]

    settings.configure(
        DEBUG=False,
        SECRET_KEY="harvest-only",
        ROOT_URLCONF=Urls,
        ALLOWED_HOSTS=["*"],
        INSTALLED_APPS=[],
        DATABASES={},
        MIDDLEWARE=[],
        LOGGING_CONFIG=None,
        USE_TZ=True,
    )
    django.setup()
    logging.getLogger().addHandler(logging.NullHandler())
    logging.getLogger("clinic").setLevel(logging.DEBUG)
    sentry_sdk.init(
        dsn="http://public@127.0.0.1:9/1",
        transport=_transport(),
        send_default_pii=True,
        include_local_variables=True,
        max_breadcrumbs=r.choice([10, 30, 50]),
        default_integrations=False,
        integrations=[
            LoggingIntegration(level=logging.DEBUG, event_level=logging.ERROR),
            DjangoIntegration(),
            DedupeIntegration(),
            StdlibIntegration(),
        ],
        release="clinic@4.12.0",
        environment="staging",
        server_name="web-1",
    )
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


class SentryApp:
    def __init__(self, r: random.Random, app: Any) -> None:
        self.r = r
        self.v = Values(r)
        self.app = app
        self.clock = _CLOCK

    def call(
        self,
        method: str,
        path: str,
        query: str = "",
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        remote: str = "10.0.0.12",
    ) -> None:
        import io
        from wsgiref.util import setup_testing_defaults

        data = json.dumps(body, ensure_ascii=self.r.random() < 0.5).encode() if body else b""
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "REMOTE_ADDR": remote,
            "HTTP_HOST": self.r.choice(["clinic.example.org", "api.clinic.example.org"]),
            "HTTP_USER_AGENT": self.r.choice(UAS),
            "wsgi.input": io.BytesIO(data),
            "CONTENT_LENGTH": str(len(data)),
            "CONTENT_TYPE": "application/json" if body else "",
        }
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        setup_testing_defaults(environ)
        for _ in self.app(environ, lambda status, headers, exc_info=None: None):
            pass

    def q(self, pairs: list[tuple[str, str]]) -> str:
        if self.r.random() < 0.3:
            return urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote)
        return urllib.parse.urlencode(pairs)

    def patient(self, p: Patient) -> None:
        r = self.r
        kind = r.randrange(8)
        xff = {"X-Forwarded-For": f"{p.ip}, {self.v.private_ip()}"} if r.random() < 0.5 else {}
        if kind == 0:
            dob = r.choice([p.dob.isoformat(), _dob_as_typed(r, p.dob)])
            query = self.q([("dob", dob), ("last_name", p.last_name)])
            mrn = urllib.parse.quote(p.mrn, safe="")
            self.call("GET", f"/api/patients/{mrn}/chart/", query, headers=xff, remote=p.ip)
        elif kind == 1:
            pairs = [("last_name", p.last_name)]
            for key, value in (
                ("first_name", p.first_name),
                ("phone", p.phone),
                ("email", p.email),
                ("zip", p.zip),
                ("dob", p.dob.isoformat()),
            ):
                if r.random() < 0.45:
                    pairs.append((key, value))
            r.shuffle(pairs)
            self.call("GET", "/api/patients/search/", self.q(pairs), headers=xff, remote=p.ip)
        elif kind == 2:
            body = {
                "first_name": p.first_name,
                "last_name": p.last_name,
                "dob": p.dob.isoformat(),
                "ssn": p.ssn,
                "email": p.email,
                "phone": p.phone,
                "mrn": p.mrn,
                "address": {"street": p.street, "city": p.city, "zip": p.zip},
            }
            self.call("POST", "/api/patients/", body=body, headers=xff, remote=p.ip)
        elif kind == 3:
            body = {
                "card": p.card,
                "account": p.account,
                "zip": p.zip,
                "amount": f"{r.randint(5, 400)}.{r.randint(0, 99):02d}",
            }
            self.call("POST", "/api/payments/", body=body, headers=xff, remote=p.ip)
        elif kind == 4:
            session = f"{r.getrandbits(128):032x}"
            SESSIONS[session] = {
                "id": str(r.randint(1000, 99999)),
                "email": p.email,
                "username": r.choice([p.email, f"pt{r.randint(10000, 99999)}"]),
                "ip_address": p.ip,
                "dob": p.dob.isoformat(),
            }
            headers = {"Cookie": f"sessionid={session}"}
            query = self.q([("mbi", p.mbi)])
            member = urllib.parse.quote(p.member_id, safe="")
            self.call("GET", f"/api/portal/members/{member}/eligibility/", query, headers=headers)
        elif kind == 5:
            body = {"licence": p.licence, "dob": p.dob.isoformat(), "state": p.state}
            self.call("POST", "/api/identity/verify/", body=body, headers=xff, remote=p.ip)
        else:
            pairs = [("street", p.street), ("city", p.city), ("zip", p.zip)]
            self.call("GET", "/api/geo/address/", self.q(pairs), headers=xff, remote=p.ip)

    def benign(self) -> None:
        r, v = self.r, self.v
        kind = r.randrange(5)
        remote = v.private_ip()
        if kind == 0:
            query = self.q([("invoice", v.invoice_no()), ("lines", str(r.randint(1, 40)))])
            self.call("GET", f"/api/orders/{v.order_no()}/", query, remote=remote)
        elif kind == 1:
            pairs = [("since", v.day().isoformat()), ("page", str(r.randint(1, 30)))]
            if r.random() < 0.5:
                pairs.append(("request_id", v.uid()))
            headers = {
                "X-Upstream": f"{v.private_ip()}:{r.choice([443, 8443, 9200])}",
                "X-Took": str(r.randint(800, 30000)),
            }
            self.call("GET", "/api/events/", self.q(pairs), headers=headers, remote=remote)
        elif kind == 2:
            body = {
                "version": v.version(),
                "build": v.sha()[: r.choice([7, 12, 40])],
                "host": v.private_ip(),
                "ready": f"{r.randint(0, 3)}/{r.randint(4, 12)}",
            }
            self.call("POST", "/api/deploys/", body=body, remote=remote)
        else:
            headers = {"X-Staff-Id": str(r.randint(1, 400))}
            due = v.day()
            query = self.q([("due", r.choice([due.isoformat(), f"{due:%m/%d/%Y}"]))])
            self.call("GET", f"/api/invoices/{v.invoice_no()}/", query, headers=headers)

    # what an ingest shows of each event, one piece a row -------------------------------------

    def tick(self) -> str:
        self.clock += datetime.timedelta(milliseconds=self.r.randint(3, 90_000))
        return self.clock.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def pieces(self, event: dict[str, Any]) -> list[str]:
        from sentry_sdk.utils import json_dumps

        def dumps(value: Any) -> str:
            return json_dumps(value).decode("utf-8")

        out: list[str] = []
        for crumb in event.get("breadcrumbs", {}).get("values", []):
            out.append(dumps({**crumb, "timestamp": self.tick()}))
        for exc in event.get("exception", {}).get("values", []):
            out.append(exc["value"])
            for frame in exc.get("stacktrace", {}).get("frames", []):
                if frame.get("vars") and (frame.get("in_app") or self.r.random() < 0.15):
                    out.append(dumps(frame["vars"]))
        if "logentry" in event:
            out.append(event["logentry"]["formatted"])
            out.append(dumps(event["logentry"]))
        if "message" in event:
            out.append(event["message"])
        # Every event carries a trace context, the client's address and the WSGI environ:
        # kept now and then, so that they do not crowd out the rest.
        contexts = dict(event.get("contexts", {}))
        trace = contexts.pop("trace", None)
        if trace and (not contexts or self.r.random() < 0.1):
            contexts["trace"] = {
                **trace,
                "trace_id": f"{self.r.getrandbits(128):032x}",
                "span_id": f"{self.r.getrandbits(64):016x}",
            }
        user = event.get("user") or {}
        if list(user) == ["ip_address"] and self.r.random() < 0.7:
            user = {}
        if list(contexts) == ["trace"] and self.r.random() < 0.85:
            contexts = {}
        for value in (user, contexts, event.get("extra"), event.get("tags")):
            if value:
                out.append(dumps(value))
        request = event.get("request", {})
        for key in ("url", "query_string"):
            if request.get(key):
                out.append(request[key])
        for key, share in (("data", 1.0), ("headers", 0.5), ("env", 0.15)):
            if request.get(key) and self.r.random() < share:
                out.append(dumps(request[key]))
        return out


def _sentry_child(seed: int) -> None:
    """Runs in a child interpreter: prints the labelled rows as JSON."""
    r = random.Random(seed)
    people = People(seed + 1)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    _Upstream.url = f"http://127.0.0.1:{port}"
    try:
        _sentry_requests(r, people, Normaliser(seed + 2), port)
    finally:
        server.shutdown()
        server.server_close()


def _sentry_requests(r: random.Random, people: People, norm: Normaliser, port: int) -> None:
    sentry = SentryApp(r, _setup_sentry(r))
    texts: list[tuple[str, str, Any, list[Patient]]] = []

    def drain(patients: list[Patient]) -> None:
        for event in _Capture.events:
            for piece in sentry.pieces(event):
                text = norm.text(piece.replace(f"127.0.0.1:{port}", "127.0.0.1:8089"))
                texts.append((text, "%s", [text], patients))
        _Capture.events.clear()

    for _ in range(SENTRY_PATIENTS):
        p = people.patient()
        sentry.patient(p)
        drain([p])
    for _ in range(SENTRY_BENIGN):
        sentry.benign()
        drain([])
    json.dump(_rows("sentry.events", texts), sys.stdout, ensure_ascii=False)


def sentry_rows(seed: int) -> list[dict[str, Any]]:
    env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONPATH": os.pathsep.join(sys.path)}
    code = "import sys, unseen_train_libs as m; m._sentry_child(int(sys.argv[1]))"
    done = subprocess.run(
        [sys.executable, "-c", code, str(seed)],
        env=env,
        cwd=str(HERE),
        capture_output=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"sentry harvest failed:\n{done.stderr.decode()[-3000:]}")
    return json.loads(done.stdout)


def collect(seed: int) -> list[dict[str, Any]]:
    return [*pydantic_rows(seed), *sentry_rows(seed + 10)]
