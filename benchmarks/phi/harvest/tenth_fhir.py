"""The `fhir.resources` emitter of `tenth_held.py`: the app's FHIR facade building FHIR R5 and
R4B resources with fhir.resources (pydantic models) from the chart and validating partners'
payloads, as it logs them: `model_dump_json()` on one line and indented (line by line),
`model_dump()` dicts, `repr`s of `HumanName`, `ContactPoint`, `Address` and `Identifier`
elements; Patient (identifiers for the MRN, SSN, MBI and driver licence), Coverage, Account,
Observation, RelatedPerson and searchset Bundles; and the pydantic `ValidationError`s the
models raise on what partners and staff send (a birth date in another form, an MRN as the
resource id, `ssn` or `mrn` as extra elements, a `given` name that is no list, an address that
is no list, a ZIP as a number, missing required elements, invalid JSON): `str(exc)` line by
line, `exc.errors()`, `exc.json()` and `logger.exception` tracebacks. Organization, Location,
Medication, Device and Slot resources (clinic names and addresses, NPIs, NDC and RxNorm codes,
lots, serials, dates) and their errors for the benign lines.

pydantic writes its own minor release into every error (`https://errors.pydantic.dev/2.14/v/...`):
the lines are those of pydantic 2.14 under fhir.resources 8.3.0."""

from __future__ import annotations

import datetime
import json
import logging
import random
from typing import Any

import pydantic
from fhir.resources.account import Account
from fhir.resources.bundle import Bundle
from fhir.resources.coverage import Coverage
from fhir.resources.device import Device
from fhir.resources.location import Location
from fhir.resources.medication import Medication
from fhir.resources.observation import Observation
from fhir.resources.organization import Organization
from fhir.resources.patient import Patient as FhirPatient
from fhir.resources.R4B.coverage import Coverage as CoverageR4B
from fhir.resources.R4B.patient import Patient as PatientR4B
from fhir.resources.relatedperson import RelatedPerson
from fhir.resources.slot import Slot
from patients import Patient

log = logging.getLogger("clinic.fhir")

BASE = "https://fhir.clinic.example/r5"
MRN_SYSTEM = "urn:oid:2.16.840.1.113883.3.7204.1"
ACCOUNT_SYSTEM = "urn:oid:2.16.840.1.113883.3.7204.4"
MEMBER_SYSTEM = "urn:oid:2.16.840.1.113883.3.9921.2"
FIPS = {"CA": "06", "NY": "36", "TX": "48", "WA": "53", "WI": "55", "NJ": "34", "CO": "08"}
LOINC = (
    ("2345-7", "Glucose [Mass/volume] in Serum or Plasma", "mg/dL", (70, 180)),
    ("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", (10, 17)),
    ("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", (5, 11)),
    ("8867-4", "Heart rate", "/min", (50, 110)),
    ("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL", (120, 280)),
)
PAYERS = ("Cascade Mutual Health", "Pinecrest Benefit Plans", "Medicare Part B", "Harborline Care")


def _stamp(r: random.Random) -> str:
    moment = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC) + datetime.timedelta(
        seconds=r.randint(0, 200 * 86400)
    )
    return moment.isoformat().replace("+00:00", "Z")


def _identifiers(p: Patient, r: random.Random) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [
        {
            "use": "usual",
            "type": {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}
                ]
            },
            "system": MRN_SYSTEM,
            "value": p.mrn,
        }
    ]
    extra = r.sample(["ssn", "mbi", "licence", "member"], r.randint(1, 3))
    if "ssn" in extra:
        out.append({"system": "http://hl7.org/fhir/sid/us-ssn", "value": p.ssn})
    if "mbi" in extra:
        out.append({"system": "http://hl7.org/fhir/sid/us-mbi", "value": p.mbi})
    if "licence" in extra:
        fips = FIPS.get(p.state, "53")
        out.append(
            {
                "type": {"text": "Driver's license"},
                "system": f"urn:oid:2.16.840.1.113883.4.3.{fips}",
                "value": p.licence,
            }
        )
    if "member" in extra:
        out.append({"system": MEMBER_SYSTEM, "value": p.member_id})
    return out


def _patient_doc(p: Patient, r: random.Random, n: int) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "resourceType": "Patient",
        "id": f"pt-{n:05d}",
        "meta": {"lastUpdated": _stamp(r), "versionId": str(r.randint(1, 9))},
        "identifier": _identifiers(p, r),
        "active": True,
        "name": [{"use": "official", "family": p.last_name, "given": [p.first_name]}],
        "gender": r.choice(["female", "male", "other", "unknown"]),
        "birthDate": p.dob.isoformat(),
    }
    telecom = []
    if r.random() < 0.8:
        telecom.append({"system": "phone", "value": p.phone, "use": r.choice(["mobile", "home"])})
    if r.random() < 0.6:
        telecom.append({"system": "email", "value": p.email})
    if telecom:
        doc["telecom"] = telecom
    if r.random() < 0.7:
        doc["address"] = [
            {
                "use": "home",
                "line": [p.street],
                "city": p.city,
                "state": p.state,
                "postalCode": p.zip,
                "country": "US",
            }
        ]
    return doc


def _show(model: Any, r: random.Random, what: str) -> None:
    style = r.randrange(4)
    if style == 0:
        log.info("%s: %s", what, model.model_dump_json())
    elif style == 1:
        log.debug("%s as sent:\n%s", what, model.model_dump_json(indent=2))
    elif style == 2:
        log.debug("%s: %s", what, model.model_dump())
    else:
        log.info("%s (%s): %s", what, model.get_resource_type(), model.model_dump_json())


def _invalid(exc: pydantic.ValidationError, r: random.Random, what: str) -> None:
    style = r.randrange(5)
    if style == 0:
        log.warning("%s rejected: %s", what, exc)
    elif style == 1:
        log.warning("%s: %d validation error(s): %s", what, exc.error_count(), exc.errors())
    elif style == 2:
        log.error("%s invalid: %s", what, exc.json())
    elif style == 3:
        log.exception("%s could not be validated", what)
    else:
        for error in exc.errors():
            where = ".".join(str(part) for part in error["loc"])
            log.warning("%s: %s at %s (input %r)", what, error["msg"], where, error["input"])


def _validate(model: Any, doc: Any, r: random.Random, what: str) -> Any:
    try:
        if isinstance(doc, str):
            return model.model_validate_json(doc)
        return model.model_validate(doc)
    except pydantic.ValidationError as exc:
        _invalid(exc, r, what)
        return None


def _broken(p: Patient, doc: dict[str, Any], r: random.Random) -> Any:
    """A partner's or a form's version of the patient, with what such payloads get wrong."""
    bad = json.loads(json.dumps(doc))
    kind = r.randrange(9)
    if kind == 0:
        bad["birthDate"] = r.choice([f"{p.dob:%m/%d/%Y}", f"{p.dob:%d.%m.%Y}", f"{p.dob:%Y%m%d}"])
    elif kind == 1:
        bad["id"] = p.mrn
    elif kind == 2:
        bad[r.choice(["ssn", "socialSecurityNumber"])] = p.ssn
    elif kind == 3:
        bad["mrn"] = p.mrn
        bad["dob"] = p.dob.isoformat()
    elif kind == 4:
        bad["name"] = [{"family": p.last_name, "given": p.first_name}]
    elif kind == 5:
        bad["address"] = {"line": [p.street], "city": p.city, "postalCode": p.zip}
    elif kind == 6 and p.zip.isdigit() and not p.zip.startswith("0"):
        bad["address"] = [{"line": [p.street], "city": p.city, "postalCode": int(p.zip)}]
    elif kind == 7:
        bad["telecom"] = {"system": "phone", "value": p.phone}
    else:
        text = json.dumps(bad)
        return text.replace('"gender"', '"gender",', 1) if r.random() < 0.5 else text[:-1]
    return bad


def _patient(p: Patient, r: random.Random, n: int) -> None:
    doc = _patient_doc(p, r, n)
    model = FhirPatient.model_validate(doc)
    _show(model, r, f"Patient/{doc['id']}")
    if r.random() < 0.4:
        element = r.choice(["name", "telecom", "address", "identifier"])
        values = getattr(model, element) or model.name
        log.debug("%s[0] of Patient/%s: %r", element, doc["id"], values[0])
    for _ in range(r.choice([1, 2, 2])):
        bad = _broken(p, doc, r)
        model_of = PatientR4B if r.random() < 0.3 else FhirPatient
        _validate(model_of, bad, r, f"partner Patient for MRN {p.mrn}")
    kind = r.randrange(6)
    ref = {"reference": f"Patient/{doc['id']}", "display": p.full_name}
    if kind == 0:
        cov = {
            "resourceType": "Coverage",
            "status": "active",
            "kind": "insurance",
            "subscriberId": [{"system": MEMBER_SYSTEM, "value": p.member_id}],
            "beneficiary": ref,
            "insurer": {"display": r.choice(PAYERS)},
            "period": {"start": f"{r.randint(2019, 2026)}-01-01"},
        }
        if r.random() < 0.4:
            del cov[r.choice(["status", "beneficiary", "kind"])]
        got = _validate(Coverage, cov, r, f"Coverage for {p.member_id}")
        if got is not None:
            _show(got, r, "Coverage")
    elif kind == 1:
        cov4 = {
            "resourceType": "Coverage",
            "status": "active",
            "subscriberId": p.member_id,
            "beneficiary": ref,
            "payor": [{"display": r.choice(PAYERS)}],
        }
        if r.random() < 0.5:
            cov4["subscriberId"] = {"value": p.member_id}
        got = _validate(CoverageR4B, cov4, r, "R4B Coverage from the clearinghouse")
        if got is not None:
            _show(got, r, "R4B Coverage")
    elif kind == 2:
        acc = {
            "resourceType": "Account",
            "status": "active",
            "identifier": [{"system": ACCOUNT_SYSTEM, "value": p.account}],
            "name": "Guarantor account",
            "subject": [ref],
        }
        got = _validate(Account, acc, r, f"Account {p.account}")
        if got is not None:
            _show(got, r, "Account")
    elif kind == 3:
        code, display, unit, (low, high) = r.choice(LOINC)
        obs: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": code, "display": display}]},
            "subject": ref,
            "effectiveDateTime": _stamp(r),
            "valueQuantity": {"value": r.randint(low, high), "unit": unit},
        }
        if r.random() < 0.4:
            del obs[r.choice(["status", "code"])]
        got = _validate(Observation, obs, r, f"Observation {code} for MRN {p.mrn}")
        if got is not None:
            _show(got, r, "Observation")
    elif kind == 4:
        rel = {
            "resourceType": "RelatedPerson",
            "patient": {"reference": f"Patient/{doc['id']}"},
            "relationship": [{"text": "guarantor"}],
            "name": [{"family": p.last_name, "given": [p.first_name]}],
            "telecom": [{"system": "phone", "value": p.phone}],
            "address": [{"line": [p.street], "city": p.city, "postalCode": p.zip}],
        }
        got = _validate(RelatedPerson, rel, r, "guarantor")
        if got is not None:
            _show(got, r, f"RelatedPerson for Patient/{doc['id']}")
    else:
        bundle = Bundle.model_validate(
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": 1,
                "link": [
                    {"relation": "self", "url": f"{BASE}/Patient?identifier={MRN_SYSTEM}|{p.mrn}"}
                ],
                "entry": [{"fullUrl": f"{BASE}/Patient/{doc['id']}", "resource": doc}],
            }
        )
        log.info("search by MRN %s: %s", p.mrn, bundle.model_dump_json())


CLINICS = (
    ("Riverside Family Clinic", "1200 Harbor View Dr", "Tacoma", "WA", "98402"),
    ("Northgate Pediatrics", "455 Northgate Way Suite 210", "Seattle", "WA", "98125"),
    ("Eastside Women's Health", "88 Lakeshore Blvd", "Bellevue", "WA", "98004"),
    ("Summit Orthopedics", "3100 Summit Ave", "Spokane", "WA", "99201"),
)
DRUGS = (
    ("197361", "Amlodipine 5 MG Oral Tablet", "0093-7155-98"),
    ("860975", "Metformin hydrochloride 500 MG Oral Tablet", "0378-0234-01"),
    ("314076", "Lisinopril 10 MG Oral Tablet", "68180-0514-01"),
    ("617314", "Atorvastatin 10 MG Oral Tablet", "0071-0155-23"),
    ("1049621", "Oxycodone hydrochloride 5 MG Oral Tablet", "0406-0552-01"),
    ("308182", "Amoxicillin 250 MG Oral Capsule", "65862-0015-01"),
)
DEVICES = ("Infusion pump", "Pulse oximeter", "Glucometer", "ECG monitor", "Spirometer")


def _npi(r: random.Random) -> str:
    body = f"{r.choice('12')}{r.randint(0, 10**8 - 1):08d}"
    total = 24
    for i, ch in enumerate(reversed(body)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return body + str((10 - total % 10) % 10)


def _benign(r: random.Random, n: int) -> None:
    kind = r.randrange(6)
    if kind == 0:
        name, street, city, state, zip_code = r.choice(CLINICS)
        org: dict[str, Any] = {
            "resourceType": "Organization",
            "id": f"org-{r.randint(1, 40)}",
            "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi", "value": _npi(r)}],
            "name": name,
            "contact": [
                {
                    "telecom": [
                        {"system": "phone", "value": f"(253) 555-01{r.randint(0, 99):02d}"}
                    ],
                    "address": {
                        "line": [street],
                        "city": city,
                        "state": state,
                        "postalCode": zip_code,
                    },
                }
            ],
        }
        if r.random() < 0.3:
            org["taxId"] = f"{r.randint(10, 99)}-{r.randint(1000000, 9999999)}"
        got = _validate(Organization, org, r, f"Organization sync {n}")
        if got is not None:
            _show(got, r, "Organization")
    elif kind == 1:
        name = r.choice(["Exam Room", "Lab Draw Station", "Imaging Suite", "Infusion Bay"])
        loc = {
            "resourceType": "Location",
            "status": r.choice(["active", "suspended"]),
            "name": f"{name} {r.randint(1, 12)}",
            "position": {
                "latitude": round(r.uniform(47.0, 47.9), 6),
                "longitude": round(r.uniform(-122.6, -122.1), 6),
            },
            "managingOrganization": {"display": r.choice(CLINICS)[0]},
        }
        if r.random() < 0.25:
            loc["status"] = "open"
            loc["position"] = {"latitude": "47.61N"}
        got = _validate(Location, loc, r, f"Location {n}")
        if got is not None:
            _show(got, r, "Location")
    elif kind == 2:
        rxnorm, display, ndc = r.choice(DRUGS)
        lot = f"{r.choice('ABCLMX')}{r.randint(1000, 99999)}{r.choice('ABCD')}"
        expiry = datetime.date(2026, 6, 1) + datetime.timedelta(days=r.randint(0, 900))
        med = {
            "resourceType": "Medication",
            "code": {
                "coding": [
                    {"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": rxnorm},
                    {"system": "http://hl7.org/fhir/sid/ndc", "code": ndc, "display": display},
                ]
            },
            "batch": {"lotNumber": lot, "expirationDate": expiry.isoformat()},
        }
        if r.random() < 0.25:
            med["batch"]["expirationDate"] = f"{expiry:%m/%d/%Y}"
        got = _validate(Medication, med, r, f"formulary item {ndc}")
        if got is not None:
            _show(got, r, f"Medication lot {lot}")
    elif kind == 3:
        made = datetime.date(2022, 1, 1) + datetime.timedelta(days=r.randint(0, 1400))
        dev = {
            "resourceType": "Device",
            "displayName": r.choice(DEVICES),
            "serialNumber": f"SN-{r.randint(10000, 99999)}-{r.randint(100, 999)}",
            "lotNumber": f"LOT{r.randint(100000, 999999)}",
            "manufactureDate": made.isoformat(),
            "status": r.choice(["active", "inactive"]),
        }
        got = _validate(Device, dev, r, f"device inventory {n}")
        if got is not None:
            _show(got, r, "Device")
    elif kind == 4:
        start = datetime.datetime(2026, 3, 2, 8, tzinfo=datetime.UTC) + datetime.timedelta(
            days=r.randint(0, 200), minutes=15 * r.randint(0, 36)
        )
        slot: dict[str, Any] = {
            "resourceType": "Slot",
            "schedule": {"reference": f"Schedule/sch-{r.randint(1, 30)}"},
            "status": r.choice(["free", "busy", "busy-tentative"]),
            "start": start.isoformat(),
            "end": (start + datetime.timedelta(minutes=r.choice([15, 20, 30]))).isoformat(),
        }
        if r.random() < 0.3:
            del slot[r.choice(["status", "schedule", "start"])]
        got = _validate(Slot, slot, r, f"slot import batch {n}")
        if got is not None:
            _show(got, r, "Slot")
    else:
        total = r.randint(0, 400)
        bundle = Bundle.model_validate(
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": total,
                "link": [{"relation": "self", "url": f"{BASE}/Slot?status=free&_count=50"}],
            }
        )
        log.info("free slots (page %d): %s", n, bundle.model_dump_json())


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 151)
    for i, p in enumerate(patients):
        with cap.about(p):
            _patient(p, r, i + 1)
        for k in range(4):
            _benign(r, i * 4 + k)
