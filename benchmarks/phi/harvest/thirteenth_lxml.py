"""The `lxml` emitter of `thirteenth_held.py`: the app's XML intake from partners (referral and
registration documents, as hospitals' and payers' interfaces send them) parsed and checked with
lxml against the app's XML Schema, transformed by XSLT into its own summary, and the supply
orders of its purchasing module checked the same way. Captured: what the intake logs: the
schema's `error_log` entries (`<string>:7:0:ERROR:SCHEMASV:SCHEMAV_CVC_PATTERN_VALID: Element
'ssn': [facet 'pattern'] The value '...' is not accepted by the pattern ...`), their messages,
lines and paths, `DocumentInvalid` from `assertValid` with the traceback, `XMLSyntaxError`s of
malformed uploads and the parser's `error_log`, the `xsl:message` lines of the XSLT (its
`error_log`), `xpath` results, elements written back with `tostring` and whole documents
pretty-printed, line by line. Supply orders, deliveries, lots and NDCs, with their own schema
errors, for the benign lines. Memory addresses are replaced by a fixed one."""

from __future__ import annotations

import datetime
import logging
import random
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree
from patients import Patient

log = logging.getLogger("clinic.intake")

_XS = 'xmlns:xs="http://www.w3.org/2001/XMLSchema"'


def _restricted(name: str, pattern: str, *, optional: bool = True) -> str:
    occurs = ' minOccurs="0"' if optional else ""
    return (
        f'<xs:element name="{name}"{occurs}><xs:simpleType><xs:restriction base="xs:string">'
        f'<xs:pattern value="{pattern}"/></xs:restriction></xs:simpleType></xs:element>'
    )


P_MRN = r"[A-Z]{2,3}-\d{6,8}|\d{8}"
P_SSN = r"\d{3}-\d{2}-\d{4}"
P_PHONE = r"\+1\d{10}"
P_POSTALCODE = r"\d{5}"
P_MEMBERID = r"[A-Z0-9]{9,12}"
P_MBI = r"\d[A-Z][A-Z0-9]\d[A-Z][A-Z0-9]\d[A-Z]{2}\d{2}"
P_NUMBER = r"PO-\d{4}-\d{5}"
P_NDC = r"\d{4,5}-\d{3,4}-\d{1,2}"

INTAKE_XSD = f"""<xs:schema {_XS}>
<xs:element name="referral"><xs:complexType><xs:sequence>
<xs:element name="sender" type="xs:string"/>
<xs:element name="patient"><xs:complexType><xs:sequence>
{_restricted("mrn", P_MRN, optional=False)}
<xs:element name="name"><xs:complexType><xs:sequence>
<xs:element name="given" type="xs:string"/><xs:element name="family" type="xs:string"/>
</xs:sequence></xs:complexType></xs:element>
<xs:element name="birthDate" type="xs:date"/>
{_restricted("ssn", P_SSN)}
{_restricted("phone", P_PHONE)}
<xs:element name="email" type="xs:string" minOccurs="0"/>
<xs:element name="address" minOccurs="0"><xs:complexType><xs:sequence>
<xs:element name="line" type="xs:string"/><xs:element name="city" type="xs:string"/>
<xs:element name="state"><xs:simpleType><xs:restriction base="xs:string">
<xs:length value="2"/></xs:restriction></xs:simpleType></xs:element>
{_restricted("postalCode", P_POSTALCODE, optional=False)}
</xs:sequence></xs:complexType></xs:element>
<xs:element name="coverage" minOccurs="0"><xs:complexType><xs:sequence>
{_restricted("memberId", P_MEMBERID, optional=False)}
{_restricted("mbi", P_MBI)}
</xs:sequence></xs:complexType></xs:element>
</xs:sequence></xs:complexType></xs:element>
<xs:element name="reason" type="xs:string"/>
</xs:sequence>
<xs:attribute name="received" type="xs:dateTime" use="required"/>
</xs:complexType></xs:element>
</xs:schema>"""

ORDER_XSD = f"""<xs:schema {_XS}>
<xs:element name="order"><xs:complexType><xs:sequence>
{_restricted("number", P_NUMBER, optional=False)}
<xs:element name="supplier" type="xs:string"/>
<xs:element name="deliveryDate" type="xs:date"/>
<xs:element name="item" maxOccurs="unbounded"><xs:complexType><xs:sequence>
{_restricted("ndc", P_NDC, optional=False)}
<xs:element name="description" type="xs:string"/>
<xs:element name="quantity" type="xs:positiveInteger"/>
<xs:element name="lot" type="xs:string" minOccurs="0"/>
</xs:sequence></xs:complexType></xs:element>
</xs:sequence></xs:complexType></xs:element>
</xs:schema>"""

SUMMARY_XSL = """<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:template match="/referral">
<xsl:if test="not(patient/coverage)"><xsl:message>referral from <xsl:value-of select="sender"/>
for <xsl:value-of select="patient/name/family"/>, <xsl:value-of select="patient/name/given"/>
has no coverage</xsl:message></xsl:if>
<xsl:if test="not(patient/address)"><xsl:message>no address for MRN <xsl:value-of
select="patient/mrn"/></xsl:message></xsl:if>
<summary mrn="{patient/mrn}"><xsl:value-of select="reason"/></summary>
</xsl:template>
<xsl:template match="/order">
<xsl:for-each select="item[quantity &gt; 500]"><xsl:message>large quantity <xsl:value-of
select="quantity"/> of <xsl:value-of select="ndc"/> on <xsl:value-of select="../number"/>
</xsl:message></xsl:for-each>
<summary order="{number}"/>
</xsl:template>
</xsl:stylesheet>"""

SENDERS = ("St. Anne Regional", "Lakeview Cardiology", "Metro Payer Gateway", "County HIE")
REASONS = ("cardiology consult", "MRI knee follow-up", "diabetes education", "sleep study")
SUPPLIERS = ("McKesson", "Cardinal Health", "Henry Schein", "Medline")
DRUGS = (
    ("0093-7146-56", "Metformin HCl 500 mg tab"),
    ("0071-0155-23", "Atorvastatin 20 mg tab"),
    ("0173-0682-20", "Albuterol HFA 90 mcg inh"),
    ("50090-2875-0", "Amoxicillin 500 mg cap"),
)


def _day(r: random.Random) -> datetime.date:
    return datetime.date(2026, 2, 23) + datetime.timedelta(days=r.randint(0, 300))


def _stamp(r: random.Random) -> str:
    return f"{_day(r).isoformat()}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:00Z"


def _referral(p: Patient, r: random.Random) -> str:
    e = escape
    born = r.choice([p.dob.isoformat()] * 3 + [f"{p.dob:%m/%d/%Y}", f"{p.dob:%Y%m%d}"])
    parts = [
        f'<referral received="{_stamp(r) if r.random() < 0.85 else _day(r).isoformat()}">',
        f"  <sender>{e(r.choice(SENDERS))}</sender>",
        "  <patient>",
        f"    <mrn>{e(p.mrn)}</mrn>",
        f"    <name><given>{e(p.first_name)}</given><family>{e(p.last_name)}</family></name>",
        f"    <birthDate>{born}</birthDate>",
    ]
    if r.random() < 0.5:
        parts.append(f"    <ssn>{e(p.ssn)}</ssn>")
    if r.random() < 0.6:
        parts.append(f"    <phone>{e(p.phone)}</phone>")
    if r.random() < 0.5:
        parts.append(f"    <email>{e(p.email)}</email>")
    if r.random() < 0.7:
        parts += [
            "    <address>",
            f"      <line>{e(p.street)}</line>",
            f"      <city>{e(p.city)}</city>",
            f"      <state>{p.state}</state>",
            f"      <postalCode>{e(p.zip)}</postalCode>",
            "    </address>",
        ]
    if r.random() < 0.6:
        parts += [
            "    <coverage>",
            f"      <memberId>{e(p.member_id)}</memberId>",
            f"      <mbi>{e(p.mbi)}</mbi>",
            "    </coverage>",
        ]
    if r.random() < 0.15:
        parts.append(f"    <account>{e(p.account)}</account>")
    parts += ["  </patient>", f"  <reason>{r.choice(REASONS)}</reason>", "</referral>"]
    return "\n".join(parts)


def _order(r: random.Random) -> str:
    number = r.choice([f"PO-2026-{r.randint(1, 99999):05d}", f"PO{r.randint(100000, 999999)}"])
    day = _day(r)
    delivery = day.isoformat() if r.random() < 0.7 else f"{day:%m/%d/%Y}"
    parts = [
        "<order>",
        f"  <number>{number}</number>",
        f"  <supplier>{r.choice(SUPPLIERS)}</supplier>",
        f"  <deliveryDate>{delivery}</deliveryDate>",
    ]
    for _ in range(r.randint(1, 3)):
        ndc, item = r.choice(DRUGS)
        quantity = r.choice([r.randint(1, 900), 0, -r.randint(1, 20)])
        parts += [
            "  <item>",
            f"    <ndc>{ndc}</ndc>",
            f"    <description>{item}</description>",
            f"    <quantity>{quantity}</quantity>",
            f"    <lot>L{r.randint(10000, 99999)}{r.choice('ABC')}</lot>",
            "  </item>",
        ]
    parts.append("</order>")
    return "\n".join(parts)


def _broken(text: str, r: random.Random) -> str:
    """An upload as partners' interfaces sometimes send it: a tag renamed on one side, a bare
    ampersand, a truncated end, a stray attribute quote."""
    how = r.randrange(4)
    if how == 0:
        return text.replace("</family>", "</famly>", 1).replace("</supplier>", "</suplier>", 1)
    if how == 1:
        return text.replace("<reason>", "<reason>A & B ", 1).replace(
            "<supplier>", "<supplier>A & ", 1
        )
    if how == 2:
        return text[: len(text) * 2 // 3]
    return text.replace("<referral received=", "<referral received", 1).replace(
        "<order>", "<order status=open>", 1
    )


class Intake:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.intake = etree.XMLSchema(etree.fromstring(INTAKE_XSD.encode()))
        self.orders = etree.XMLSchema(etree.fromstring(ORDER_XSD.encode()))
        self.summary = etree.XSLT(etree.fromstring(SUMMARY_XSL.encode()))

    def parse(self, text: str, what: str) -> Any:
        r = self.r
        parser = etree.XMLParser(remove_blank_text=r.random() < 0.3)
        try:
            return etree.fromstring(text.encode(), parser)
        except etree.XMLSyntaxError as exc:
            how = r.randrange(3)
            if how == 0:
                log.error("malformed %s upload: %s", what, exc)
            elif how == 1:
                for entry in parser.error_log:
                    log.error("%s", entry)
            else:
                log.exception("could not parse %s upload", what)
            return None

    def validate(self, doc: Any, schema: Any, what: str) -> None:
        r = self.r
        how = r.randrange(5)
        if how == 0:
            try:
                schema.assertValid(doc)
            except etree.DocumentInvalid:
                log.exception("%s rejected", what)
            return
        if schema.validate(doc):
            if r.random() < 0.3:
                log.info("%s valid (%d elements)", what, sum(1 for _ in doc.iter()))
            return
        for entry in schema.error_log:
            if how == 1:
                log.warning("%s", entry)
            elif how == 2:
                log.warning("%s line %d: %s", what, entry.line, entry.message)
            elif how == 3:
                log.info("%s invalid at %s: %s", what, entry.path, entry.message)
            else:
                log.warning("schema error %s (%s)", entry.type_name, entry.message)

    def transform(self, doc: Any) -> None:
        result = self.summary(doc.getroottree())
        for entry in self.summary.error_log:
            if self.r.random() < 0.5:
                log.info("%s", entry)
            else:
                log.info("xslt: %s", entry.message)
        if self.r.random() < 0.3:
            log.debug("summary %s", str(result).strip())

    def show(self, doc: Any, p: Patient | None) -> None:
        r = self.r
        how = r.randrange(4)
        if how == 0:
            text = etree.tostring(doc, pretty_print=True, encoding="unicode").rstrip()
            log.debug("normalized upload:\n%s", text)
        elif how == 1:
            paths = ["//family/text()", "//given/text()", "//mrn/text()", "//postalCode/text()",
                     "//number/text()", "//ndc/text()", "//quantity/text()"]  # fmt: skip
            path = r.choice(paths)
            log.info("%s -> %s", path, doc.xpath(path))
        elif how == 2:
            tags = ["ssn", "birthDate", "email", "phone", "memberId", "lot", "deliveryDate"]
            for tag in r.sample(tags, 3):
                found = doc.find(f".//{tag}")
                if found is not None:
                    log.debug("element %s", etree.tostring(found))
        else:
            log.debug("root %r with %d children", doc, len(doc))


def _patient(i: Intake, p: Patient) -> None:
    r = i.r
    text = _referral(p, r)
    if r.random() < 0.18:
        text = _broken(text, r)
    doc = i.parse(text, "referral")
    if doc is None:
        return
    kind = r.randrange(4)
    if kind in (0, 1):
        i.validate(doc, i.intake, f"referral from {doc.findtext('sender')}")
    elif kind == 2:
        i.transform(doc)
    else:
        i.show(doc, p)


def _benign(i: Intake) -> None:
    r = i.r
    text = _order(r)
    if r.random() < 0.15:
        text = _broken(text, r)
    doc = i.parse(text, "order")
    if doc is None:
        return
    kind = r.randrange(4)
    if kind in (0, 1):
        i.validate(doc, i.orders, f"order {doc.findtext('number')}")
    elif kind == 2:
        i.transform(doc)
    else:
        i.show(doc, None)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    i = Intake(seed + 293)
    for p in patients:
        with cap.about(p):
            for _ in range(3):
                _patient(i, p)
        for _ in range(4):
            _benign(i)
