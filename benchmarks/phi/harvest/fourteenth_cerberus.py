"""The `cerberus` emitter of `fourteenth_held.py`: payloads coming into the app (the portal's
self-registration, the front desk's intake, a partner's coverage feed, card-on-file forms,
contact updates, CSV rows of a bulk import) checked and normalized with Cerberus `Validator`s,
as an app logs what Cerberus says: `errors` (the whole dict, or one field's list), the
`ValidationError`s of `_errors` and `document_error_tree` (their reprs carry the schema path,
the constraint and the value), coercion failures (`field 'dob' cannot be coerced: ...`),
`unallowed value ...`, the `normalized()` and `validated()` documents, and the `DocumentError`
of a row that is not a mapping; `SchemaError`s of a schema edited wrong. Orders, stock counts,
rooms and device payloads for the benign lines. Memory addresses in the reprs are replaced by a
fixed one."""

from __future__ import annotations

import datetime
import logging
import random
from typing import Any

from cerberus import DocumentError, SchemaError, Validator
from patients import Patient

log = logging.getLogger("clinic.intake")
STATES = ["AL", "AZ", "CA", "CO", "FL", "GA", "IL", "MA", "MI", "NJ", "NY", "OH", "PA", "TX"]


def _date(value: Any) -> Any:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _luhn(value: str) -> bool:
    digits = [int(c) for c in value if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


class ClinicValidator(Validator):
    def _check_with_luhn(self, field: str, value: str) -> None:
        if not _luhn(value) or len([c for c in value if c.isdigit()]) < 13:
            self._error(field, "card number fails the Luhn check")


ADDRESS = {
    "street": {"type": "string", "required": True, "maxlength": 28},
    "city": {"type": "string", "required": True, "regex": r"[A-Za-z .'-]{2,22}"},
    "state": {"type": "string", "allowed": STATES},
    "zip": {"type": "string", "regex": r"\d{5}"},
}
INTAKE = {
    "mrn": {
        "type": "string",
        "required": True,
        "regex": r"[A-Z]{2}\d{7}|CL\.\d{6}|H\d{4}[A-Z]\d{3}",
    },
    "given": {"type": "string", "required": True, "maxlength": 8},
    "family": {"type": "string", "required": True, "maxlength": 10},
    "dob": {"type": "date", "coerce": _date, "min": datetime.date(1920, 1, 1)},
    "sex": {"type": "string", "allowed": ["F", "M", "X", "U"]},
    "ssn": {"type": "string", "regex": r"\d{3}-\d{2}-\d{4}", "nullable": True},
    "phone": {"type": "string", "regex": r"\(\d{3}\) \d{3}-\d{4}|\d{3}-\d{3}-\d{4}"},
    "email": {"type": "string", "regex": r"[^@ ]+@[^@ ]+\.(com|org|net)"},
    "address": {"type": "dict", "schema": ADDRESS},
}
COVERAGE = {
    "member_id": {"type": "string", "required": True, "regex": r"[A-Z]{3}-\d{8}|MBR\.\d{3}\.\d{6}"},
    "mbi": {"type": "string", "regex": r"\d[A-Z][A-Z0-9]\d[A-Z][A-Z0-9]\d[A-Z]{2}\d{2}"},
    "subscriber": {"type": "string", "required": True},
    "relationship": {"type": "string", "allowed": ["self", "spouse", "child", "other"]},
    "dob": {"type": "date", "coerce": _date},
}
CARD = {
    "account": {"type": "string", "required": True, "regex": r"A/\d{7}|GT-\d{3}-\d{4}-[A-Z]"},
    "card": {"type": "string", "check_with": "luhn", "maxlength": 16},
    "holder": {"type": "string", "required": True},
    "ip": {"type": "string", "regex": r"(10|172|192)\.[\d.]+"},
}
IDENTITY = {
    "mrn": {"type": "string", "required": True},
    "licence": {"type": "string", "regex": r"[A-Z]\d{8}|[A-Z]{2}\d{6}", "excludes": "ssn"},
    "ssn": {"type": "string", "regex": r"\d{9}"},
}


def _report(v: Validator, doc: Any, r: random.Random, what: str) -> None:
    how = r.randrange(6)
    if how == 0:
        log.warning("%s rejected: %s", what, v.errors)
    elif how == 1:
        for field, messages in sorted(v.errors.items()):
            log.info("%s: %s %s", what, field, messages)
    elif how == 2:
        for error in v._errors:
            log.debug("%s error: %r", what, error)
    elif how == 3:
        field = sorted(v.errors)[0]
        node = v.document_error_tree[field]
        log.warning("%s field %s: %s", what, field, node.errors if node else None)
    elif how == 4:
        log.error("%s invalid: %s (document %s)", what, v.errors, doc)
    else:
        log.warning("%s invalid document %r: %s", what, doc, sorted(v.errors))


def _check(schema: dict[str, Any], doc: Any, r: random.Random, what: str) -> None:
    v = ClinicValidator(schema, allow_unknown=r.random() < 0.3)
    try:
        ok = v.validate(doc)
    except DocumentError as exc:
        log.error("%s: %s", what, exc)
        return
    if ok:
        if r.random() < 0.5:
            log.info("%s accepted: %s", what, v.document)
        else:
            log.debug("%s ok", what)
    else:
        _report(v, doc, r, what)


def _phone(p: Patient, r: random.Random) -> str:
    return r.choice([p.phone, p.phone])


def _patient(p: Patient, r: random.Random) -> None:
    kind = r.randrange(9)
    born: Any = r.choice([p.dob.isoformat(), p.dob.isoformat(), f"{p.dob:%m/%d/%Y}", p.dob])
    if kind in (0, 1, 2):
        doc: dict[str, Any] = {
            "mrn": p.mrn,
            "given": p.first_name,
            "family": p.last_name,
            "dob": born,
            "sex": r.choice(["F", "M", "female", "U"]),
        }
        if r.random() < 0.5:
            doc["ssn"] = p.ssn
        if r.random() < 0.5:
            doc["phone"] = _phone(p, r)
        if r.random() < 0.5:
            doc["email"] = p.email
        if r.random() < 0.6:
            state = r.choice([p.state, p.state, p.city])
            doc["address"] = {"street": p.street, "city": p.city, "state": state, "zip": p.zip}
        if r.random() < 0.15:
            doc["dob"] = None
        _check(INTAKE, doc, r, r.choice(["intake", "self-registration", "front desk form"]))
    elif kind == 3:
        doc = {
            "member_id": p.member_id,
            "mbi": p.mbi,
            "subscriber": f"{p.last_name}, {p.first_name}",
            "relationship": r.choice(["self", "self", "Self", "dependent"]),
            "dob": born,
        }
        _check(COVERAGE, doc, r, "coverage feed")
    elif kind == 4:
        doc = {
            "account": p.account,
            "card": p.card,
            "holder": f"{p.first_name} {p.last_name}",
            "ip": p.ip,
        }
        _check(CARD, doc, r, "card on file")
    elif kind == 5:
        doc = {"mrn": p.mrn, "licence": p.licence}
        if r.random() < 0.4:
            doc["ssn"] = p.ssn
        _check(IDENTITY, doc, r, "identity check")
    elif kind == 6:
        row = ",".join([p.mrn, p.last_name, p.first_name, p.dob.isoformat(), p.zip])
        _check(INTAKE, row, r, "bulk import row")
    elif kind == 7:
        v = ClinicValidator({"dob": INTAKE["dob"], "mrn": INTAKE["mrn"], "email": INTAKE["email"]})
        out = v.normalized({"dob": born, "mrn": p.mrn, "email": p.email})
        if out is None:
            log.warning("could not normalize: %s", v.errors)
        else:
            log.debug("normalized %s", out)
    else:
        v = ClinicValidator(INTAKE)
        doc = {
            "mrn": p.mrn,
            "given": p.first_name,
            "family": p.last_name,
            "dob": born,
            "address": {"street": p.street, "city": p.city, "zip": p.zip},
        }
        out = v.validated(doc, update=True)
        if out is None:
            log.info("contact update for %s not applied: %s", p.mrn, v.errors)
        else:
            log.info("contact update: %s", out)


ORDER = {
    "order_no": {"type": "string", "regex": r"PO-\d{4}-\d{5}", "required": True},
    "sku": {"type": "string", "regex": r"[A-Z]{3}-\d{4}"},
    "qty": {"type": "integer", "min": 1, "max": 500},
    "status": {"type": "string", "allowed": ["open", "shipped", "received", "cancelled"]},
    "due": {"type": "date", "coerce": _date},
}
STOCK = {
    "ndc": {"type": "string", "regex": r"\d{4,5}-\d{3,4}-\d{2}"},
    "on_hand": {"type": "integer", "min": 0},
    "location": {"type": "string", "allowed": ["pharmacy", "ward-3", "ward-5", "clinic-b"]},
}
DEVICE = {
    "serial": {"type": "string", "regex": r"(INF|ECG|SPO2)-\d{6}"},
    "firmware": {"type": "string", "regex": r"\d+\.\d+\.\d+"},
    "room": {"type": "integer", "min": 100, "max": 499},
    "last_seen": {"type": "datetime"},
}


def _benign(n: int, r: random.Random) -> None:
    kind = r.randrange(5)
    day = datetime.date(2026, 5, 4) + datetime.timedelta(days=r.randint(-60, 90))
    if kind == 0:
        doc = {
            "order_no": f"PO-{r.randint(2025, 2026)}-{r.randint(1, 99999):05d}",
            "sku": r.choice(["GLV-1002", "SYR-0310", "gauze-4x4", "CAT-2201"]),
            "qty": r.choice([r.randint(1, 300), 0, 900]),
            "status": r.choice(["open", "shipped", "backordered"]),
            "due": r.choice([day.isoformat(), f"{day:%d.%m.%Y}"]),
        }
        _check(ORDER, doc, r, "supply order")
    elif kind == 1:
        doc = {
            "ndc": f"{r.randint(1000, 99999)}-{r.randint(100, 9999)}-{r.randint(10, 99)}",
            "on_hand": r.randint(-5, 900),
            "location": r.choice(["pharmacy", "ward-3", "er"]),
        }
        _check(STOCK, doc, r, "stock count")
    elif kind == 2:
        doc = {
            "serial": f"{r.choice(['INF', 'ECG', 'PUMP'])}-{r.randint(100000, 999999)}",
            "firmware": r.choice(["2.4.1", "3.0", "1.12.7"]),
            "room": r.randint(50, 520),
            "last_seen": datetime.datetime(2026, 5, 4, r.randint(0, 23), r.randint(0, 59)),
        }
        _check(DEVICE, doc, r, "device heartbeat")
    elif kind == 3:
        try:
            ClinicValidator(
                {"qty": {"type": r.choice(["integr", "number"]), "min": r.choice([1, "one"])}}
            )
        except SchemaError as exc:
            log.error("order schema not loaded: %s", exc)
    else:
        _check(ORDER, f"PO-2026-{n:05d};GLV-1002;{r.randint(1, 40)}", r, "supply order row")


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 347)
    for i, p in enumerate(patients):
        with cap.about(p):
            for _ in range(5):
                _patient(p, r)
        for k in range(7):
            _benign(i * 7 + k, r)
