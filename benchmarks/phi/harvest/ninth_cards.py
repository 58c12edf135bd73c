"""The `vobject` emitter of `ninth_held.py`: vCards (3.0) of patients and their emergency
contacts built, serialised and parsed with vobject in the app's contact export and import
jobs, as they log them: each content line of a serialised card (`N`, `FN`, `TEL;TYPE=CELL`,
`EMAIL;TYPE=INTERNET`, `ADR;TYPE=HOME`, `BDAY`, `NOTE`, `X-` properties with the MRN and the
member id), parsed cards walked (`card.fn.value`, `repr` of components and properties,
`contents` keys, `prettyPrint`-like dumps), and the `ParseError`s vobject raises on cards
uploaded from patients' phones (lines without a colon, cards never closed, bad `BEGIN`s).
Supplier and staff cards (folded at 75 characters, as vobject writes them), with order numbers,
versions and counts, for the benign lines."""

from __future__ import annotations

import logging
import random
from typing import Any

import vobject
from patients import Patient

log = logging.getLogger("clinic.contacts")

SUPPLIERS = (
    ("Medline Industries", "orders@medline.example", "Northfield"),
    ("Henry Schein", "po@henryschein.example", "Melville"),
    ("McKesson Medical-Surgical", "supply@mckesson.example", "Richmond"),
    ("Cardinal Health", "cs@cardinal.example", "Dublin"),
    ("Owens and Minor", "service@owens-minor.example", "Mechanicsville"),
)
ROLES = ("Front desk", "Phlebotomy", "Billing", "Nursing", "IT on call", "Facilities")


def _card(p: Patient, r: random.Random) -> Any:
    card = vobject.vCard()
    card.add("n").value = vobject.vcard.Name(family=p.last_name, given=p.first_name)
    card.add("fn").value = p.full_name
    tel = card.add("tel")
    tel.value = p.phone
    tel.type_param = r.choice(["CELL", "HOME", "VOICE"])
    email = card.add("email")
    email.value = p.email
    email.type_param = "INTERNET"
    adr = card.add("adr")
    adr.value = vobject.vcard.Address(street=p.street, city=p.city, region=p.state, code=p.zip)
    adr.type_param = "HOME"
    card.add("bday").value = r.choice([p.dob.isoformat(), f"{p.dob:%Y%m%d}"])
    card.add("note").value = r.choice(
        [f"MRN {p.mrn}", f"Member {p.member_id}", f"Guarantor account {p.account}"]
    )
    card.add("x-clinic-mrn").value = p.mrn
    if r.random() < 0.4:
        card.add("x-medicare-mbi").value = p.mbi
    card.add("uid").value = f"urn:uuid:{r.getrandbits(128):032x}"
    card.add(
        "rev"
    ).value = f"2026{r.randint(1, 12):02d}{r.randint(1, 28):02d}T{r.randint(0, 23):02d}0000Z"
    return card


def _patient(p: Patient, contact: Patient, r: random.Random) -> None:
    card = _card(p, r)
    kind = r.randrange(3)
    if kind == 0:
        text = card.serialize(lineLength=1000)
        log.info("vCard export for MRN %s:\n%s", p.mrn, text.rstrip("\r\n").replace("\r\n", "\n"))
    elif kind == 1:
        for line in card.serialize(lineLength=1000).splitlines():
            log.debug("export %s: %s", p.mrn, line)
    else:
        log.info("contact card %r: %s", card.fn, sorted(card.contents))
        log.info("home address of %s: %r", p.mrn, card.adr)
        log.debug("tel %r email %r", card.tel, card.email)
    # an uploaded card, parsed back
    raw = card.serialize(lineLength=1000)
    parsed = vobject.readOne(raw)
    log.info(
        "imported card: fn=%s tel=%s email=%s bday=%s",
        parsed.fn.value, parsed.tel.value, parsed.email.value, parsed.bday.value,
    )  # fmt: skip
    if r.random() < 0.5:
        log.debug("parsed components: %r", parsed.n)
    for kind in r.sample(range(5), 2):
        lines = raw.split("\r\n")
        if kind == 0:
            broken = [ln.replace(":", " ", 1) if ln.startswith("TEL") else ln for ln in lines]
        elif kind == 1:
            broken = [ln for ln in lines if ln != "END:VCARD"]
        elif kind == 2:
            broken = [ln.replace(";", ":", 1) if ln.startswith("ADR") else ln for ln in lines]
            broken = [ln for ln in broken if not ln.startswith("ADR:")] + ["ADR " + p.street]
            broken.remove("END:VCARD")
            broken.append("END:VCARD")
        elif kind == 3:
            broken = [
                "BEGIN:VCARD",
                "VERSION:3.0",
                f"FN:{p.full_name}",
                f"EMAIL {p.email}",
                "END:VCARD",
            ]
        else:
            broken = [
                "BEGIN:VCARD",
                "VERSION:3.0",
                f"N:{p.last_name};{p.first_name}",
                f"TEL:{p.phone}",
                "END:VCAL",
            ]
        try:
            again = vobject.readOne("\r\n".join(broken))
            log.info("card of %s imported with %d properties", p.mrn, len(again.contents))
        except vobject.base.ParseError as exc:
            if r.random() < 0.3:
                log.exception("contact upload from %s rejected", p.ip)
            else:
                log.warning("contact upload for %s %s rejected: %s", p.first_name, p.last_name, exc)
    ec = vobject.vCard()
    ec.add("fn").value = contact.full_name
    ec.add("n").value = vobject.vcard.Name(family=contact.last_name, given=contact.first_name)
    ec.add("tel").value = contact.phone
    ec.add("x-relationship").value = r.choice(["spouse", "parent", "sibling", "friend"])
    ec.add("x-emergency-contact-for").value = p.mrn
    for line in ec.serialize(lineLength=1000).splitlines():
        log.debug("emergency contact: %s", line)


def _benign(r: random.Random, n: int) -> None:
    card = vobject.vCard()
    kind = r.randrange(3)
    if kind < 2:
        name, mail, city = r.choice(SUPPLIERS)
        card.add("fn").value = name
        card.add("n").value = vobject.vcard.Name(family=name)
        card.add("org").value = [name, r.choice(["Customer service", "Orders", "Returns"])]
        card.add("email").value = mail
        card.add("tel").value = f"+1 800 555 {r.randint(100, 199):04d}"
        card.add("note").value = (
            f"Account PO-{r.randint(2025, 2026)}-{r.randint(1, 99999):05d};"
            f" net {r.choice([15, 30, 45])} days; {r.randint(1, 40)} open orders;"
            f" catalogue v{r.randint(1, 9)}.{r.randint(0, 20)}"
        )
        card.add("adr").value = vobject.vcard.Address(city=city, region="US")
    else:
        role = r.choice(ROLES)
        card.add("fn").value = f"{role} team"
        card.add("n").value = vobject.vcard.Name(family=f"{role} team")
        card.add("tel").value = f"ext. {r.randint(2000, 2999)}"
        card.add(
            "note"
        ).value = f"Rota week 2026-W{r.randint(1, 52):02d}; pager {r.randint(100, 999)}"
    card.add("uid").value = f"urn:uuid:{r.getrandbits(128):032x}"
    card.add("rev").value = f"2026{r.randint(1, 12):02d}{r.randint(1, 28):02d}T000000Z"
    text = card.serialize()
    log.info("directory card %d:\n%s", n, text.rstrip("\r\n").replace("\r\n", "\n"))
    if r.random() < 0.3:
        try:
            vobject.readOne(text.replace("END:VCARD", "END:VCAL"))
        except vobject.base.ParseError as exc:
            log.warning("directory sync %d: %s", n, exc)
    if r.random() < 0.3:
        log.info(
            "directory export %d: %d cards, %d bytes", n, r.randint(10, 400), r.randint(2000, 90000)
        )


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 83)
    for i, p in enumerate(patients):
        contact = patients[(i + 1) % len(patients)]
        # the emergency contact is a patient too: the lines are about both
        with cap.about(p, contact):
            _patient(p, contact, r)
        for k in range(3):
            _benign(r, i * 3 + k)
