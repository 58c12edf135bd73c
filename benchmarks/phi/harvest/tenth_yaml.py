"""The `pyyaml` emitter of `tenth_held.py`: PyYAML in the app's referral import and record export
jobs. Referrals and intake records dumped with `safe_dump` (block style and the default flow
style for leaf collections, with and without `allow_unicode`, so names with accents come out
as they are or as `\\xE9`-style escapes; logged line by line as the job logs a document),
the app's dataclasses dumped with `dump` (`!!python/object:` tags) or refused by `safe_dump`
(`RepresenterError`), uploads loaded back with `safe_load` (`repr`s of the dicts, dates as
`datetime.date`), and the errors of malformed uploads (`ScannerError`, `ParserError`,
`ComposerError`, `ConstructorError`: their problem marks name the upload and quote the
offending line, shortened with `...` when long), some with `logger.exception` tracebacks.
Formulary, clinic schedule, supplier and feature-flag documents and their errors for the
benign lines."""

from __future__ import annotations

import dataclasses
import datetime
import io
import logging
import random
from typing import Any

import yaml
from patients import Patient

log = logging.getLogger("clinic.referrals")

REASONS = (
    "follow-up after ED visit",
    "suspected type 2 diabetes",
    "persistent cough, 6 weeks",
    "knee pain after fall",
    "prenatal care, first trimester",
    "medication review",
)
PARTNERS = ("Bayside Urgent Care", "Kestrel Imaging", "Lakeview Cardiology", "Tidewater ENT")


@dataclasses.dataclass
class Referral:
    first_name: str
    last_name: str
    dob: datetime.date
    mrn: str
    phone: str
    reason: str
    received: datetime.date


@dataclasses.dataclass
class Address:
    street: str
    city: str
    state: str
    zip: str


# As the app's own classes: `dump` writes the module into its tags.
Referral.__module__ = Address.__module__ = "clinic.referrals"


class Upload(io.StringIO):
    """An uploaded file: PyYAML names it in its problem marks."""

    def __init__(self, text: str, name: str) -> None:
        super().__init__(text)
        self.name = name


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 3, 2) + datetime.timedelta(days=r.randint(0, 200))


def _record(p: Patient, r: random.Random) -> dict[str, Any]:
    record: dict[str, Any] = {
        "referral_id": f"REF-{r.randint(2025, 2026)}-{r.randint(1, 99999):05d}",
        "patient": {
            "name": {"family": p.last_name, "given": p.first_name},
            "dob": p.dob,
            "mrn": p.mrn,
        },
        "reason": r.choice(REASONS),
        "from": r.choice(PARTNERS),
        "received": _day(r),
    }
    contact = r.sample(["phone", "email", "address", "insurance", "ssn"], r.randint(1, 3))
    if "phone" in contact:
        record["patient"]["phone"] = p.phone
    if "email" in contact:
        record["patient"]["email"] = p.email
    if "address" in contact:
        record["patient"]["address"] = {
            "line": [p.street],
            "city": p.city,
            "state": p.state,
            "zip": p.zip,
        }
    if "insurance" in contact:
        record["insurance"] = {"member_id": p.member_id, "mbi": p.mbi}
    if "ssn" in contact:
        record["patient"]["ssn"] = p.ssn
    return record


def _dump(doc: Any, r: random.Random) -> str:
    return yaml.safe_dump(
        doc,
        sort_keys=r.random() < 0.3,
        allow_unicode=r.random() < 0.6,
        default_flow_style=r.choice([False, False, None]),
    )


def _bad_upload(p: Patient, r: random.Random) -> str:
    kind = r.randrange(8)
    if kind == 0:
        return f"patient:\n  name: {p.last_name}, {p.first_name}\n  address: {p.street}: home\n"
    if kind == 1:
        return f"patient:\n  name: [{p.first_name} {p.last_name}\n  dob: {p.dob}\n"
    if kind == 2:
        return f"patient:\n  mrn: {p.mrn}\n\tphone: {p.phone}\n"
    if kind == 3:
        return f"patient: !!python/object:clinic.Patient\n  mrn: {p.mrn}\n  email: {p.email}\n"
    if kind == 4:
        return f"patient:\n  name: '{p.first_name} {p.last_name}\n  dob: {p.dob}\n"
    if kind == 5:
        return f"- {p.mrn}\nemail: {p.email}\n"
    if kind == 6:
        return f"patient:\n  insurance: *{p.member_id.replace('-', '')}\n  city: {p.city}\n"
    note = f"called {p.phone} twice, no answer; mother says new address is {p.street}: please"
    return f"patient:\n  mrn: {p.mrn}\n  note: {note} update {p.city}\n"


def _patient(p: Patient, r: random.Random) -> None:
    record = _record(p, r)
    ref = record["referral_id"]
    style = r.randrange(3)
    if style == 0:
        log.info("referral %s received:\n%s", ref, _dump(record, r).rstrip("\n"))
    elif style == 1:
        for line in _dump(record, r).splitlines():
            log.debug("%s | %s", ref, line)
    else:
        text = _dump(record, r)
        log.debug("loaded %s: %r", ref, yaml.safe_load(text))
    referral = Referral(
        p.first_name, p.last_name, p.dob, p.mrn, p.phone, record["reason"], record["received"]
    )
    kind = r.randrange(4)
    if kind == 0:
        try:
            yaml.safe_dump({"referral": referral})
        except yaml.YAMLError as exc:
            log.error("export of %s failed: %s", ref, exc)
    elif kind == 1:
        log.debug("referral object:\n%s", yaml.dump(referral, sort_keys=False).rstrip("\n"))
    elif kind == 2:
        address = Address(p.street, p.city, p.state, p.zip)
        log.info("address on file for MRN %s: %s", p.mrn, yaml.dump(address).strip())
    for _ in range(r.choice([1, 1, 2])):
        name = r.choice([f"uploads/{ref}.yaml", f"inbox/{p.mrn}.yml", "<portal form>"])
        try:
            got = yaml.safe_load(Upload(_bad_upload(p, r), name))
            log.info("upload %s parsed: %r", name, got)
        except yaml.YAMLError as exc:
            how = r.randrange(3)
            if how == 0:
                log.warning("referral upload %s rejected: %s", name, exc)
            elif how == 1:
                log.exception("could not read referral for MRN %s", p.mrn)
            else:
                mark = getattr(exc, "problem_mark", None)
                where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
                log.warning("%s in %s at %s", type(exc).__name__, name, where)
                log.debug("%s", exc)


FLAGS = ("portal_v2", "sms_reminders", "lab_autorelease", "fax_gateway", "new_scheduler")
DRUGS = (
    ("Amlodipine 5 mg tablet", "0093-7155-98"),
    ("Metformin 500 mg tablet", "0378-0234-01"),
    ("Lisinopril 10 mg tablet", "68180-0514-01"),
    ("Ondansetron 4 mg ODT", "0781-5238-64"),
    ("Albuterol HFA 90 mcg", "0173-0682-20"),
)
ROOMS = ("Exam 1", "Exam 2", "Exam 3", "Lab", "Imaging", "Infusion")


def _benign(r: random.Random, n: int) -> None:
    kind = r.randrange(5)
    day = _day(r)
    if kind == 0:
        doc: Any = {
            "formulary": {
                "version": f"{r.randint(1, 9)}.{r.randint(0, 40)}",
                "effective": day,
                "items": [
                    {
                        "name": name,
                        "ndc": ndc,
                        "lot": f"{r.choice('ABLMX')}{r.randint(1000, 99999)}",
                        "on_hand": r.randint(0, 400),
                        "expires": day + datetime.timedelta(days=r.randint(90, 900)),
                    }
                    for name, ndc in r.sample(DRUGS, r.randint(1, 3))
                ],
            }
        }
    elif kind == 1:
        doc = {
            "schedule": {
                "date": day,
                "rooms": {
                    room: [f"{h:02d}:{m:02d}" for h in (8, 9, 10) for m in (0, 30)][
                        : r.randint(1, 6)
                    ]
                    for room in r.sample(ROOMS, 2)
                },
            }
        }
    elif kind == 2:
        doc = {
            "supplier": {
                "name": r.choice(["Medline Industries", "Henry Schein", "Cardinal Health"]),
                "po": f"PO-{r.randint(2025, 2026)}-{r.randint(1, 99999):05d}",
                "lines": r.randint(1, 40),
                "total": round(r.uniform(40, 9000), 2),
                "due": day,
            }
        }
    elif kind == 3:
        doc = {"flags": {flag: r.random() < 0.5 for flag in r.sample(FLAGS, 3)}}
        doc["flags"]["rollout_percent"] = r.choice([5, 10, 25, 50, 100])
    else:
        bad = r.choice(
            [
                f"schedule:\n  date: {day}\n  rooms: [Exam 1, Lab\n",
                f"formulary:\n  version: 3.{n}\n\titems: []\n",
                f"flags:\n  portal_v2: true\n  rollout: *pct{n}\n",
                f"supplier:\n  po: PO-2026-{n:05d}: urgent\n",
            ]
        )
        name = r.choice(["config/clinic.yaml", f"imports/batch-{n}.yaml", "<admin form>"])
        try:
            yaml.safe_load(Upload(bad, name))
        except yaml.YAMLError as exc:
            if r.random() < 0.3:
                log.exception("config reload %d failed", n)
            else:
                log.warning("config %s not loaded: %s", name, exc)
        return
    if r.random() < 0.5:
        log.info("document %d:\n%s", n, _dump(doc, r).rstrip("\n"))
    else:
        log.debug("loaded document %d: %r", n, yaml.safe_load(_dump(doc, r)))


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 171)
    for i, p in enumerate(patients):
        with cap.about(p):
            _patient(p, r)
        for k in range(4):
            _benign(r, i * 4 + k)
