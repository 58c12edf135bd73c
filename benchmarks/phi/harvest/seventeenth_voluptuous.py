"""The `voluptuous` emitter of `seventeenth_held.py`: the patient portal's intake forms, the
insurers' eligibility feed and the kiosks' check-ins validated with voluptuous schemas before
the app stores them, and the app's settings, stock items and clinic schedules validated the
same way. Captured: what the app logs about payloads that fail, as a Django app logs them:
`str(MultipleInvalid)` (its first error, with the path), every error's `msg`, `path` and
`str`, `repr` of the exception and of its errors, `humanize_error`'s lines (which quote the
offending values: `Got '07/13/1980'`), `validate_with_humanized_errors`' `Error`, the payload
itself at DEBUG, and `logger.exception`'s tracebacks. Patients' payloads fail the ways real ones
do: dates of birth in US or dotted forms, phones in national forms a US pattern refuses,
e-mails with a `mailto:` or a trailing dot, a city where the state should be, an MRN or a
member id of another shape, an account number where an integer is expected (`Coerce`), the
SSN sent as an extra key, portal links without a scheme (`Url`), ages out of `Range`. Settings,
stock items and schedules that fail (ports, timezones, quantities, times) for the benign lines.
Nothing here reads a clock: every payload is drawn from a seeded source."""

from __future__ import annotations

import logging
import random
from typing import Any

from patients import Patient
from voluptuous import (
    PREVENT_EXTRA,
    All,
    Coerce,
    Date,
    Email,
    In,
    Invalid,
    Length,
    Match,
    MultipleInvalid,
    Optional,
    Range,
    Required,
    Schema,
    Url,
)
from voluptuous import Any as AnyOf
from voluptuous.error import Error
from voluptuous.humanize import humanize_error, validate_with_humanized_errors

log = logging.getLogger("clinic.intake")
STATES = ("AL", "AZ", "CA", "FL", "GA", "IL", "MA", "MI", "NJ", "NY", "OH", "PA", "TX", "WA")

INTAKE = Schema(
    {
        Required("mrn"): All(str, Match(r"^[A-Z]{2}-\d{2}-\d{5}-[A-Z]$", msg="not an MRN")),
        Required("first_name"): All(str, Length(min=1, max=40)),
        Required("last_name"): All(str, Length(min=1, max=40)),
        Required("birth_date"): Date(),
        Required("phone"): Match(
            r"^\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}$", msg="expected a US phone number"
        ),
        Optional("email"): Email(),
        Optional("address"): {
            Required("street"): All(str, Length(min=3)),
            Required("city"): str,
            Required("state"): In(STATES),
            Required("zip"): Match(r"^\d{5}$", msg="expected a five-digit ZIP"),
        },
        Optional("age"): All(Coerce(int), Range(min=0, max=120)),
        Optional("portal_url"): Url(),
    },
    extra=PREVENT_EXTRA,
)
ELIGIBILITY = Schema(
    {
        Required("member_id"): Match(
            r"^[A-Z]{3}\d{9}$", msg="member id must be 3 letters and 9 digits"
        ),
        Required("subscriber"): {
            Required("name"): str,
            Required("dob"): Date("%Y%m%d"),
        },
        Optional("mbi"): Match(r"^\d[A-Z][A-Z0-9]\d[A-Z][A-Z0-9]\d[A-Z]{2}\d{2}$"),
        Required("account_no"): Coerce(int),
        Required("plan"): In(["HMO", "PPO", "EPO", "MEDICARE"]),
    }
)
CHECKIN = Schema(
    {
        Required("kiosk"): All(Coerce(int), Range(min=1, max=8)),
        Required("patient"): AnyOf(
            Match(r"^[A-Z]{2}-\d{2}-\d{5}-[A-Z]$"), Match(r"^\d{4}[A-Z]\d{3}$"), msg="unknown MRN"
        ),
        Optional("callback"): Match(r"^\+1\d{10}$", msg="callback must be E.164 (+1XXXXXXXXXX)"),
        Optional("licence"): Match(r"^[A-Z]\d{12}$", msg="licence number not recognised"),
        Optional("card_on_file"): Match(r"^\d{4}$", msg="store the last four digits only"),
    }
)
SETTINGS = Schema(
    {
        Required("smtp_host"): str,
        Required("smtp_port"): All(Coerce(int), Range(min=1, max=65535)),
        Required("timezone"): In(["America/Chicago", "America/New_York", "America/Denver"]),
        Optional("report_url"): Url(),
        Optional("retries"): All(Coerce(int), Range(min=0, max=10)),
    },
    extra=PREVENT_EXTRA,
)
STOCK = Schema(
    {
        Required("sku"): Match(r"^SKU-\d{5}$"),
        Required("qty"): All(Coerce(int), Range(min=0)),
        Required("unit"): In(["box", "each", "case"]),
        Optional("expires"): Date(),
    }
)
SCHEDULE = Schema(
    {
        Required("day"): In(["mon", "tue", "wed", "thu", "fri", "sat"]),
        Required("opens"): Match(r"^\d{2}:\d{2}$", msg="expected HH:MM"),
        Required("closes"): Match(r"^\d{2}:\d{2}$", msg="expected HH:MM"),
        Optional("rooms"): All(Coerce(int), Range(min=1, max=30)),
    }
)


def _report(what: str, who: str, data: Any, exc: MultipleInvalid, r: random.Random) -> None:
    """Logs a failed validation as the app's code paths do (one way each time)."""
    how = r.randrange(8)
    if how == 0:
        log.warning("%s rejected for %s: %s", what, who, exc)
    elif how == 1:
        for error in exc.errors:
            log.warning("%s: %s at %s", what, error.msg, error.path)
    elif how == 2:
        log.warning("%s rejected: %s", what, "; ".join(str(e) for e in exc.errors))
    elif how == 3:
        log.warning("%s rejected for %s:\n%s", what, who, humanize_error(data, exc))
    elif how == 4:
        for line in humanize_error(data, exc).splitlines():
            log.info("%s: %s", what, line)
    elif how == 5:
        log.error("%s rejected %r", what, exc)
        log.debug("payload was %s", data)
    elif how == 6:
        log.warning("invalid %s %s: %s", what, data, [str(p) for p in exc.path])
    else:
        log.exception("%s failed validation", what)


class _Intake:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def _dob(self, p: Patient) -> str:
        d = p.dob
        return self.r.choice(
            [
                f"{d.month:02d}/{d.day:02d}/{d.year}",
                f"{d.day:02d}.{d.month:02d}.{d.year}",
                f"{d.month}/{d.day}/{d.year}",
            ]
        )

    def intake(self, p: Patient) -> None:
        r = self.r
        data: dict[str, Any] = {
            "mrn": p.mrn,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "birth_date": p.dob.isoformat(),
            "phone": p.phone,
        }
        faults = r.sample(range(8), r.randint(1, 3))
        if 0 in faults:
            data["birth_date"] = self._dob(p)
        if 1 in faults:
            data["email"] = r.choice([f"mailto:{p.email}", f"{p.email}."])
        else:
            data["email"] = p.email
        if 2 in faults:
            data["address"] = {"street": p.street, "city": p.city, "state": p.city, "zip": p.zip}
        elif r.random() < 0.5:
            data["address"] = {"street": p.street, "city": p.city, "state": p.state, "zip": p.zip}
        if 3 in faults:
            data["ssn"] = p.ssn
        if 4 in faults:
            data["portal_url"] = f"portal.lakeview.example/patients/{p.mrn}"
        if 5 in faults:
            data["age"] = r.choice(["unknown", "-1", "130"])
        if 6 in faults:
            del data[r.choice(["birth_date", "last_name"])]
        if 7 in faults:
            data["insurance_member"] = p.member_id
        try:
            INTAKE(data)
            log.info("intake accepted for %s", p.mrn)
        except MultipleInvalid as exc:
            _report("intake", p.mrn if r.random() < 0.5 else p.full_name, data, exc, r)

    def eligibility(self, p: Patient) -> None:
        r = self.r
        d = p.dob
        data: dict[str, Any] = {
            "member_id": p.member_id,
            "subscriber": {
                "name": f"{p.last_name}, {p.first_name}",
                "dob": r.choice([f"{d.year}{d.month:02d}{d.day:02d}", d.isoformat()]),
            },
            "account_no": p.account,
            "plan": r.choice(["HMO", "PPO", "Medicare Advantage"]),
        }
        if r.random() < 0.5:
            data["mbi"] = p.mbi
        try:
            ELIGIBILITY(data)
            log.info("eligibility ok for %s", p.member_id)
        except MultipleInvalid as exc:
            _report("eligibility", p.member_id, data, exc, r)

    def checkin(self, p: Patient) -> None:
        r = self.r
        data: dict[str, Any] = {"kiosk": r.choice(["2", "lobby", "9"]), "patient": p.mrn}
        if r.random() < 0.6:
            data["callback"] = p.phone
        if r.random() < 0.3:
            data["licence"] = p.licence
        if r.random() < 0.3:
            data["card_on_file"] = p.card
        try:
            if r.random() < 0.3:
                validate_with_humanized_errors(data, CHECKIN)
            else:
                CHECKIN(data)
            log.info("kiosk check-in ok for %s", p.mrn)
        except Error as exc:
            log.warning("kiosk check-in refused:\n%s", exc)
        except MultipleInvalid as exc:
            _report("check-in", p.mrn, data, exc, r)

    def single(self, p: Patient) -> None:
        """One field checked on its own (the chart's edit form): `Invalid` with its message."""
        r = self.r
        field, value, schema = r.choice(
            [
                ("phone", p.phone, Schema(Match(r"^\d{10}$", msg="digits only, please"))),
                ("email", f"{p.email}.", Schema(Email())),
                ("zip", f"{p.zip} {p.city}", Schema(Match(r"^\d{5}$"))),
                ("dob", self._dob(p), Schema(Date())),
            ]
        )
        try:
            schema(value)
        except Invalid as exc:
            if r.random() < 0.5:
                log.warning("chart edit: %s %r refused: %s", field, value, exc)
            else:
                log.warning("chart edit refused for %s (%s): %s", p.mrn, field, exc.msg)

    def patient(self, p: Patient) -> None:
        kind = self.r.randrange(6)
        if kind in (0, 1, 2):
            self.intake(p)
        elif kind == 3:
            self.eligibility(p)
        elif kind == 4:
            self.checkin(p)
        else:
            self.single(p)

    def benign(self) -> None:
        r = self.r
        kind = r.randrange(3)
        if kind == 0:
            data: dict[str, Any] = {
                "smtp_host": r.choice(["smtp.lakeview.example", "relay.internal"]),
                "smtp_port": r.choice(["587", "25", "seventy", "70000"]),
                "timezone": r.choice(["America/Chicago", "US/Central", "CST"]),
            }
            if r.random() < 0.5:
                data["report_url"] = r.choice(
                    ["https://reports.lakeview.example/daily", "reports/daily"]
                )
            if r.random() < 0.3:
                data["debug"] = True
            try:
                SETTINGS(data)
                log.info("settings reloaded")
            except MultipleInvalid as exc:
                _report("settings", "clinic.yaml", data, exc, r)
        elif kind == 1:
            data = {
                "sku": r.choice([f"SKU-{r.randint(10000, 99999)}", f"SK{r.randint(100, 999)}"]),
                "qty": r.choice([str(r.randint(0, 400)), "-4", "a dozen"]),
                "unit": r.choice(["box", "each", "pallet"]),
            }
            if r.random() < 0.4:
                data["expires"] = r.choice(["2027-03-31", "03/2027", "2027-02-30"])
            try:
                STOCK(data)
                log.info("stock item %s synced", data["sku"])
            except MultipleInvalid as exc:
                _report("stock sync", str(data["sku"]), data, exc, r)
        else:
            data = {
                "day": r.choice(["mon", "tue", "sun", "Friday"]),
                "opens": r.choice(["08:00", "8am", "07:30"]),
                "closes": r.choice(["17:00", "5pm", "18:30"]),
            }
            if r.random() < 0.4:
                data["rooms"] = r.choice(["12", "0", "forty"])
            try:
                SCHEDULE(data)
                log.info("schedule for %s updated", data["day"])
            except MultipleInvalid as exc:
                _report("schedule", str(data["day"]), data, exc, r)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    intake = _Intake(seed + 1)
    for p in patients:
        with cap.about(p):
            for _ in range(4):
                intake.patient(p)
        for _ in range(4):
            intake.benign()
