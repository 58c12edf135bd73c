"""The `jsonschema` emitter of `fifth_held.py`: incoming payloads validated by a real
`Draft202012Validator` with a format checker, and the errors logged as an app logs them."""

from __future__ import annotations

import logging
import random
import uuid
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import best_match
from patients import Patient

log = logging.getLogger("clinic.intake")

ADDRESS = {
    "type": "object",
    "properties": {
        "street": {"type": "string", "maxLength": 28},
        "city": {"type": "string", "pattern": "^[A-Za-z .'-]+$"},
        "state": {"enum": ["CA", "IL", "NY", "TX", "WA", "OR", "MA", "FL"]},
        "zip": {"type": "string", "pattern": "^\\d{5}$"},
    },
    "required": ["street", "city", "state", "zip"],
    "additionalProperties": False,
}
INTAKE = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "PatientIntake",
    "type": "object",
    "properties": {
        "first_name": {"type": "string", "minLength": 1, "maxLength": 12},
        "last_name": {"type": "string", "pattern": "^[A-Za-z' -]+$"},
        "dob": {"type": "string", "format": "date"},
        "ssn": {"type": "string", "pattern": "^\\d{3}-\\d{2}-\\d{4}$"},
        "mrn": {"type": "string", "pattern": "^[A-Z]\\d{7}$"},
        "phone": {"type": "string", "pattern": "^\\(\\d{3}\\) \\d{3}-\\d{4}$"},
        "email": {"type": "string", "format": "email"},
        "address": ADDRESS,
    },
    "required": ["first_name", "last_name", "dob", "mrn", "address"],
    "additionalProperties": False,
}
COVERAGE = {
    "type": "object",
    "properties": {
        "member_id": {"type": "string", "pattern": "^[A-Z]{3}\\d{9}$"},
        "mbi": {
            "type": "string",
            "pattern": "^[1-9][A-Z][A-Z0-9]\\d[A-Z][A-Z0-9]\\d[A-Z]{2}\\d{2}$",
        },
        "plan": {"enum": ["PPO", "HMO", "EPO", "MEDICARE"]},
        "subscriber": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "dob": {"type": "string", "format": "date"},
                "relationship": {"enum": ["self", "spouse", "child"]},
            },
            "required": ["name", "dob", "relationship"],
        },
        "account": {"type": "string", "pattern": "^ACCT-\\d{8}$"},
    },
    "required": ["member_id", "plan", "subscriber"],
}
CONTACT = {
    "type": "object",
    "properties": {
        "patient_email": {"type": "string", "format": "email"},
        "sms": {"type": "string", "pattern": "^\\+1\\d{10}$"},
        "ip": {"type": "string", "format": "ipv4"},
        "consent_at": {"type": "string", "format": "date-time"},
    },
    "anyOf": [{"required": ["patient_email"]}, {"required": ["sms"]}],
    "oneOf": [
        {"properties": {"channel": {"const": "sms"}}, "required": ["sms"]},
        {"properties": {"channel": {"const": "email"}}, "required": ["patient_email"]},
    ],
}
PAYMENT = {
    "type": "object",
    "properties": {
        "card": {"type": "string", "pattern": "^\\d{15,16}$"},
        "licence": {"type": "string", "maxLength": 9},
        "amount": {"type": "number", "exclusiveMinimum": 0},
    },
    "required": ["card", "amount"],
}
ORDER = {
    "type": "object",
    "properties": {
        "order_id": {"type": "string", "pattern": "^ORD-\\d{4}-\\d{6}$"},
        "sku": {"type": "string", "pattern": "^[A-Z]{3}-\\d{3}-[A-Z]$"},
        "qty": {"type": "integer", "minimum": 1, "maximum": 500},
        "ship_date": {"type": "string", "format": "date"},
        "warehouse": {"enum": ["W1", "W3", "EAST-2"]},
        "lines": {"type": "array", "maxItems": 3, "items": {"type": "object"}},
    },
    "required": ["order_id", "sku", "qty"],
    "additionalProperties": False,
}
PRODUCT = {
    "type": "object",
    "properties": {
        "ndc": {"type": "string", "pattern": "^\\d{4}-\\d{4}-\\d{2}$"},
        "name": {"type": "string"},
        "price": {"type": "number", "minimum": 0},
        "lot": {"type": "string"},
        "expires": {"type": "string", "format": "date"},
    },
    "required": ["ndc", "name", "price"],
}
SLOT = {
    "type": "object",
    "properties": {
        "slot_id": {"type": "string", "format": "uuid"},
        "start": {"type": "string", "format": "date-time"},
        "minutes": {"enum": [10, 15, 20, 30, 45, 60]},
        "room": {"type": "string", "pattern": "^[A-D]\\d{2}$"},
    },
    "required": ["slot_id", "start", "minutes"],
}
SCHEMAS = {
    "intake": INTAKE,
    "coverage": COVERAGE,
    "contact": CONTACT,
    "payment": PAYMENT,
    "order": ORDER,
    "product": PRODUCT,
    "slot": SLOT,
}
VALIDATORS = {
    name: Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for name, schema in SCHEMAS.items()
}


def _patient_payloads(p: Patient, r: random.Random) -> list[tuple[str, dict[str, Any]]]:
    dob: Any = r.choice(
        [p.dob.isoformat(), p.dob.isoformat(), f"{p.dob:%m/%d/%Y}", int(f"{p.dob:%Y%m%d}")]
    )
    intake: dict[str, Any] = {
        "first_name": p.first_name,
        "last_name": p.last_name,
        "dob": dob,
        "ssn": p.ssn,
        "mrn": p.mrn,
        "phone": p.phone,
        "email": p.email,
        "address": {"street": p.street, "city": p.city, "state": p.state, "zip": p.zip},
    }
    if r.random() < 0.3:
        intake["preferred_name"] = p.first_name
    if r.random() < 0.3:
        del intake[r.choice(["dob", "mrn", "last_name"])]
    if r.random() < 0.2:
        intake["address"]["county"] = p.city
    coverage = {
        "member_id": p.member_id,
        "mbi": p.mbi,
        "plan": r.choice(["PPO", "HMO", "Medicare", "ppo"]),
        "subscriber": {
            "name": p.full_name,
            "dob": r.choice([p.dob.isoformat(), f"{p.dob:%m/%d/%Y}"]),
            "relationship": r.choice(["self", "self", "Self", "other"]),
        },
        "account": p.account,
    }
    contact: dict[str, Any] = {"ip": p.ip, "consent_at": r.choice(["2026-03-01T10:00:00Z", "x"])}
    if r.random() < 0.7:
        contact["sms"] = p.phone
    if r.random() < 0.6:
        contact["patient_email"] = r.choice([p.email, p.email.replace("@", " at ")])
    contact["channel"] = r.choice(["sms", "email", "fax"])
    payment = {"card": p.card, "licence": p.licence, "amount": r.choice([0, 25.5, -10])}
    return [("intake", intake), ("coverage", coverage), ("contact", contact), ("payment", payment)]


def _benign_payloads(r: random.Random) -> list[tuple[str, dict[str, Any]]]:
    kinds = ["GLV", "SYR", "BND", "MSK", "TST", "GAU", "SWB"]
    sku = f"{r.choice(kinds)}-{r.randint(100, 999)}-{r.choice('ABCDK')}"
    order: dict[str, Any] = {
        "order_id": r.choice(
            [f"ORD-2026-{r.randint(1, 999999):06d}", f"PO{r.randint(1000, 99999)}"]
        ),
        "sku": r.choice([sku, sku.lower(), f"{sku}-{r.randint(1, 9)}"]),
        "qty": r.choice([1, 12, 0, -3, 750, "24"]),
        "ship_date": r.choice(["2026-04-17", "2026-13-01", "04/17/2026", "2026-02-30"]),
        "warehouse": r.choice(["W1", "W3", "W9", "EAST-2", "west"]),
    }
    if r.random() < 0.3:
        order["lines"] = [{"n": i} for i in range(r.randint(1, 6))]
    if r.random() < 0.2:
        order["coupon"] = f"SPRING{r.randint(10, 40)}"
    product = {
        "ndc": r.choice(
            [f"{r.randint(1000, 9999)}-{r.randint(1000, 9999)}-{r.randint(10, 99)}", "0409-488-02"]
        ),
        "name": r.choice(["Nitrile gloves M", "Saline 0.9% 500 mL", "Gauze 4x4", "Lancets 30G"]),
        "price": r.choice([12.5, -1, "9.99", 0]),
        "lot": f"L{r.randint(10000, 99999)}",
        "expires": r.choice(["2027-06-30", "2027-06", "06/2027"]),
    }
    slot = {
        "slot_id": r.choice([str(uuid.UUID(int=r.getrandbits(128), version=4)), "slot-17"]),
        "start": r.choice(["2026-05-04T09:30:00Z", "2026-05-04 09:30", "tomorrow 9am"]),
        "minutes": r.choice([15, 30, 25, 90]),
        "room": r.choice(["A12", "B07", "E01", "C1"]),
    }
    return [("order", order), ("product", product), ("slot", slot)]


def _report(kind: str, payload: dict[str, Any], r: random.Random) -> None:
    validator = VALIDATORS[kind]
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.absolute_path))
    if not errors:
        log.info("%s payload accepted", kind)
        return
    style = r.randrange(6)
    if style == 0:
        for error in errors:
            log.warning(
                "%s payload invalid at %s: %s (validator=%s)",
                kind,
                error.json_path,
                error.message,
                error.validator,
            )
    elif style == 1:
        log.warning("%s payload rejected: %s", kind, best_match(errors).message)
    elif style == 2:
        log.error("%s payload rejected:\n%s", kind, best_match(errors))
    elif style == 3:
        try:
            validator.validate(payload)
        except ValidationError:
            log.exception("%s payload failed validation", kind)
    elif style == 4:
        for error in errors:
            log.info(
                "%s: %r failed %r at %s",
                kind,
                error.instance,
                error.validator_value,
                list(error.relative_path),
            )
            for sub in error.context or []:
                log.debug("  %s: %s", list(sub.schema_path), sub.message)
    else:
        log.warning("%s payload has %d errors: %s", kind, len(errors), [e.message for e in errors])


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 21)
    for p in patients:
        with cap.about(p):
            for kind, payload in _patient_payloads(p, r):
                _report(kind, payload, r)
        for _ in range(3):
            for kind, payload in _benign_payloads(r):
                _report(kind, payload, r)
