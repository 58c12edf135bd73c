"""The `beartype` emitter of `eighteenth_held.py`: the clinic's service layer (`clinic.services`)
type-checked at run time with `@beartype` 0.23.1, as a Django app decorates it, and the callers
(views, imports, jobs) handing it values of the wrong type the ways real code does: an MRN
where a numeric patient id is hinted, a phone number as a string where an `int` is hinted, a
date of birth as a string where a `datetime.date` is, a contact dict whose values break a
`dict[str, int]`, a list of e-mails one of which breaks an `Annotated[str, Is[...]]` validator,
a phone in a national format an E.164 validator refuses, a postal code as a string where the
dataclass hints an `int`, a `tuple[str, str, str]` address given as a list, and functions whose
return breaks their hint (a member id returned where an `int` is promised, a formatted phone
where an `int` is). `beartype.door.die_if_unbearable` checks imported rows the same way.

Captured: the `BeartypeCallHintParamViolation`, `BeartypeCallHintReturnViolation` and
`BeartypeDoorHintViolation` messages, which quote the offending value's repr (and the whole
argument's: a patient dict, a list of e-mails), logged as the app logs them: `logger.exception`
with the traceback (the app's frames, the `<@beartype(...)>` wrapper's, beartype's own),
`logger.warning("... %s", exc)`, `logger.error("%r", exc)`, and what the callers log before and
after. Stock, rooms, devices and opening hours handed the wrong types for the benign lines.

beartype checks one seeded item of a long container (drawn from the `random` module, which the
driver seeds), so its messages are the same on every run."""

from __future__ import annotations

import dataclasses
import datetime
import logging
import random
from typing import Annotated, Any, Literal

from beartype import beartype
from beartype.door import die_if_unbearable
from beartype.roar import BeartypeHintViolation
from beartype.vale import Is
from patients import Patient

log = logging.getLogger("clinic.services")
api = logging.getLogger("clinic.api")
MODULE = "clinic.services"

E164 = Annotated[str, Is[lambda s: s.startswith("+") and s[1:].isdigit()]]
Email = Annotated[str, Is[lambda s: "@" in s and not s.endswith(".") and " " not in s]]
Licence = Annotated[str, Is[lambda s: s.isalnum() and s.isupper()]]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat"]


def service(func: Any) -> Any:
    """As if `func` (a function or a class and its methods) were defined in `clinic.services`,
    then type-checked."""
    func.__module__ = MODULE
    for member in vars(func).values() if isinstance(func, type) else ():
        if callable(member) and hasattr(member, "__module__"):
            member.__module__ = MODULE
    return beartype(func)


# --- the service layer ----------------------------------------------------------------------


@service
def send_sms(phone: int, body: str) -> None:
    log.debug("sms queued (%d chars)", len(body))


@service
def book_visit(patient_id: int, when: datetime.datetime, notes: str = "") -> str:
    return f"V{patient_id}-{when:%Y%m%d%H%M}"


@service
def update_contact(mrn: str, contact: dict[str, int]) -> None:
    log.info("contact of %s updated", mrn)


@service
def notify(recipients: list[Email], subject: str) -> int:
    return len(recipients)


@service
def register(first_name: str, last_name: str, dob: datetime.date, phone: E164) -> str:
    return f"{last_name.upper()}-{dob:%Y}"


@service
def verify_identity(ssn: int, licence: Licence, mbi: str | None = None) -> bool:
    return True


@service
def ship_letter(name: str, address: tuple[str, str, str]) -> None:
    log.info("letter to %s queued", name)


@service
def lookup_member(member_id: str) -> int:
    return member_id  # type: ignore[return-value]


@service
def normalise_phone(raw: str) -> int:
    return " ".join(raw.split())  # type: ignore[return-value]


@service
def age_on(dob: datetime.date, day: datetime.date) -> int:
    return f"{(day - dob).days // 365} years"  # type: ignore[return-value]


@service
@dataclasses.dataclass
class PatientRecord:
    mrn: str
    first_name: str
    last_name: str
    dob: datetime.date
    postal_code: int
    email: Email | None = None

    def label(self, with_dob: bool) -> str:
        return f"{self.last_name}, {self.first_name}"

    def greeting(self, lang: Literal["en", "it", "el", "sr", "am"]) -> str:
        return (self.first_name, lang)  # type: ignore[return-value]


# the benign services


@service
def adjust_stock(sku: int, quantity: int) -> None:
    log.info("stock %d adjusted by %d", sku, quantity)


@service
def reserve_room(room: int, minutes: int) -> None:
    log.info("room %d reserved for %d minutes", room, minutes)


@service
def calibrate(serial: str, offset: float) -> None:
    log.info("device %s calibrated", serial)


@service
def set_hours(day: Weekday, opens: datetime.time, closes: datetime.time) -> None:
    log.info("hours of %s set", day)


@service
def stock_value(skus: list[int]) -> float:
    return f"{len(skus) * 12.5:.2f} CHF"  # type: ignore[return-value]


# --- the callers ----------------------------------------------------------------------------


class Callers:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def report(self, exc: BeartypeHintViolation, who: str, what: str) -> None:
        """Logs a violation as the app's code paths do (one way each time)."""
        how = self.r.randrange(6)
        if how == 0:
            log.exception("%s failed for %s", what, who)
        elif how == 1:
            log.warning("%s rejected: %s", what, exc)
        elif how == 2:
            api.error("%r", exc)
        elif how == 3:
            api.warning("bad call to the service layer while handling %s: %s", who, exc)
        elif how == 4:
            log.error("%s: %s", type(exc).__name__, exc)
        else:
            api.exception("internal error in %s", what)

    def patient(self, p: Patient) -> None:
        r = self.r
        kind = r.randrange(13)
        d = p.dob
        dob_text = r.choice([d.isoformat(), f"{d.day:02d}.{d.month:02d}.{d.year}"])
        try:
            if kind == 0:
                api.info("sending reminder to %s", p.mrn)
                send_sms(p.phone, f"Reminder for {p.first_name}")
            elif kind == 1:
                when = datetime.datetime(2026, r.randint(10, 12), r.randint(1, 28), 9, 30)
                book_visit(p.mrn, when, notes=r.choice(["", "wheelchair", "interpreter"]))
            elif kind == 2:
                contact = {"phone": p.phone, "email": p.email}
                if r.random() < 0.5:
                    contact["name"] = p.full_name
                update_contact(p.mrn, contact)  # type: ignore[arg-type]
            elif kind == 3:
                bad = r.choice([f"{p.email}.", f"{p.first_name} {p.last_name} <{p.email}>"])
                others = [f"frontdesk{r.randint(1, 9)}@clinic.example"]
                recipients = r.choice([[bad], [bad, *others], [*others, bad]])
                notify(recipients, "Your appointment")
            elif kind == 4:
                api.info("registering %s %s", p.first_name, p.last_name)
                if r.random() < 0.5:
                    register(p.first_name, p.last_name, dob_text, "+41" + "0" * 9)  # type: ignore[arg-type]
                else:
                    register(p.first_name, p.last_name, p.dob, p.phone)
            elif kind == 5:
                ship_letter(p.full_name, [p.street, p.zip, p.city])  # type: ignore[arg-type]
            elif kind == 6:
                number = lookup_member(p.member_id)
                api.info("member %s resolved to %d", p.member_id, number)
            elif kind == 7:
                normalise_phone(p.phone)
            elif kind == 8:
                age_on(p.dob, datetime.date(2026, 10, 5))
            elif kind == 9:
                postal: Any = p.zip if r.random() < 0.7 else int(p.zip)
                dob: Any = p.dob if postal != p.zip else r.choice([p.dob, dob_text])
                if postal != p.zip:
                    dob = dob_text
                rec = PatientRecord(p.mrn, p.first_name, p.last_name, dob, postal, p.email)
                log.info("record built: %s", rec.label(True))
            elif kind == 10:
                rec = PatientRecord(p.mrn, p.first_name, p.last_name, p.dob, int(p.zip))
                rec.greeting(r.choice(["it", "el", "sr", "am"]))  # type: ignore[arg-type]
            elif kind == 11:
                api.info("identity check for %s", p.mrn)
                if r.random() < 0.5:
                    verify_identity(p.ssn, p.licence, mbi=p.mbi)  # type: ignore[arg-type]
                else:
                    digits = int("".join(c for c in p.ssn if c.isdigit()))
                    verify_identity(digits, p.licence, mbi=p.mbi)
            else:
                row = {"dob": p.dob, "mrn": p.mrn, "name": p.full_name, "phone": p.phone}
                api.debug("checking imported row of %s", p.mrn)
                die_if_unbearable(row, dict[str, str])
        except BeartypeHintViolation as exc:
            self.report(exc, r.choice([p.mrn, p.full_name, p.email]), _what(kind))
            return
        api.info("%s done for %s", _what(kind), p.mrn)

    def benign(self) -> None:
        r = self.r
        kind = r.randrange(5)
        try:
            if kind == 0:
                adjust_stock(f"SKU-{r.randint(10000, 99999)}", r.randint(-20, 50))  # type: ignore[arg-type]
            elif kind == 1:
                reserve_room(f"R{r.randint(1, 40)}", r.choice([15, 30, 60]))  # type: ignore[arg-type]
            elif kind == 2:
                offset: Any = r.choice([0.4, "0.4mm", "-1.2 deg"])
                calibrate(f"SN{r.randint(100000, 999999)}", offset)
            elif kind == 3:
                day: Any = r.choice(["mon", "Sunday", "fri", "Friday"])
                opens: Any = r.choice([datetime.time(8, 0), "08:00"])
                set_hours(day, opens, datetime.time(18, 0))
            else:
                stock_value([r.randint(10000, 99999) for _ in range(r.randint(2, 40))])
        except BeartypeHintViolation as exc:
            self.report(exc, r.choice(["front desk", "stock job", "admin"]), _benign(kind))
            return
        api.info("%s done", _benign(kind))


def _what(kind: int) -> str:
    return [
        "reminder",
        "booking",
        "contact update",
        "notification",
        "registration",
        "letter",
        "member lookup",
        "phone normalisation",
        "age check",
        "record import",
        "greeting",
        "identity check",
        "row check",
    ][kind]


def _benign(kind: int) -> str:
    return ["stock adjustment", "room reservation", "calibration", "opening hours", "valuation"][
        kind
    ]


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    state = random.getstate()
    random.seed(seed + 51)  # beartype picks the item of a container it checks
    try:
        callers = Callers(seed + 52)
        for p in patients:
            with cap.about(p):
                for _ in range(5):
                    callers.patient(p)
            for _ in range(callers.r.randint(3, 5)):
                callers.benign()
    finally:
        random.setstate(state)
