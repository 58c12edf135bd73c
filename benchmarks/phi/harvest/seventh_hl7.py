"""The `hl7` emitter of `seventh_held.py`: an interface engine receiving HL7 v2 messages from
registration and the lab, parsed by python-hl7; what it logs about them."""

from __future__ import annotations

import datetime
import logging
import random
from typing import Any

import hl7
from hl7.exceptions import ParseException
from patients import Patient

log = logging.getLogger("clinic.hl7")

SENDERS = (("REGADT", "NORTHCLINIC"), ("EPICADT", "MAINCAMPUS"), ("LABSYS", "CORELAB"))
RECEIVERS = (("CLINICAPP", "CLINIC"), ("HUB", "INTEGRATION"))
EVENTS = ("A04", "A08", "A31", "A28")
PAYERS = ("AETNA", "BCBS", "CIGNA", "UHC", "HUMANA", "MEDICARE")
TESTS = (("2345-7", "Glucose"), ("718-7", "Hemoglobin"), ("2160-0", "Creatinine"))
ITEMS = (
    ("SUP-1001", "Nitrile gloves M", "BX"),
    ("SUP-1044", "Syringe 5 mL", "EA"),
    ("RX-20031", "Amoxicillin 500 mg cap", "CAP"),
    ("RX-20518", "Ibuprofen 200 mg tab", "TAB"),
    ("SUP-2210", "Gauze pad 4x4", "PK"),
    ("SUP-3302", "Alcohol prep pad", "BX"),
)
LOCATIONS = ("ER^01^A", "ICU^04^B", "CLINIC2^12^", "WEST^3^1", "OR^2^")
ROOMS = ("Exam 1", "Exam 2", "Infusion 4", "Imaging A", "Lab draw")


class Msgs:
    def __init__(self, r: random.Random) -> None:
        self.r = r
        self.n = 0

    def stamp(self) -> str:
        moment = datetime.datetime(2025, 3, 1) + datetime.timedelta(
            seconds=self.r.randint(0, 300 * 86400)
        )
        return f"{moment:%Y%m%d%H%M%S}"

    def control(self) -> str:
        self.n += 1
        return f"MSG{self.r.randint(10000, 99999)}{self.n:05d}"

    def msh(self, kind: str) -> str:
        app, fac = self.r.choice(SENDERS)
        rapp, rfac = self.r.choice(RECEIVERS)
        version = self.r.choice(["2.3", "2.4", "2.5", "2.5.1"])
        return (
            f"MSH|^~\\&|{app}|{fac}|{rapp}|{rfac}|{self.stamp()}||{kind}"
            f"|{self.control()}|P|{version}"
        )


def _dob(p: Patient) -> str:
    return f"{p.dob:%Y%m%d}"


def _pid(p: Patient, r: random.Random) -> str:
    sex = r.choice("FMU")
    ids = f"{p.mrn}^^^CLN^MR"
    if r.random() < 0.5:
        ids += f"~{p.ssn}^^^SSA^SS"
    addr = f"{p.street}^^{p.city}^{p.state}^{p.zip}^USA^H"
    phone = p.phone if r.random() < 0.6 else f"{p.phone}^PRN^PH^{p.email}"
    ssn = p.ssn if r.random() < 0.6 else ""
    lic = f"{p.licence}^{p.state}" if r.random() < 0.5 else ""
    return (
        f"PID|1||{ids}||{p.last_name}^{p.first_name}^^^^^L||{_dob(p)}|{sex}|||{addr}"
        f"||{phone}|||||{p.account}|{ssn}|{lic}"
    )


def _message(p: Patient, m: Msgs, r: random.Random) -> tuple[str, list[str]]:
    if r.random() < 0.25:
        kind = "ORU^R01"
        code, name = r.choice(TESTS)
        segs = [
            m.msh(kind),
            _pid(p, r),
            f"OBR|1|{r.randint(100000, 999999)}||{code}^{name}^LN|||{m.stamp()}",
            f"OBX|1|NM|{code}^{name}^LN||{r.randint(40, 180)}|mg/dL|70-99|N|||F",
        ]
    else:
        event = r.choice(EVENTS)
        kind = f"ADT^{event}"
        segs = [m.msh(kind), f"EVN|{event}|{m.stamp()}", _pid(p, r)]
        segs.append(f"PV1|1|O|{r.choice(LOCATIONS)}||||{r.randint(1000, 9999)}^Attending^Dr")
        if r.random() < 0.6:
            segs.append(
                f"IN1|1|{r.choice(PAYERS)}|{r.randint(100, 999)}|{r.choice(PAYERS)} PLAN"
                f"|||||||||||{p.last_name}^{p.first_name}|SEL|{_dob(p)}||||||||||||||||||"
                f"{p.member_id}"
            )
        if r.random() < 0.3:
            segs.append(f"NK1|1|{p.last_name}^Contact|SPO|{p.street}^^{p.city}^{p.state}")
    return kind, segs


def _patient(p: Patient, m: Msgs, r: random.Random) -> None:
    kind, segs = _message(p, m, r)
    raw = "\r".join(segs) + "\r"
    msg = hl7.parse(raw)
    control = str(msg["MSH.F10"]) if "MSH" in str(msg[0][0]) else "?"
    log.info("received %s control id %s (%d segments)", kind, control, len(msg))
    if r.random() < 0.6:
        log.debug("raw message:\n%s", str(msg).replace("\r", "\n").strip())
    pid = msg.segment("PID")
    log.info("PID: %s", pid)
    if r.random() < 0.5:
        log.debug("PID segment %r", pid)
    log.info(
        "patient %s %s, born %s, MRN %s",
        msg["PID.F5.R1.C2"],
        msg["PID.F5.R1.C1"],
        msg["PID.F7"],
        msg.extract_field("PID", 1, 3, 1, 1),
    )
    born = hl7.parse_datetime(str(msg["PID.F7"]))
    log.debug("PID-7 parsed as %s", born.date() if r.random() < 0.5 else born)
    log.debug("PID-11 address %s", pid[11])
    if r.random() < 0.5:
        log.debug("address components %r", [str(c) for c in pid[11][0]])
    log.debug("PID-13 phone %s", pid[13])
    if str(pid[19]):
        log.debug("PID-19 SSN %s", pid[19])
    if str(pid[18]):
        log.info("account %s linked to MRN %s", pid[18], p.mrn)
    try:
        in1 = msg.segment("IN1")
        log.info("coverage %s member id %s", in1[2], in1[36] if len(in1) > 36 else "?")
        log.debug("IN1 insured %s, %s", in1[16], in1[18])
    except KeyError as exc:
        log.warning(
            "%s for patient %s %s (MRN %s): coverage not updated",
            exc,
            p.first_name,
            p.last_name,
            p.mrn,
        )
    try:
        nk1 = msg.segment("NK1")
        log.debug("NK1 %s", nk1)
    except KeyError:
        pass
    try:
        pid[40]
    except IndexError as exc:
        if r.random() < 0.3:
            log.debug("PID-40 missing (%s) in %s", exc, pid)
    _broken(p, segs, m, r)


def _broken(p: Patient, segs: list[str], m: Msgs, r: random.Random) -> None:
    """The malformed messages the registration feed sends now and then."""
    roll = r.random()
    if roll < 0.3:
        raw = "\r".join(segs[1:]) + "\r"  # the MSH segment lost
        try:
            hl7.parse(raw)
        except ParseException as exc:
            log.error("cannot parse message from feed: %s; first segment %s", exc, segs[1])
    elif roll < 0.45:
        raw = "\n".join(segs)  # \n instead of \r: one segment only
        msg = hl7.parse(raw)
        try:
            msg.segment("PID")
        except KeyError:
            log.exception("no PID in message with %d segment(s): %r", len(msg), raw)
    elif roll < 0.6:
        try:
            hl7.parse(f"{p.last_name}^{p.first_name}|{_dob(p)}|{p.mrn}")
        except ParseException as exc:
            log.warning("rejected fragment for MRN %s: %s", p.mrn, exc)
    elif roll < 0.7:
        typed = r.choice([p.dob.isoformat(), f"{p.dob:%m/%d/%Y}"])
        try:
            log.info("DOB %s parsed as %s", typed, hl7.parse_datetime(typed))
        except ValueError:
            log.exception("PID-7 %r for %s %s is not an HL7 date", typed, p.first_name, p.last_name)


# --- benign ---------------------------------------------------------------------------------


def _benign(m: Msgs, r: random.Random) -> None:
    roll = r.random()
    if roll < 0.35:
        code, name, unit = r.choice(ITEMS)
        qty = r.randint(1, 500)
        order = f"PO{r.randint(100000, 999999)}"
        segs = [
            m.msh("RDE^O11"),
            f"ORC|NW|{order}|||||^^^{m.stamp()}",
            f"RXE|^^^{m.stamp()}|{code}^{name}^LOCAL|{qty}||{unit}",
            f"RXD|1|{code}^{name}^LOCAL|{m.stamp()}|{qty}|{unit}",
        ]
    elif roll < 0.55:
        loc = r.choice(LOCATIONS)
        segs = [
            m.msh("MFN^M05"),
            "MFI|LOC||UPD|||AL",
            f"MFE|MUP|{r.randint(1000, 9999)}|{m.stamp()}|{loc}",
            f"LOC|{loc}|{r.choice(ROOMS)}|C|",
        ]
    elif roll < 0.8:
        segs = [
            m.msh("SIU^S12"),
            f"SCH|{r.randint(10000, 99999)}||||||ROUTINE^Routine|{r.randint(15, 60)}|min"
            f"|^^{r.randint(15, 60)}^{m.stamp()}^{m.stamp()}",
            f"AIL|1||{r.choice(LOCATIONS)}|{r.choice(ROOMS)}",
        ]
    else:
        segs = [m.msh("ACK^A04^ACK"), f"MSA|{r.choice(['AA', 'AE', 'AR'])}|{m.control()}"]
    raw = "\r".join(segs) + "\r"
    msg = hl7.parse(raw)
    kind = str(msg["MSH.F9"])
    log.info("received %s control id %s (%d segments)", kind, msg["MSH.F10"], len(msg))
    if r.random() < 0.5:
        log.debug("raw message:\n%s", str(msg).replace("\r", "\n").strip())
    for seg in list(msg)[1:]:
        if r.random() < 0.5:
            log.debug("%s: %s", seg[0], seg)
        else:
            log.debug("%s segment %r", seg[0], seg)
    log.debug(
        "sent by %s at %s version %s",
        msg["MSH.F3"],
        hl7.parse_datetime(str(msg["MSH.F7"])),
        msg["MSH.F12"],
    )
    try:
        msg.segment("PID")
    except KeyError as exc:
        log.debug("%s: %s carries no patient", exc, kind)
    if r.random() < 0.2:
        try:
            hl7.parse("\r".join(segs[1:]))
        except ParseException as exc:
            log.error("cannot parse message from feed: %s; first segment %s", exc, segs[1])
    if r.random() < 0.1:
        try:
            msg.segment("ZZZ")
        except KeyError:
            log.exception("interface %s sent %s without its Z segment", msg["MSH.F3"], kind)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 71)
    m = Msgs(r)
    for p in patients:
        for _ in range(3):
            with cap.about(p):
                _patient(p, m, r)
    for _ in range(700):
        _benign(m, r)
