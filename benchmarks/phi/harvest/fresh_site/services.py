"""Application code that fails on real data the way such code fails: the stdlib, Django's ORM and
the app's own checks raise, and `exceptions_worker.py` logs what they raised. Each function
takes the data it works on; the patient's functions take a patient (`patients.Patient`)."""

from __future__ import annotations

import datetime
import decimal
import ipaddress
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fresh_site.models import Order, Patient, Product

CHARTS = {"MRN-0000001": 1, "00000002": 2}
CONSENTS: dict[str, str] = {}
UPLOAD_HEADERS = ["mrn", "last_name", "first_name", "phone"]


def _dob_not_iso(p: Any, kind: int) -> str:
    d = p.dob
    return [
        f"{d.month:02d}/{d.day:02d}/{d.year}",
        f"{d.month}/{d.day}/{d.year}",
        f"{d:%B} {d.day}, {d.year}",
        f"{d.day} {d:%b} {d.year}",
        f"{d.day:02d}.{d.month:02d}.{d.year}",
        f"{d.year}{d.month:02d}{d.day:02d}",
    ][kind % 6]


# --- patients ---------------------------------------------------------------------------------


def chart_for(p: Any, kind: int) -> int:
    return CHARTS[p.mrn]


def phone_digits(p: Any, kind: int) -> int:
    number = int(p.phone)
    if number < 10**9:
        raise ValueError(f"phone number {p.phone} is too short")
    raise ValueError(f"phone number {p.phone} is not a mobile number")


def parse_dob(p: Any, kind: int) -> datetime.date:
    text = _dob_not_iso(p, kind)
    if kind % 2:
        return datetime.date.fromisoformat(text)
    return datetime.datetime.strptime(text, "%Y-%m-%d").date()


def read_intake(p: Any, kind: int) -> dict[str, Any]:
    record = {"first_name": p.first_name, "last_name": p.last_name, "dob": str(p.dob),
              "phone": p.phone, "email": p.email, "zip": p.zip}  # fmt: skip
    body = json.dumps(record, ensure_ascii=kind % 2 == 0)
    broken = body[:-1] if kind % 3 == 0 else body.replace('", "', '" "', 1)
    return json.loads(broken)


def decode_upload(p: Any, kind: int) -> str:
    line = f"{p.last_name};{p.first_name};{p.dob.month:02d}/{p.dob.day:02d}/{p.dob.year};{p.mrn}"
    raw = line.encode("cp1252", "replace") + b";\x93VIP\x94"
    return raw.decode("utf-8")


def find_patient(p: Any, kind: int) -> Patient:
    return Patient.objects.get(mrn=p.mrn)


def find_duplicates(p: Any, kind: int) -> Patient:
    for _ in range(2):
        Patient.objects.create(mrn=f"D{Patient.objects.count():07d}", first_name=p.first_name,
                               last_name=p.last_name, dob=p.dob)  # fmt: skip
    return Patient.objects.get(last_name=p.last_name, dob=p.dob)


def register(p: Any, kind: int) -> Patient:
    with transaction.atomic():
        Patient.objects.create(mrn=f"R{Patient.objects.count():07d}", first_name="Intake",
                               last_name="Pending",
                               dob=datetime.date(2000, 1, 1), ssn=p.ssn)  # fmt: skip
    with transaction.atomic():
        return Patient.objects.create(mrn=p.mrn, first_name=p.first_name, last_name=p.last_name,
                                      dob=p.dob, ssn=p.ssn)  # fmt: skip


def check_consent(p: Any, kind: int) -> str:
    consent = CONSENTS.get(p.mrn)
    assert consent is not None, (
        f"no consent on file for {p.last_name}, {p.first_name} (MRN {p.mrn})"
    )
    return consent


def coverage(p: Any, kind: int) -> None:
    messages = [
        f"No coverage for member {p.member_id} (MBI {p.mbi})",
        f"{p.email} may not view chart {p.mrn}",
        f"payment from account {p.account} was declined",
        f"licence {p.licence} does not match state {p.state}",
        f"SMS to {p.phone} failed: gateway timeout",
        f"card {p.card} expired",
        f"statement for {p.first_name} {p.last_name}, {p.street}, {p.city} returned by the post",
        f"SSN {p.ssn} belongs to another chart",
    ]
    errors = [LookupError, PermissionError, RuntimeError, ValueError, ConnectionError]
    raise errors[kind % len(errors)](messages[kind % len(messages)])


def client_address(p: Any, kind: int) -> Any:
    return ipaddress.ip_address(f"{p.ip}:{[443, 8443, 50123][kind % 3]}")


def masked_ssn(p: Any, kind: int) -> str:
    return f"***-**-{p.ssn:>4d}"


def upload_row(p: Any, kind: int) -> datetime.date:
    row = dict(zip(UPLOAD_HEADERS, [p.mrn, p.last_name, p.first_name, p.phone], strict=True))
    return datetime.date.fromisoformat(row["dob"])


def validate_mrn(p: Any, kind: int) -> None:
    raise ValidationError("%(value)s is not a valid MRN for %(site)s",
                          params={"value": p.mrn, "site": "Riverside"})  # fmt: skip


def street_number(p: Any, kind: int) -> int:
    return int(p.street)


def zip_region(p: Any, kind: int) -> str:
    regions = {"02134": "Northeast", "10001": "Northeast", "94103": "West"}
    return regions[p.zip]


PATIENT = [chart_for, phone_digits, parse_dob, read_intake, decode_upload, find_patient,
           find_duplicates, register, check_consent, coverage, client_address, masked_ssn,
           upload_row, validate_mrn, street_number, zip_region]  # fmt: skip


# --- no patient -------------------------------------------------------------------------------


def order_total(data: dict[str, Any], kind: int) -> Any:
    totals = {"ORD-2024-00001": decimal.Decimal("10.00")}
    return totals[data["order"]]


def quantity(data: dict[str, Any], kind: int) -> int:
    return int(data["qty"])


def event_day(data: dict[str, Any], kind: int) -> datetime.date:
    if kind % 2:
        return datetime.date.fromisoformat(data["bad_day"])
    return datetime.datetime.strptime(data["us_day"], "%Y-%m-%d").date()


def read_webhook(data: dict[str, Any], kind: int) -> Any:
    body = json.dumps({"event": "order.shipped", "order": data["order"], "day": data["day"]})
    return json.loads(body[:-1] if kind % 2 else body.replace(", ", " ", 1))


def decode_catalogue(data: dict[str, Any], kind: int) -> str:
    raw = f"{data['sku']};{data['product']};{data['price']}".encode() + b";\xb0C;\x96"
    return raw.decode("utf-8")


def find_order(data: dict[str, Any], kind: int) -> Order:
    return Order.objects.get(number=data["order"])


def add_product(data: dict[str, Any], kind: int) -> Product:
    with transaction.atomic():
        Product.objects.get_or_create(sku=data["sku"], defaults={"name": "x", "price": 1})
    with transaction.atomic():
        return Product.objects.create(sku=data["sku"], name=data["product"], price=data["price"])


def check_invoice(data: dict[str, Any], kind: int) -> None:
    total = decimal.Decimal(data["price"]) * data["qty_n"]
    expected = total + decimal.Decimal("0.01")
    assert total == expected, f"invoice {data['invoice']} total {total} != {expected}"


def gateway(data: dict[str, Any], kind: int) -> None:
    messages = [
        f"payer gateway {data['ip']}:8443 timed out after 30s (request {data['uid']})",
        f"batch {data['n']} aborted after {data['qty_n']} rows",
        f"order {data['order']} is locked by job {data['uid']}",
        f"invoice {data['invoice']} already paid on {data['day']}",
        f"cache key events:{data['day']}:list expired after {data['n']}s",
        f"version {data['version']} does not support this export",
    ]
    errors = [TimeoutError, RuntimeError, LookupError, ValueError]
    raise errors[kind % len(errors)](messages[kind % len(messages)])


def upstream_address(data: dict[str, Any], kind: int) -> Any:
    return ipaddress.ip_address(f"{data['ip']}:{data['n']}")


def price(data: dict[str, Any], kind: int) -> decimal.Decimal:
    return decimal.Decimal(data["price"].replace(".", ",")) * data["qty_n"]


def catalogue_row(data: dict[str, Any], kind: int) -> Any:
    row = dict(zip(["name", "price"], [data["product"], data["price"]], strict=True))
    return row["sku"]


BENIGN = [order_total, quantity, event_day, read_webhook, decode_catalogue, find_order,
          add_product, check_invoice, gateway, upstream_address, price, catalogue_row]  # fmt: skip
