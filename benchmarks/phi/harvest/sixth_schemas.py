"""The `marshmallow` emitter of `sixth_held.py`: intake, coverage and contact payloads loaded by
real marshmallow schemas whose validators quote the input, and what an app logs about them."""

from __future__ import annotations

import datetime
import json
import logging
import random
import uuid
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from patients import Patient

log = logging.getLogger("clinic.schemas")

STATES = ("CA", "IL", "NY", "TX", "WA", "OR", "MA", "FL", "OH", "MI")
PLANS = ("PPO", "HMO", "EPO", "MEDICARE")
WAREHOUSES = ("EAST-1", "EAST-2", "WEST-4", "CENTRAL")


def _re(pattern: str, error: str) -> validate.Regexp:
    return validate.Regexp(pattern, error=error)


class AddressSchema(Schema):
    street = fields.Str(
        required=True,
        validate=validate.Length(max=22, error="street {input!r} is longer than {max} characters"),
    )
    city = fields.Str(
        required=True, validate=_re(r"^[A-Za-z .'-]+$", "city {input!r} has characters outside A-Z")
    )
    state = fields.Str(
        validate=validate.OneOf(STATES, error="state {input} is not one of {choices}")
    )
    zip = fields.Str(required=True, validate=_re(r"^\d{5}$", "ZIP {input} must be five digits"))


class IntakeSchema(Schema):
    first_name = fields.Str(
        required=True,
        validate=validate.Length(max=9, error="first name {input!r} is longer than {max}"),
    )
    last_name = fields.Str(
        required=True,
        validate=_re(r"^[A-Za-z' -]+$", "last name {input!r} has characters outside A-Z"),
    )
    dob = fields.Date(
        required=True, error_messages={"invalid": "date of birth {input!r} is not an ISO date"}
    )
    ssn = fields.Str(validate=_re(r"^\d{3}-\d{2}-\d{4}$", "SSN {input} must be NNN-NN-NNNN"))
    mrn = fields.Str(
        required=True,
        validate=_re(r"^(CLN\d{8}|H-\d{7})$", "MRN {input!r} does not match {regex}"),
    )
    phone = fields.Str(
        validate=_re(r"^\(\d{3}\) \d{3}-\d{4}$", "phone {input!r} is not (NNN) NNN-NNNN")
    )
    email = fields.Email(error_messages={"invalid": "e-mail {input!r} is not a valid address"})
    address = fields.Nested(AddressSchema, required=True)


class CoverageSchema(Schema):
    member_id = fields.Str(
        required=True, validate=_re(r"^M\d{10}$", "member id {input} is not M + 10 digits")
    )
    mbi = fields.Str(validate=validate.Length(equal=11, error="MBI {input} must be {equal} long"))
    plan = fields.Str(required=True, validate=validate.OneOf(PLANS, error="plan {input!r} unknown"))
    account = fields.Str(validate=_re(r"^GUAR-\d{7}$", "guarantor account {input} malformed"))
    subscriber_dob = fields.Date(error_messages={"invalid": "subscriber dob {input!r} is no date"})
    licence = fields.Str(validate=validate.Length(max=9, error="licence {input} longer than {max}"))

    @validates_schema
    def plan_needs_mbi(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("plan") == "MEDICARE" and not data.get("mbi"):
            member = data.get("member_id")
            raise ValidationError(f"Medicare coverage for member {member} needs an MBI", "mbi")


class ContactSchema(Schema):
    phone = fields.Str(required=True)
    email = fields.Email(error_messages={"invalid": "contact e-mail {input!r} rejected"})
    ip = fields.IPv4(error_messages={"invalid_ip": "consent IP is not an IPv4 address"})
    card = fields.Str(validate=_re(r"^\d{15,16}$", "card {input} must be 15 or 16 digits"))
    channel = fields.Str(validate=validate.OneOf(["sms", "email", "post"]))


class OrderSchema(Schema):
    order_id = fields.Str(
        required=True, validate=_re(r"^ORD-\d{4}-\d{6}$", "order id {input} malformed")
    )
    sku = fields.Str(required=True, validate=_re(r"^[A-H]\d{3}-\d{2}$", "sku {input!r} unknown"))
    qty = fields.Int(
        required=True,
        validate=validate.Range(min=1, max=500, error="qty {input} outside {min}..{max}"),
    )
    ship_date = fields.Date(error_messages={"invalid": "ship date {input!r} is not an ISO date"})
    warehouse = fields.Str(
        validate=validate.OneOf(WAREHOUSES, error="warehouse {input} is not one of {choices}")
    )


class ProductSchema(Schema):
    ndc = fields.Str(required=True, validate=_re(r"^\d{4}-\d{4}-\d{2}$", "NDC {input} malformed"))
    name = fields.Str(
        required=True, validate=validate.Length(max=20, error="name {input!r} too long")
    )
    price = fields.Decimal(
        as_string=True, validate=validate.Range(min=0, error="price {input} negative")
    )
    expires = fields.Date()


class SlotSchema(Schema):
    slot_id = fields.UUID(required=True)
    start = fields.DateTime(required=True)
    minutes = fields.Int(
        validate=validate.OneOf([15, 20, 30, 45, 60], error="{input} minutes is no slot length")
    )
    room = fields.Str(validate=_re(r"^[A-D]\d{2}$", "room {input!r} unknown"))


INTAKE, COVERAGE, CONTACT = IntakeSchema(), CoverageSchema(), ContactSchema()
ORDER, PRODUCT, SLOT = OrderSchema(), ProductSchema(), SlotSchema()


def _dob(p: Patient, r: random.Random) -> str:
    d = p.dob
    return r.choice(
        [
            d.isoformat(),
            d.isoformat(),
            f"{d.month:02d}/{d.day:02d}/{d.year}",
            f"{d:%B} {d.day}, {d.year}",
            f"{d.year}{d.month:02d}{d.day:02d}",
        ]
    )


def _intake(p: Patient, r: random.Random) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "first_name": p.first_name,
        "last_name": p.last_name,
        "dob": _dob(p, r),
        "mrn": p.mrn,
        "address": {"street": p.street, "city": p.city, "state": p.state, "zip": p.zip},
    }
    for key, value in (("ssn", p.ssn), ("phone", p.phone), ("email", p.email)):
        if r.random() < 0.75:
            payload[key] = value
    roll = r.random()
    if roll < 0.15:
        payload["email"] = p.phone  # typed in the wrong field
    elif roll < 0.25:
        payload["phone"] = p.email
    elif roll < 0.35:
        payload["address"]["zip"] = p.phone
    elif roll < 0.45:
        payload["notes"] = f"{p.first_name} prefers mornings"
    return payload


def _coverage(p: Patient, r: random.Random) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "member_id": p.member_id,
        "plan": r.choice([*PLANS, "PPO-GOLD"]),
        "account": p.account,
        "subscriber_dob": _dob(p, r),
        "licence": p.licence,
    }
    if r.random() < 0.6:
        payload["mbi"] = p.mbi
    if r.random() < 0.2:
        payload["member_id"] = p.mrn
    return payload


def _contact(p: Patient, r: random.Random) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "phone": p.phone,
        "email": p.email if r.random() < 0.7 else p.full_name,
        "ip": p.ip if r.random() < 0.7 else p.zip,
        "channel": r.choice(["sms", "email", "post", "fax"]),
    }
    if r.random() < 0.5:
        payload["card"] = p.card
    return payload


def _load(schema: Schema, payload: Any, what: str, ref: str, r: random.Random, **kw: Any) -> None:
    try:
        result = schema.load(payload, **kw)
    except ValidationError as err:
        style = r.randint(0, 5)
        if style == 0:
            log.warning("%s %s rejected: %s", what, ref, err.messages)
        elif style == 1:
            shown = json.dumps(err.messages, indent=2, ensure_ascii=False)
            log.warning("%s %s invalid:\n%s", what, ref, shown)
        elif style == 2:
            log.exception("%s %s failed validation", what, ref)
        elif style == 3:
            log.error(
                "%s %s errors=%s valid=%s", what, ref, err.normalized_messages(), err.valid_data
            )
        else:
            log.warning("%s %s: %s", what, ref, err)
        if r.random() < 0.5:
            log.debug("%s %s kept fields: %r", what, ref, err.valid_data)
        if r.random() < 0.3:
            log.debug("%s %s raw payload: %s", what, ref, err.data)
        return
    log.info("%s %s loaded: %s", what, ref, result)
    if r.random() < 0.5:
        log.debug("%s %s echo %s", what, ref, schema.dumps(result, many=kw.get("many", False)))


def _patient(p: Patient, r: random.Random, cap: Any, n: int) -> None:
    with cap.about(p):
        _load(INTAKE, _intake(p, r), "intake", f"#{n}", r)
        _load(INTAKE, _intake(p, r), "intake", f"#{n}b", r, partial=True)
        _load(COVERAGE, _coverage(p, r), "coverage", f"#{n}", r)
        _load(CONTACT, _contact(p, r), "contact", f"#{n}", r)
        if r.random() < 0.5:
            try:
                log.info("intake json loaded: %s", INTAKE.loads(json.dumps(_intake(p, r))))
            except ValidationError as err:
                log.warning("intake json #%s: %s", n, err.messages)


def _batch(batch: list[Patient], r: random.Random, cap: Any, n: int) -> None:
    with cap.about(*batch):
        coverage = [_coverage(p, r) for p in batch]
        _load(COVERAGE, coverage, "coverage batch", f"B{n}", r, many=True)
        _load(CONTACT, [_contact(p, r) for p in batch], "contact batch", f"B{n}", r, many=True)


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 1, 1) + datetime.timedelta(days=r.randint(0, 360))


def _benign(r: random.Random, n: int) -> None:
    day = _day(r)
    order = {
        "order_id": r.choice(
            [f"ORD-2026-{r.randint(1000, 999999):06d}", f"ORD-{r.randint(100, 99999)}"]
        ),
        "sku": r.choice(
            [
                f"{r.choice('ABCDEFGH')}{r.randint(100, 999)}-{r.randint(10, 99)}",
                f"Z{r.randint(1, 99)}",
            ]
        ),
        "qty": r.choice([r.randint(1, 500), r.randint(501, 2000), 0]),
        "ship_date": r.choice([day.isoformat(), f"{day.month:02d}/{day.day:02d}/{day.year}"]),
        "warehouse": r.choice([*WAREHOUSES, "NORTH-9"]),
    }
    _load(ORDER, order, "order", f"O{n}", r)
    ndc = f"{r.randint(1000, 9999)}-{r.randint(1000, 9999)}-{r.randint(10, 99)}"
    product = {
        "ndc": r.choice([ndc, f"{r.randint(10**9, 10**10)}"]),
        "name": r.choice(
            ["Saline 0.9% 500 mL", "Nitrile gloves M", "Sterile gauze pad 4x4 in (200)", "Syringe"]
        ),
        "price": r.choice([f"{r.uniform(1, 90):.2f}", "-1.00"]),
        "expires": _day(r).isoformat(),
    }
    _load(PRODUCT, product, "product", f"P{n}", r)
    start = datetime.datetime(2026, 3, 2, 8) + datetime.timedelta(minutes=15 * r.randint(0, 3000))
    slot = {
        "slot_id": r.choice(
            [str(uuid.UUID(int=r.getrandbits(128), version=4)), f"slot-{r.randint(1, 999)}"]
        ),
        "start": r.choice([start.isoformat(), start.strftime("%d.%m.%Y %H:%M")]),
        "minutes": r.choice([15, 20, 30, 45, 60, 25, 90]),
        "room": r.choice(["A01", "B11", "C07", "E12", "TELE"]),
    }
    _load(SLOT, slot, "slot", f"S{n}", r)
    if r.random() < 0.3:
        bad = {**order, "qty": -r.randint(1, 9)}
        _load(ORDER, [order, bad], "order batch", f"OB{n}", r, many=True)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 71)
    for n, p in enumerate(patients, 1):
        _patient(p, r, cap, n)
    order = list(patients)
    r.shuffle(order)
    for n in range(0, len(order), 3):
        _batch(order[n : n + 3], r, cap, n // 3 + 1)
    for n in range(1, 420):
        _benign(r, n)
