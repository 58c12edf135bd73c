"""The `phonenumbers` emitter of `sixth_held.py`: the contact-normalising step of an intake
pipeline. Real `phonenumbers` (parsing, validity, number types, geocoder, time zones, matches in
free text), `email-validator` and `dateutil.parser` over each patient's values, some typed in the
wrong field; what the step logs about them."""

from __future__ import annotations

import datetime
import logging
import random
from typing import Any

import phonenumbers as pn
from dateutil import parser as dateparser
from email_validator import EmailNotValidError, validate_email
from patients import Patient
from phonenumbers import geocoder, timezone

log = logging.getLogger("clinic.contact")

REGIONS = {
    "en_AU": "AU",
    "en_CA": "CA",
    "en_IE": "IE",
    "nl_NL": "NL",
    "pt_BR": "BR",
    "sv_SE": "SE",
    "tr_TR": "TR",
    "cs_CZ": "CZ",
    "fi_FI": "FI",
    "da_DK": "DK",
}
TYPES = {v: k for k, v in vars(pn.PhoneNumberType).items() if k.isupper()}
VENDORS = ("McKesson", "Cardinal", "Henry Schein", "Medline", "Owens", "Quest Lab")


def _parse(raw: str, region: str) -> pn.PhoneNumber:
    return pn.parse(raw, region)


def _phone(p: Patient, r: random.Random) -> None:
    region = REGIONS.get(p.extra.get("locale", ""), "US")
    number = None
    for tried in ("US", region):
        try:
            number = _parse(p.phone, tried)
        except pn.NumberParseException as exc:
            log.warning("phone %r not parsed with region %s: %s", p.phone, tried, exc)
            continue
        if pn.is_valid_number(number):
            break
        log.info("phone %r is not a valid number for region %s", p.phone, tried)
    if number is None:
        return
    kind = TYPES.get(pn.number_type(number), "UNKNOWN")
    log.info(
        "phone %s: region=%s valid=%s possible=%s type=%s",
        p.phone,
        pn.region_code_for_number(number),
        pn.is_valid_number(number),
        pn.is_possible_number(number),
        kind,
    )
    where = geocoder.description_for_number(number, "en")
    zones = timezone.time_zones_for_number(number)
    if r.random() < 0.7:
        log.debug("phone %s located %r, time zones %s", p.phone, where, zones)
    if r.random() < 0.4:
        log.info("SMS reminders for %s %s go to %s (%s)", p.first_name, p.last_name, p.phone, kind)
    if pn.format_number(number, pn.PhoneNumberFormat.E164) == p.phone:
        log.debug("phone %s already in E.164", p.phone)


def _wrong_fields(p: Patient, r: random.Random) -> None:
    for field, value in r.sample(
        [("email", p.email), ("mrn", p.mrn), ("name", p.full_name), ("street", p.street)], 2
    ):
        try:
            number = pn.parse(value, "US")
        except pn.NumberParseException as exc:
            if r.random() < 0.3:
                log.exception("phone field holds the %s %r", field, value)
            else:
                log.warning("phone field %r (looks like the %s) rejected: %s", value, field, exc)
        else:
            log.info("phone field %r parsed, valid=%s", value, pn.is_valid_number(number))
    for _field, value in r.sample(
        [("phone", p.phone), ("name", p.full_name), ("mrn", p.mrn), ("ssn", p.ssn)], 2
    ):
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError as exc:
            log.warning("e-mail field %r rejected: %s", value, exc)
        else:
            log.info("e-mail field %r accepted", value)
    for field, value in r.sample(
        [("phone", p.phone), ("name", p.last_name), ("mrn", p.mrn), ("city", p.city)], 2
    ):
        try:
            when = dateparser.parse(value)
        except (dateparser.ParserError, OverflowError, ValueError) as exc:
            if r.random() < 0.25:
                log.exception("date of birth field holds %r", value)
            else:
                log.warning("date of birth %r not understood: %s", value, exc)
        else:
            log.info("date of birth field %r read as %s (from the %s)", value, when.date(), field)


def _email(p: Patient, r: random.Random) -> None:
    try:
        checked = validate_email(p.email, check_deliverability=False)
    except EmailNotValidError as exc:
        log.warning("e-mail %s rejected: %s", p.email, exc)
        return
    log.info(
        "e-mail %s ok: domain=%s smtputf8=%s", checked.normalized, checked.domain, checked.smtputf8
    )
    if r.random() < 0.4:
        log.debug("validated %r", checked)
    if r.random() < 0.3:
        display = f"{p.full_name} <{p.email}>"
        try:
            validate_email(display, check_deliverability=False)
        except EmailNotValidError as exc:
            log.warning("e-mail %r rejected: %s", display, exc)


def _dob(p: Patient, r: random.Random) -> None:
    d = p.dob
    typed, dayfirst = r.choice(
        [
            (d.isoformat(), False),
            (f"{d.month:02d}/{d.day:02d}/{d.year}", False),
            (f"{d.month}/{d.day}/{d.year}", False),
            (f"{d:%B} {d.day}, {d.year}", False),
            (f"{d.day} {d:%b} {d.year}", True),
            (f"{d.day:02d}.{d.month:02d}.{d.year}", True),
        ]
    )
    parsed = dateparser.parse(typed, dayfirst=dayfirst).date()
    log.info("dob %r read as %s", typed, parsed)
    if r.random() < 0.3:
        log.debug(
            "dob for %s: %s (%s)",
            p.mrn,
            parsed.isoformat(),
            f"{parsed:%B} {parsed.day}, {parsed.year}",
        )


def _note(p: Patient, r: random.Random) -> None:
    note = r.choice(
        [
            f"Pt {p.last_name} asked to be called at {p.phone} after 5pm",
            f"Left voicemail on {p.phone}; daughter will call back",
            f"{p.first_name} changed number to {p.phone}, old one disconnected",
        ]
    )
    region = REGIONS.get(p.extra.get("locale", ""), "US")
    matches = list(pn.PhoneNumberMatcher(note, "US")) or list(pn.PhoneNumberMatcher(note, region))
    log.debug("note %r: %d phone number(s)", note, len(matches))
    for match in matches:
        if match.raw_string != p.phone:
            continue  # a part of the number only: a form the labeller does not know
        log.info("note number %s at [%d, %d)", match.raw_string, match.start, match.end)


def _summary(p: Patient) -> None:
    lines = [
        f"  name:  {p.full_name}",
        f"  dob:   {p.dob.isoformat()}",
        f"  phone: {p.phone}",
        f"  email: {p.email}",
        f"  addr:  {p.street}, {p.city}, {p.state} {p.zip}",
        f"  mrn:   {p.mrn}",
    ]
    log.info("contact card for %s:\n%s", p.mrn, "\n".join(lines))


def _benign(r: random.Random, n: int) -> None:
    vendor = r.choice(VENDORS)
    a, b = r.randint(201, 989), r.randint(200, 999)
    raw = r.choice(
        [
            f"({a}) 555-01{r.randint(0, 99):02d}",
            f"1-800-{b}-{r.randint(1000, 9999)}",
            f"{b}-{r.randint(10, 99)}",
            "ext 4410",
        ]
    )
    try:
        number = pn.parse(raw, "US")
    except pn.NumberParseException as exc:
        log.warning("vendor %s phone %r not parsed: %s", vendor, raw, exc)
    else:
        log.info(
            "vendor %s phone %s: valid=%s type=%s located %r",
            vendor,
            raw,
            pn.is_valid_number(number),
            TYPES.get(pn.number_type(number), "UNKNOWN"),
            geocoder.description_for_number(number, "en"),
        )
    box = r.choice(["orders", "billing", "noreply", "supply-desk", "it.helpdesk"])
    address = r.choice(
        [
            f"{box}@{vendor.split()[0].lower()}.example",
            f"{box}@@clinic.example",
            f"{box}.clinic.example",
        ]
    )
    try:
        ok = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        log.warning("vendor e-mail %r rejected: %s", address, exc)
    else:
        log.info("vendor e-mail %s ok: domain=%s", ok.normalized, ok.domain)
    day = datetime.date(2026, 1, 2) + datetime.timedelta(days=r.randint(0, 360))
    typed = r.choice(
        [
            day.isoformat(),
            f"{day:%B} {day.day}, {day.year}",
            f"ORD-2026-{r.randint(1000, 999999):06d}",
            f"Q{r.randint(1, 4)} shipment",
            f"{day:%d.%m.%Y} 09:30",
        ]
    )
    try:
        when = dateparser.parse(typed, dayfirst=True)
    except (dateparser.ParserError, OverflowError, ValueError) as exc:
        if n % 5 == 0:
            log.exception("delivery date %r not understood", typed)
        else:
            log.warning("delivery date %r not understood: %s", typed, exc)
    else:
        log.info("delivery date %r read as %s", typed, when)
    if n % 3 == 0:
        desk = f"({a}) 555-01{r.randint(0, 99):02d}"
        note = f"Ship to dock 4, call {vendor} at {desk} before {day:%b} {day.day}"
        for match in pn.PhoneNumberMatcher(note, "US"):
            log.info(
                "shipping note number %s at [%d, %d)", match.raw_string, match.start, match.end
            )
        log.debug("shipping note %r", note)
    if n % 4 == 0:
        log.info(
            "contact step stats: parsed=%d invalid=%d emails=%d dates=%d",
            r.randint(100, 900),
            r.randint(0, 40),
            r.randint(100, 900),
            r.randint(100, 900),
        )


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 91)
    for p in patients:
        with cap.about(p):
            _phone(p, r)
            _email(p, r)
            _dob(p, r)
            _wrong_fields(p, r)
            if r.random() < 0.6:
                _note(p, r)
            if r.random() < 0.3:
                _summary(p)
    for n in range(1, 700):
        _benign(r, n)
