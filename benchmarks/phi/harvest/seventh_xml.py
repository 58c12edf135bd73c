"""The `xml.etree` emitter of `seventh_held.py`: FHIR XML `Patient` resources and HL7 CDA
`recordTarget` headers built and parsed with `xml.etree.ElementTree`; what the app logs about the
documents, their elements and `ET.ParseError`s (with the offending line)."""

from __future__ import annotations

import logging
import random
import xml.etree.ElementTree as ET
from typing import Any

from patients import Patient

log = logging.getLogger("clinic.fhirxml")

FHIR = "http://hl7.org/fhir"
CDA = "urn:hl7-org:v3"
ET.register_namespace("", FHIR)
NS = {"f": FHIR, "c": CDA}
DEVICES = ("Infusion pump", "Pulse oximeter", "ECG monitor", "Glucometer", "Autoclave")
ROOMS = ("Exam 1", "Exam 2", "Infusion 3", "Imaging B", "Lab draw", "Triage")
SERVICES = ("Flu shot", "Physiotherapy", "Blood draw", "Follow-up", "X-ray")


def _sub(parent: ET.Element, tag: str, value: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if value is not None:
        el.set("value", value)
    return el


def _fhir_patient(p: Patient, r: random.Random) -> ET.Element:
    res = ET.Element(f"{{{FHIR}}}Patient")
    _sub(res, f"{{{FHIR}}}id", f"pat-{r.getrandbits(40):010x}")
    ident = _sub(res, f"{{{FHIR}}}identifier")
    _sub(ident, f"{{{FHIR}}}system", "urn:oid:2.16.840.1.113883.3.7201")
    _sub(ident, f"{{{FHIR}}}value", p.mrn)
    if r.random() < 0.5:
        ssn = _sub(res, f"{{{FHIR}}}identifier")
        _sub(ssn, f"{{{FHIR}}}system", "http://hl7.org/fhir/sid/us-ssn")
        _sub(ssn, f"{{{FHIR}}}value", p.ssn)
    name = _sub(res, f"{{{FHIR}}}name")
    _sub(name, f"{{{FHIR}}}family", p.last_name)
    _sub(name, f"{{{FHIR}}}given", p.first_name)
    tel = _sub(res, f"{{{FHIR}}}telecom")
    _sub(tel, f"{{{FHIR}}}system", "phone")
    _sub(tel, f"{{{FHIR}}}value", p.phone)
    if r.random() < 0.6:
        mail = _sub(res, f"{{{FHIR}}}telecom")
        _sub(mail, f"{{{FHIR}}}system", "email")
        _sub(mail, f"{{{FHIR}}}value", p.email)
    _sub(res, f"{{{FHIR}}}gender", r.choice(["female", "male", "unknown"]))
    _sub(res, f"{{{FHIR}}}birthDate", p.dob.isoformat())
    addr = _sub(res, f"{{{FHIR}}}address")
    _sub(addr, f"{{{FHIR}}}line", p.street)
    _sub(addr, f"{{{FHIR}}}city", p.city)
    _sub(addr, f"{{{FHIR}}}state", p.state)
    _sub(addr, f"{{{FHIR}}}postalCode", p.zip)
    return res


def _cda_header(p: Patient) -> str:
    return (
        f'<ClinicalDocument xmlns="{CDA}"><recordTarget><patientRole>'
        f'<id root="2.16.840.1.113883.19.5" extension="{p.mrn}"/>'
        f"<addr><streetAddressLine>{p.street}</streetAddressLine><city>{p.city}</city>"
        f"<state>{p.state}</state><postalCode>{p.zip}</postalCode></addr>"
        f'<telecom value="tel:{p.phone}"/><telecom value="mailto:{p.email}"/>'
        f"<patient><name><given>{p.first_name}</given><family>{p.last_name}</family></name>"
        f'<birthTime value="{p.dob:%Y%m%d}"/></patient></patientRole></recordTarget>'
        f"</ClinicalDocument>"
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _walk(root: ET.Element, r: random.Random, what: str) -> None:
    for el in root.iter():
        value = el.get("value")
        text = (el.text or "").strip()
        if value is None and not text:
            continue
        roll = r.random()
        if roll < 0.4:
            log.debug("%s %s = %r", what, _local(el.tag), value if value is not None else text)
        elif roll < 0.6:
            log.debug("%r attrib %s text %r", el, el.attrib, el.text)
        elif roll < 0.75:
            log.debug("%s", ET.tostring(el, encoding="unicode").strip())


def _patient(p: Patient, r: random.Random) -> None:
    res = _fhir_patient(p, r)
    if r.random() < 0.5:
        raw = ET.tostring(res, encoding="unicode")
        log.info("PUT Patient/%s body %s", res[0].get("value"), raw)
    else:
        ET.indent(res)
        raw = ET.tostring(res, encoding="unicode")
        log.debug("Patient resource:\n%s", raw)
    doc = ET.fromstring(raw)
    family = doc.find("f:name/f:family", NS)
    given = doc.find("f:name/f:given", NS)
    log.info(
        "parsed Patient %s %s born %s MRN %s",
        given.get("value") if given is not None else None,
        family.get("value") if family is not None else None,
        doc.find("f:birthDate", NS).get("value"),  # type: ignore[union-attr]
        doc.find("f:identifier/f:value", NS).get("value"),  # type: ignore[union-attr]
    )
    _walk(doc, r, "Patient")
    if r.random() < 0.5:
        cda = ET.fromstring(_cda_header(p))
        role = cda.find("c:recordTarget/c:patientRole", NS)
        assert role is not None
        log.info(
            "CDA recordTarget %s, %s id %s",
            role.findtext("c:patient/c:name/c:family", namespaces=NS),
            role.findtext("c:patient/c:name/c:given", namespaces=NS),
            role.find("c:id", NS).get("extension"),  # type: ignore[union-attr]
        )
        _walk(cda, r, "CDA")
    _broken(p, r)


def _broken(p: Patient, r: random.Random) -> None:
    roll = r.random()
    if roll < 0.25:
        doc = _cda_header(p).replace(f"<city>{p.city}</city>", f"<city>{p.city}</town>")
    elif roll < 0.45:
        doc = _cda_header(p).replace(f"<given>{p.first_name}", f"<given>{p.first_name} & family")
    elif roll < 0.6:
        full = _cda_header(p)
        cuts = [i for i, c in enumerate(full) if c == "<" and i > 100]
        doc = full[: r.choice(cuts)]  # cut at a tag: no value is cut in two
    elif roll < 0.7:
        doc = "\n".join(
            [
                '<?xml version="1.0"?>',
                f'<Patient xmlns="{FHIR}">',
                f'  <birthDate value="{p.dob.isoformat()}">',
                f'  <telecom><value value="{p.phone}"/></telecom>',
                "</Patient>",
            ]
        )
    else:
        return
    try:
        ET.fromstring(doc)
    except ET.ParseError as exc:
        line, column = exc.position
        bad = doc.split("\n")[line - 1]
        if r.random() < 0.5:
            log.error("document rejected: %s (column %d) in %r", exc, column, bad)
        else:
            log.exception("cannot parse document for MRN %s", p.mrn)


# --- benign ---------------------------------------------------------------------------------


def _benign(r: random.Random) -> None:
    kind = r.choice(["Location", "Device", "Slot", "CapabilityStatement"])
    res = ET.Element(f"{{{FHIR}}}{kind}")
    rid = f"{r.getrandbits(32):08x}-{r.getrandbits(16):04x}-{r.getrandbits(16):04x}"
    _sub(res, f"{{{FHIR}}}id", rid)
    if kind == "Location":
        _sub(res, f"{{{FHIR}}}name", r.choice(ROOMS))
        _sub(res, f"{{{FHIR}}}status", r.choice(["active", "suspended"]))
        _sub(res, f"{{{FHIR}}}floor", str(r.randint(1, 6)))
    elif kind == "Device":
        _sub(res, f"{{{FHIR}}}deviceName", r.choice(DEVICES))
        _sub(res, f"{{{FHIR}}}serialNumber", f"SN{r.randint(100000, 999999)}")
        _sub(res, f"{{{FHIR}}}lotNumber", f"L{r.randint(1000, 9999)}")
    elif kind == "Slot":
        day = f"2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        _sub(res, f"{{{FHIR}}}serviceType", r.choice(SERVICES))
        _sub(res, f"{{{FHIR}}}start", f"{day}T{r.randint(7, 17):02d}:00:00Z")
        _sub(res, f"{{{FHIR}}}status", r.choice(["free", "busy"]))
    else:
        _sub(res, f"{{{FHIR}}}version", f"{r.randint(1, 4)}.{r.randint(0, 20)}.{r.randint(0, 9)}")
        _sub(res, f"{{{FHIR}}}fhirVersion", r.choice(["4.0.1", "5.0.0"]))
        _sub(res, f"{{{FHIR}}}format", "xml")
    if r.random() < 0.5:
        raw = ET.tostring(res, encoding="unicode")
        log.info("PUT %s/%s body %s", kind, rid, raw)
    else:
        ET.indent(res)
        raw = ET.tostring(res, encoding="unicode")
        log.debug("%s resource:\n%s", kind, raw)
    doc = ET.fromstring(raw)
    log.info("parsed %s %s with %d elements", kind, rid, len(list(doc.iter())))
    _walk(doc, r, kind)
    if r.random() < 0.25:
        bad = raw.replace("</", "<", 1) if r.random() < 0.5 else raw[: r.randint(40, len(raw))]
        try:
            ET.fromstring(bad)
        except ET.ParseError as exc:
            if r.random() < 0.5:
                log.error("%s %s rejected: %s", kind, rid, exc)
            else:
                log.exception("cannot parse %s %s", kind, rid)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 113)
    for p in patients:
        for _ in range(3):
            with cap.about(p):
                _patient(p, r)
    for _ in range(600):
        _benign(r)
