"""The `xmltodict` emitter of `eleventh_held.py`: xmltodict in the app's CDA document exchange.
Continuity-of-care documents built as dicts and written with `unparse` (pretty and on one
line, logged whole and line by line), partners' documents read with `parse` (the
`dict` reprs, with `@` attributes and `#text`, `force_list`, namespaces kept), the
`ExpatError`s of malformed uploads, and `unparse`'s own `ValueError`s. Formulary, device,
supplier and schedule documents and their errors for the benign lines."""

from __future__ import annotations

import datetime
import logging
import random
from typing import Any
from xml.parsers.expat import ExpatError

import xmltodict
from patients import Patient

log = logging.getLogger("clinic.cda")

CODES = (
    ("I10", "Essential hypertension"),
    ("E11.9", "Type 2 diabetes mellitus without complications"),
    ("J45.909", "Unspecified asthma, uncomplicated"),
    ("M17.11", "Primary osteoarthritis, right knee"),
    ("Z00.00", "General adult medical examination"),
)
AUTHORS = ("Harbor Family Medicine", "Northgate Pediatrics", "Westfield Renal Associates")


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 4, 6) + datetime.timedelta(days=r.randint(0, 240))


def _document(p: Patient, r: random.Random) -> dict[str, Any]:
    code, label = r.choice(CODES)
    patient: dict[str, Any] = {
        "name": {"given": p.first_name, "family": p.last_name},
        "administrativeGenderCode": {"@code": r.choice("MFU")},
        "birthTime": {"@value": p.dob.strftime("%Y%m%d")},
    }
    role: dict[str, Any] = {
        "id": [
            {"@root": "2.16.840.1.113883.19.5", "@extension": p.mrn},
            {"@root": "2.16.840.1.113883.4.1", "@extension": p.ssn},
        ][: r.choice([1, 1, 2])],
        "patient": patient,
    }
    extra = r.sample(["addr", "telecom", "email", "member"], r.randint(1, 3))
    if r.random() < 0.25:
        role["id"].append({"@root": "2.16.840.1.113883.4.3", "@extension": p.licence})
    if "addr" in extra:
        role["addr"] = {
            "@use": "HP",
            "streetAddressLine": p.street,
            "city": p.city,
            "state": p.state,
            "postalCode": p.zip,
        }
    if "telecom" in extra:
        role["telecom"] = {"@use": "HP", "@value": f"tel:{p.phone}"}
    if "email" in extra:
        role["telecom2"] = {"@value": f"mailto:{p.email}"}
    if "member" in extra:
        role["participant"] = {"id": {"@extension": p.member_id}, "code": {"@code": "SELF"}}
    return {
        "ClinicalDocument": {
            "@xmlns": "urn:hl7-org:v3",
            "title": "Continuity of Care Document",
            "effectiveTime": {"@value": _day(r).strftime("%Y%m%d")},
            "recordTarget": {"patientRole": role},
            "author": {"assignedAuthor": {"representedOrganization": r.choice(AUTHORS)}},
            "component": {"observation": {"code": {"@code": code, "@displayName": label}}},
        }
    }


def _bad(p: Patient, r: random.Random) -> str:
    kind = r.randrange(5)
    if kind == 0:
        return f"<patient><name>{p.first_name} {p.last_name}</nam><mrn>{p.mrn}</mrn></patient>"
    if kind == 1:
        return f"<patient mrn={p.mrn}><phone>{p.phone}</phone></patient>"
    if kind == 2:
        return f"<patient><email>{p.email}</email><note>Tom & Jerry</note></patient>"
    if kind == 3:
        return f"<patient><ssn>{p.ssn}</ssn></patient><patient/>"
    return f"<?xml version='1.0'?>\n<patient>\n  <city>{p.city}</city>\n  <zip>{p.zip}"


def _patient(p: Patient, r: random.Random, n: int) -> None:
    doc = _document(p, r)
    ref = f"CCD-{n:05d}"
    style = r.randrange(4)
    if style == 0:
        text = xmltodict.unparse(doc, pretty=True, indent="  ")
        log.info("outbound %s:\n%s", ref, text)
    elif style == 1:
        for line in xmltodict.unparse(doc, pretty=True, indent="  ").splitlines():
            log.debug("%s | %s", ref, line)
    elif style == 2:
        log.debug("sending %s: %s", ref, xmltodict.unparse(doc, full_document=False))
    else:
        text = xmltodict.unparse(doc)
        parsed = xmltodict.parse(text, force_list=("id",), process_namespaces=r.random() < 0.3)
        role = parsed.get("ClinicalDocument", parsed)
        log.info("inbound %s parsed: %r", ref, role)
        if r.random() < 0.5:
            target = next(iter(parsed.values()))
            key = next(k for k in target if k.endswith("recordTarget"))
            log.debug("recordTarget of %s: %s", ref, dict(target[key]))
    if r.random() < 0.5:
        name = r.choice([f"inbox/{ref}.xml", f"uploads/{p.mrn}.xml", "<partner feed>"])
        try:
            got = xmltodict.parse(_bad(p, r))
            log.info("upload %s parsed: %r", name, got)
        except ExpatError as exc:
            if r.random() < 0.3:
                log.exception("upload %s for MRN %s not parsed", name, p.mrn)
            else:
                log.warning("upload %s rejected (%s): %s", name, exc, _bad(p, r))
    if r.random() < 0.2:
        try:
            xmltodict.unparse({"name": p.last_name, "mrn": p.mrn})
        except ValueError as exc:
            log.error("export for %s %s failed: %s", p.first_name, p.last_name, exc)


def _benign(r: random.Random, n: int) -> None:
    kind = r.randrange(5)
    day = _day(r)
    if kind == 0:
        doc: dict[str, Any] = {
            "formulary": {
                "@version": f"{r.randint(1, 9)}.{r.randint(0, 30)}",
                "@effective": day.isoformat(),
                "drug": [
                    {"@ndc": f"{r.randint(1000, 99999)}-{r.randint(100, 999)}-{r.randint(10, 99)}",
                     "name": name, "onHand": str(r.randint(0, 500))}
                    for name in r.sample(
                        ["Atorvastatin 20 mg", "Losartan 50 mg", "Sertraline 50 mg",
                         "Levothyroxine 75 mcg", "Omeprazole 20 mg"], r.randint(1, 3))
                ],
            }
        }  # fmt: skip
    elif kind == 1:
        doc = {
            "device": {
                "@serial": f"SN{r.randint(10**7, 10**8 - 1)}",
                "model": r.choice(["Infusion pump IP-220", "ECG cart E-9", "Spirometer SP2"]),
                "calibrated": day.isoformat(),
                "firmware": f"{r.randint(1, 5)}.{r.randint(0, 20)}.{r.randint(0, 9)}",
            }
        }
    elif kind == 2:
        doc = {
            "purchaseOrder": {
                "@number": f"PO-2026-{r.randint(1, 99999):05d}",
                "supplier": r.choice(["Medline Industries", "Owens & Minor", "McKesson"]),
                "lines": str(r.randint(1, 40)),
                "total": f"{r.uniform(30, 9000):.2f}",
                "invoice": f"INV-2026-{r.randint(1, 999999):06d}",
            }
        }
    elif kind == 3:
        doc = {
            "schedule": {
                "@date": day.isoformat(),
                "slot": [
                    {"@room": room, "#text": f"{h:02d}:{m:02d}"}
                    for room in r.sample(["Exam 1", "Exam 4", "Lab", "Imaging"], 2)
                    for h, m in ((8, 0), (9, 30))
                ],
            }
        }
    else:
        bad = r.choice(
            [
                f"<formulary version='{n}'><drug>Losartan</drug>",
                f"<device serial=SN{n}></device>",
                f"<schedule><slot>08:00</slt></schedule><!-- batch {n} -->",
                f"<po><supplier>Owens & Minor</supplier><number>{n}</number></po>",
            ]
        )
        name = r.choice(["config/formulary.xml", f"imports/batch-{n}.xml", "<supplier feed>"])
        try:
            xmltodict.parse(bad)
        except ExpatError as exc:
            if r.random() < 0.3:
                log.exception("feed %s failed at batch %d", name, n)
            else:
                log.warning("feed %s not loaded: %s", name, exc)
        return
    how = r.randrange(3)
    if how == 0:
        log.info("document %d:\n%s", n, xmltodict.unparse(doc, pretty=True, indent="  "))
    elif how == 1:
        log.debug("document %d: %s", n, xmltodict.unparse(doc, full_document=False))
    else:
        log.debug("parsed document %d: %r", n, xmltodict.parse(xmltodict.unparse(doc)))


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 193)
    for i, p in enumerate(patients):
        with cap.about(p):
            _patient(p, r, i + 1)
        for k in range(4):
            _benign(r, i * 4 + k)
