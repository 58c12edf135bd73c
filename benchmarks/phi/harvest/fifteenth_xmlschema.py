"""The `xmlschema` emitter of `fifteenth_held.py`: XML documents the app receives and sends
(referrals from other practices, eligibility answers from a payer, lab orders, e-prescriptions in
an NCPDP-SCRIPT-like shape, card-on-file authorizations) checked with `xmlschema` against XSDs of
their own, given as text (no file, no network), as an app logs what it says: validation and
decoding errors (`str`, many lines: the reason, the schema component, the instance, the path;
`repr`; `reason`, `path`, `message`), `iter_errors` one by one, `to_dict` results of valid
documents and `lax` decodings with their errors, `XMLSchemaValidationError` tracebacks, and the
`XMLSchemaParseError` of a schema edited wrong. The patients' values break the schemas the way
real ones do: phones in national formats where a US pattern is expected, ZIP+4 codes, identifier
shapes a pattern does not know, dates typed as the front desk types them, long street names.
Supply counts, device heartbeats, clinic schedules and formulary entries for the benign lines.
Memory addresses in the reprs are replaced by a fixed one."""

from __future__ import annotations

import datetime
import logging
import random
from typing import Any
from xml.sax.saxutils import escape

import xmlschema
from patients import Patient

log = logging.getLogger("clinic.documents")
XS = 'xmlns:xs="http://www.w3.org/2001/XMLSchema"'


def _schema(ns: str, body: str) -> str:
    return (
        f'<?xml version="1.0"?><xs:schema {XS} targetNamespace="{ns}" xmlns="{ns}" '
        f'elementFormDefault="qualified">{body}</xs:schema>'
    )


def _pattern(name: str, regex: str) -> str:
    return (
        f'<xs:simpleType name="{name}"><xs:restriction base="xs:string">'
        f'<xs:pattern value="{regex}"/></xs:restriction></xs:simpleType>'
    )


def _enum(name: str, *values: str) -> str:
    items = "".join(f'<xs:enumeration value="{v}"/>' for v in values)
    return (
        f'<xs:simpleType name="{name}"><xs:restriction base="xs:string">{items}'
        "</xs:restriction></xs:simpleType>"
    )


def _max(name: str, size: int) -> str:
    return (
        f'<xs:simpleType name="{name}"><xs:restriction base="xs:string">'
        f'<xs:maxLength value="{size}"/></xs:restriction></xs:simpleType>'
    )


def _seq(*elements: str) -> str:
    return f"<xs:complexType><xs:sequence>{''.join(elements)}</xs:sequence></xs:complexType>"


def _el(name: str, kind: str = "xs:string", low: int = 1, high: int = 1) -> str:
    return f'<xs:element name="{name}" type="{kind}" minOccurs="{low}" maxOccurs="{high}"/>'


ADDRESS = _seq(
    _el("street", "Street"), _el("city", "Name"), _el("state", "State"), _el("zip", "Zip")
)
COMMON = (
    _pattern("Phone", r"\(\d{3}\) \d{3}-\d{4}")
    + _pattern("Zip", r"\d{5}")
    + _pattern("Ssn", r"\d{3}-\d{2}-\d{4}")
    + _pattern("Email", r"[^@ ]+@[^@ ]+\.(com|org|net|edu)")
    + _max("Street", 26)
    + _max("Name", 14)
    + _enum("State", "AZ", "CA", "FL", "IL", "MA", "MI", "NJ", "NY", "OH", "PA", "TX", "WA")
    + _enum("Sex", "F", "M", "U")
)
REFERRAL_NS = "urn:lakeside:referral:1"
REFERRAL = _schema(
    REFERRAL_NS,
    COMMON
    + _pattern("Mrn", r"[A-Z]{2}\d{7}|P\d{3}\.\d{3}\.\d{2}")
    + _enum("Priority", "routine", "urgent", "stat")
    + '<xs:element name="referral">'
    + _seq(
        '<xs:element name="patient"><xs:complexType><xs:sequence>'
        + _el("given", "Name")
        + _el("family", "Name")
        + _el("birthDate", "xs:date")
        + _el("sex", "Sex", 0)
        + _el("ssn", "Ssn", 0)
        + _el("phone", "Phone", 0, 2)
        + _el("email", "Email", 0)
        + f'<xs:element name="address" minOccurs="0">{ADDRESS}</xs:element>'
        + '</xs:sequence><xs:attribute name="mrn" type="Mrn" use="required"/>'
        + "</xs:complexType></xs:element>",
        _el("reason"),
        _el("priority", "Priority"),
        _el("referringNpi", "Npi"),
    )
    + "</xs:element>"
    + _pattern("Npi", r"\d{10}"),
)
ELIGIBILITY_NS = "urn:lakeside:eligibility:2"
ELIGIBILITY = _schema(
    ELIGIBILITY_NS,
    COMMON
    + _pattern("Member", r"[A-Z]{2}\d{3} \d{3} \d{3}|ID\d{9}[A-Z]")
    + _pattern("Mbi", r"\d[A-Z][A-Z0-9]\d[A-Z][A-Z0-9]\d[A-Z]{2}\d{2}")
    + '<xs:element name="eligibility">'
    + _seq(
        '<xs:element name="subscriber">'
        + _seq(
            _el("memberId", "Member"),
            _el("mbi", "Mbi", 0),
            _el("first", "Name"),
            _el("last", "Name"),
            _el("dob", "xs:date"),
            _el("sex", "Sex", 0),
        )
        + "</xs:element>",
        '<xs:element name="coverage">'
        + _seq(_el("plan"), _el("effective", "xs:date"), _el("copay", "xs:decimal", 0))
        + "</xs:element>",
        _el("traceNumber"),
    )
    + "</xs:element>",
)
LAB_NS = "urn:lakeside:laborder:1"
LAB = _schema(
    LAB_NS,
    COMMON
    + '<xs:element name="labOrder">'
    + _seq(
        _el("accession", "xs:positiveInteger"),
        '<xs:element name="patient">'
        + _seq(
            _el("mrn"),
            _el("name"),
            _el("dob", "xs:date"),
            _el("sex", "Sex"),
            _el("account", "Account", 0),
        )
        + "</xs:element>",
        _el("test", "xs:string", 1, 5),
        _el("collected", "xs:dateTime"),
    )
    + "</xs:element>"
    + _pattern("Account", r"AC\d{2}-\d{6}|BL\.\d{8}"),
)
RX_NS = "urn:lakeside:script:2017071"
RX = _schema(
    RX_NS,
    COMMON
    + '<xs:element name="NewRx">'
    + _seq(
        '<xs:element name="Patient">'
        + _seq(
            _el("LastName", "Name"),
            _el("FirstName", "Name"),
            _el("DateOfBirth", "xs:date"),
            f'<xs:element name="Address">{ADDRESS}</xs:element>',
            _el("PrimaryTelephone", "Phone"),
            _el("ElectronicMail", "Email", 0),
            _el("DriversLicense", "Licence", 0),
        )
        + "</xs:element>",
        _el("DrugDescription"),
        _el("Quantity", "xs:decimal"),
        _el("DaysSupply", "xs:positiveInteger"),
    )
    + "</xs:element>"
    + _pattern("Licence", r"[A-Z]\d{12}|\d{9}"),
)
CARD_NS = "urn:lakeside:cardonfile:1"
CARD = _schema(
    CARD_NS,
    COMMON
    + _pattern("Pan", r"\d{15,16}")
    + '<xs:element name="authorization">'
    + _seq(
        _el("cardholder", "Name"),
        _el("pan", "Pan"),
        _el("expiry", "xs:gYearMonth"),
        _el("billingZip", "Zip"),
        _el("amount", "xs:decimal"),
        _el("clientIp", "Ip", 0),
    )
    + "</xs:element>"
    + _pattern("Ip", r"(\d{1,3}\.){3}\d{1,3}"),
)
INVENTORY_NS = "urn:lakeside:inventory:1"
INVENTORY = _schema(
    INVENTORY_NS,
    _pattern("Sku", r"[A-Z]{3}-\d{4}")
    + _pattern("Ndc", r"\d{4,5}-\d{3,4}-\d{2}")
    + _enum("Location", "pharmacy", "ward-3", "ward-5", "clinic-b")
    + '<xs:element name="count">'
    + _seq(
        _el("sku", "Sku"),
        _el("ndc", "Ndc", 0),
        _el("onHand", "xs:nonNegativeInteger"),
        _el("location", "Location"),
        _el("counted", "xs:date"),
    )
    + "</xs:element>",
)
DEVICE_NS = "urn:lakeside:device:3"
DEVICE = _schema(
    DEVICE_NS,
    _pattern("Serial", r"(INF|ECG|SPO2)-\d{6}")
    + _pattern("Firmware", r"\d+\.\d+\.\d+")
    + '<xs:element name="heartbeat">'
    + _seq(
        _el("serial", "Serial"),
        _el("firmware", "Firmware"),
        _el("room", "xs:positiveInteger"),
        _el("battery", "xs:decimal", 0),
        _el("seen", "xs:dateTime"),
    )
    + "</xs:element>",
)
SCHEDULE_NS = "urn:lakeside:schedule:1"
SCHEDULE = _schema(
    SCHEDULE_NS,
    '<xs:element name="slot">'
    + _seq(
        _el("room", "xs:positiveInteger"),
        _el("start", "xs:dateTime"),
        _el("minutes", "xs:positiveInteger"),
        _el("provider"),
        _el("kind", "Kind"),
    )
    + "</xs:element>"
    + _enum("Kind", "new", "follow-up", "procedure", "telehealth"),
)


def _doc(root: str, ns: str, inner: str, attrs: str = "") -> str:
    return f'<{root} xmlns="{ns}"{attrs}>{inner}</{root}>'


def _tags(**fields: Any) -> str:
    out = []
    for k, v in fields.items():
        if v is None:
            continue
        for one in v if isinstance(v, list) else [v]:
            out.append(f"<{k}>{escape(str(one))}</{k}>")
    return "".join(out)


def _born(p: Patient, r: random.Random) -> str:
    return r.choice([p.dob.isoformat()] * 4 + [f"{p.dob:%m/%d/%Y}", f"{p.dob:%Y%m%d}"])


def _address(p: Patient, r: random.Random) -> str:
    return _tags(street=p.street, city=p.city, state=p.state, zip=p.zip)


def _referral(p: Patient, r: random.Random) -> str:
    inner = _tags(
        given=p.first_name,
        family=p.last_name,
        birthDate=_born(p, r),
        sex=r.choice(["F", "M", "Female", None]),
        ssn=p.ssn if r.random() < 0.55 else None,
        phone=p.phone if r.random() < 0.8 else None,
        email=p.email if r.random() < 0.6 else None,
    )
    if r.random() < 0.6:
        inner += f"<address>{_address(p, r)}</address>"
    if r.random() < 0.1:
        inner += _tags(middleName=p.first_name[:1])
    patient = f'<patient mrn="{escape(p.mrn)}">{inner}</patient>'
    rest = _tags(
        reason=r.choice(["palpitations", "CKD stage 3", "chronic cough", "knee pain"]),
        priority=r.choice(["routine", "urgent", "ASAP"]),
        referringNpi=f"1{r.randint(10**8, 10**9 - 1)}",
    )
    return _doc("referral", REFERRAL_NS, patient + rest)


def _eligibility(p: Patient, r: random.Random) -> str:
    subscriber = _tags(
        memberId=p.member_id,
        mbi=p.mbi if r.random() < 0.5 else None,
        first=p.first_name,
        last=p.last_name,
        dob=_born(p, r),
        sex=r.choice(["F", "M", None]),
    )
    day = datetime.date(2026, 1, 1) + datetime.timedelta(days=r.randint(0, 150))
    coverage = _tags(
        plan=f"PPO-{r.randint(100, 999)}",
        effective=r.choice([day.isoformat(), f"{day:%m/%d/%Y}"]),
        copay=r.choice(["25.00", "$40", "10"]),
    )
    inner = f"<subscriber>{subscriber}</subscriber><coverage>{coverage}</coverage>"
    inner += _tags(traceNumber=f"TRN{r.randint(10**9, 10**10 - 1)}")
    return _doc("eligibility", ELIGIBILITY_NS, inner)


def _lab(p: Patient, r: random.Random) -> str:
    patient = _tags(
        mrn=p.mrn,
        name=r.choice([f"{p.last_name}, {p.first_name}", f"{p.first_name} {p.last_name}"]),
        dob=_born(p, r),
        sex=r.choice(["F", "M", "X"]),
        account=p.account if r.random() < 0.5 else None,
    )
    stamp = datetime.datetime(2026, 5, 4, 7, 0) + datetime.timedelta(minutes=r.randint(0, 9000))
    inner = _tags(accession=r.choice([r.randint(10**6, 10**7), f"A-{r.randint(1000, 9999)}"]))
    inner += f"<patient>{patient}</patient>"
    inner += _tags(
        test=r.sample(["CMP", "CBC", "A1C", "TSH", "LIPID", "UA"], r.randint(1, 3)),
        collected=r.choice([stamp.isoformat(), f"{stamp:%m/%d/%Y %H:%M}"]),
    )
    return _doc("labOrder", LAB_NS, inner)


def _rx(p: Patient, r: random.Random) -> str:
    patient = _tags(
        LastName=p.last_name,
        FirstName=p.first_name,
        DateOfBirth=_born(p, r),
    )
    patient += f"<Address>{_address(p, r)}</Address>"
    patient += _tags(
        PrimaryTelephone=p.phone,
        ElectronicMail=p.email if r.random() < 0.5 else None,
        DriversLicense=p.licence if r.random() < 0.7 else None,
    )
    inner = f"<Patient>{patient}</Patient>" + _tags(
        DrugDescription=r.choice(
            ["metformin 500 mg tablet", "lisinopril 10 mg tablet", "atorvastatin 20 mg"]
        ),
        Quantity=r.choice(["30", "90", "thirty"]),
        DaysSupply=r.choice(["30", "90", "0"]),
    )
    return _doc("NewRx", RX_NS, inner)


def _card(p: Patient, r: random.Random) -> str:
    inner = _tags(
        cardholder=f"{p.first_name} {p.last_name}",
        pan=p.card,
        expiry=r.choice(
            [
                f"{r.randint(2026, 2031)}-{r.randint(1, 12):02d}",
                f"{r.randint(1, 12):02d}/{r.randint(26, 31)}",
            ]
        ),
        billingZip=p.zip,
        amount=r.choice(["25.00", "140.50", "$60"]),
        clientIp=p.ip if r.random() < 0.6 else None,
    )
    return _doc("authorization", CARD_NS, inner)


def _report(schema: xmlschema.XMLSchema, doc: str, what: str, r: random.Random) -> None:
    how = r.randrange(8)
    if how == 0:
        try:
            schema.validate(doc)
            log.info("%s valid", what)
        except xmlschema.XMLSchemaValidationError as exc:
            log.warning("%s rejected: %s", what, exc)
    elif how == 1:
        for error in schema.iter_errors(doc):
            log.warning("%s: %s (at %s)", what, error.reason, error.path)
    elif how == 2:
        for error in schema.iter_errors(doc):
            log.debug("%s error %r", what, error)
    elif how == 3:
        for error in schema.iter_errors(doc):
            log.warning("%s: %s", what, error.message)
            break
    elif how == 4:
        try:
            data = schema.to_dict(doc)
            log.info("%s decoded: %s", what, data)
        except xmlschema.XMLSchemaValidationError as exc:
            log.error("%s not decoded: %s", what, exc.reason)
    elif how == 5:
        data, errors = schema.to_dict(doc, validation="lax")
        log.info("%s decoded (lax, %d errors): %s", what, len(errors), data)
        for error in errors[:2]:
            log.debug("  %s", error.reason)
    elif how == 6:
        try:
            schema.validate(doc)
        except xmlschema.XMLSchemaValidationError:
            log.exception("%s failed validation", what)
    else:
        errors = list(schema.iter_errors(doc))
        if errors:
            log.warning("%s: %d errors, first:\n%s", what, len(errors), errors[0])
        else:
            log.info("%s ok: %s", what, schema.to_dict(doc))


def _benign(schemas: dict[str, xmlschema.XMLSchema], r: random.Random) -> None:
    day = datetime.date(2026, 5, 4) + datetime.timedelta(days=r.randint(-40, 40))
    kind = r.randrange(5)
    if kind == 0:
        inner = _tags(
            sku=r.choice([f"GLV-{r.randint(1000, 9999)}", f"syr-{r.randint(100, 999)}"]),
            ndc=r.choice(
                [None, f"{r.randint(1000, 99999)}-{r.randint(100, 9999)}-{r.randint(10, 99)}"]
            ),
            onHand=r.choice([r.randint(0, 900), -r.randint(1, 5)]),
            location=r.choice(["pharmacy", "ward-3", "er", "clinic-b"]),
            counted=r.choice([day.isoformat(), f"{day:%d.%m.%Y}"]),
        )
        _report(schemas["inventory"], _doc("count", INVENTORY_NS, inner), "stock count", r)
    elif kind == 1:
        seen = datetime.datetime(2026, 5, 4) + datetime.timedelta(seconds=r.randint(0, 86400 * 30))
        inner = _tags(
            serial=f"{r.choice(['INF', 'ECG', 'PUMP', 'SPO2'])}-{r.randint(100000, 999999)}",
            firmware=r.choice(
                [
                    "2.4.1",
                    "3.0",
                    "1.12.7",
                    f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 9)}",
                ]
            ),
            room=r.choice([r.randint(100, 450), 0]),
            battery=r.choice([f"{r.random():.2f}", "low"]),
            seen=seen.isoformat(),
        )
        _report(schemas["device"], _doc("heartbeat", DEVICE_NS, inner), "device heartbeat", r)
    elif kind == 2:
        start = datetime.datetime(
            day.year, day.month, day.day, r.randint(7, 17), r.choice([0, 15, 30, 45])
        )
        inner = _tags(
            room=r.randint(100, 420),
            start=r.choice([start.isoformat(), f"{start:%Y-%m-%d %H:%M}"]),
            minutes=r.choice([15, 30, 45, 60, 0]),
            provider=r.choice(["Dr. Helen Park", "Dr. Samuel Okoro", "NP Carla Reyes"]),
            kind=r.choice(["new", "follow-up", "telehealth", "walk-in"]),
        )
        _report(schemas["schedule"], _doc("slot", SCHEDULE_NS, inner), "schedule slot", r)
    elif kind == 3:
        broken = INVENTORY.replace(
            'type="xs:nonNegativeInteger"', r.choice(['type="xs:nonNegativeInt"', 'type="Count"'])
        )
        try:
            xmlschema.XMLSchema(broken)
        except xmlschema.XMLSchemaParseError as exc:
            log.error("inventory schema not loaded: %s", exc.message)
        except xmlschema.XMLSchemaException as exc:
            log.error("inventory schema not loaded: %s", exc)
    else:
        inner = _tags(
            sku=f"RX-{r.randint(1000, 9999)}",
            ndc=f"{r.randint(1000, 99999)}-{r.randint(100, 9999)}-{r.randint(10, 99)}",
            onHand=r.randint(0, 400),
            location="pharmacy",
            counted=day.isoformat(),
        )
        _report(schemas["inventory"], _doc("count", INVENTORY_NS, inner), "formulary count", r)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 801)
    schemas = {
        name: xmlschema.XMLSchema(text)
        for name, text in (
            ("referral", REFERRAL),
            ("eligibility", ELIGIBILITY),
            ("lab", LAB),
            ("rx", RX),
            ("card", CARD),
            ("inventory", INVENTORY),
            ("device", DEVICE),
            ("schedule", SCHEDULE),
        )
    }
    makers = [
        ("referral", _referral, "referral"),
        ("eligibility", _eligibility, "eligibility response"),
        ("lab", _lab, "lab order"),
        ("rx", _rx, "NewRx"),
        ("card", _card, "card authorization"),
    ]
    for p in patients:
        with cap.about(p):
            for _ in range(4):
                name, make, what = r.choice(makers)
                _report(schemas[name], make(p, r), what, r)
        for _ in range(4):
            _benign(schemas, r)
