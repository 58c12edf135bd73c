"""The `ldap3` emitter of `fourteenth_held.py`: the patient portal's accounts and the staff's
directory in LDAP, as the app's portal sync reads and writes them with ldap3 over its
`MOCK_SYNC` strategy (an in-memory directory with OpenLDAP 2.4's schema: no socket, nothing
listens). Captured: the `ldap3` logger at its `EXTENDED` detail level (each operation started
and done, the requests sent and responses received as ldap3 formats them, sanitized DNs and
filters, instantiated cursors and definitions, with sensitive data hidden as ldap3 hides it),
and what the app logs: `conn.result`, entries (`repr`, `entry_to_json()`, `entry_to_ldif()`),
pending changes of a `Writer`'s entries, `LDAPException`s (`str`, with tracebacks), compares.
Staff accounts, groups, devices and rooms for the benign lines. Entries' read times are replaced
by seeded ones."""

from __future__ import annotations

import datetime
import logging
import random
import re
from typing import Any

from ldap3 import (
    ALL_ATTRIBUTES,
    MOCK_SYNC,
    MODIFY_ADD,
    MODIFY_REPLACE,
    OFFLINE_SLAPD_2_4,
    Connection,
    ObjectDef,
    Reader,
    Server,
    Writer,
)
from ldap3.core.exceptions import LDAPException
from ldap3.utils import log as ldap_log
from patients import Patient

log = logging.getLogger("clinic.directory")
BASE = "dc=clinic,dc=example"
PATIENTS = f"ou=patients,{BASE}"
STAFF_OU = f"ou=staff,{BASE}"
DEVICES = f"ou=devices,{BASE}"
STAFF = (
    ("Helen", "Park", "Cardiology"),
    ("Samuel", "Okoro", "Nephrology"),
    ("Ingrid", "Holm", "Front Desk"),
    ("Carla", "Reyes", "Billing"),
    ("Tobias", "Lindqvist", "Radiology"),
    ("Marguerite", "Dubois", "Pharmacy"),
)


def _attrs(p: Patient, r: random.Random) -> dict[str, Any]:
    attrs: dict[str, Any] = {
        "cn": f"{p.first_name} {p.last_name}",
        "givenName": p.first_name,
        "sn": p.last_name,
        "mail": p.email,
        "employeeNumber": p.mrn,
    }
    if r.random() < 0.6:
        attrs["telephoneNumber"] = p.phone
    if r.random() < 0.5:
        attrs["street"] = p.street
        attrs["l"] = p.city
        attrs["st"] = p.state
        attrs["postalCode"] = p.zip
    if r.random() < 0.3:
        attrs["postalAddress"] = f"{p.street}${p.city}, {p.state} {p.zip}"
    if r.random() < 0.4:
        attrs["description"] = f"born {p.dob.isoformat()}; plan member {p.member_id}"
    if r.random() < 0.2:
        attrs["carLicense"] = p.licence
    return attrs


def _entry(c: Connection, how: int) -> None:
    for e in c.entries[:2]:
        if how == 0:
            log.info("portal account:\n%r", e)
        elif how == 1:
            log.debug("portal account as JSON:\n%s", e.entry_to_json())
        else:
            log.debug("portal account as LDIF:\n%s", e.entry_to_ldif())


def _guard(what: str, r: random.Random, fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return fn(*args, **kwargs)
    except LDAPException as exc:
        if r.random() < 0.5:
            log.error("%s failed: %s", what, exc)
        else:
            log.exception("%s failed", what)
        return None


def _patient(c: Connection, p: Patient, uid: str, r: random.Random) -> None:
    dn = (
        f"uid={uid},{PATIENTS}"
        if r.random() < 0.7
        else f"cn={p.first_name} {p.last_name},{PATIENTS}"
    )
    kind = r.randrange(10)
    if kind in (0, 1):
        ok = c.add(dn, ["inetOrgPerson"], _attrs(p, r))
        log.info("add %s: %s %s", dn, ok, c.result)
        if r.random() < 0.4:
            c.add(dn, ["inetOrgPerson"], {"cn": f"{p.first_name} {p.last_name}", "sn": p.last_name})
            log.warning("second add of %s refused: %s", dn, c.result["description"])
    elif kind == 2:
        c.add(dn, ["inetOrgPerson"], _attrs(p, r))
        flt = r.choice(
            [
                f"(&(objectClass=inetOrgPerson)(sn={p.last_name}))",
                f"(mail={p.email})",
                f"(employeeNumber={p.mrn})",
                f"(|(givenName={p.first_name})(telephoneNumber={p.phone}))",
            ]
        )
        if _guard("search", r, c.search, PATIENTS, flt, attributes=ALL_ATTRIBUTES):
            _entry(c, r.randrange(3))
    elif kind == 3:
        flt = r.choice(
            [f"(sn={p.last_name}", f"(birthDate={p.dob.isoformat()})", f"(&(mail={p.email})"]
        )
        _guard(f"portal search {flt}", r, c.search, PATIENTS, flt, attributes=["cn", "mail"])
    elif kind == 4:
        c.add(dn, ["inetOrgPerson"], _attrs(p, r))
        ok = c.modify(
            dn,
            {
                "telephoneNumber": [(MODIFY_REPLACE, [p.phone])],
                "mail": [(MODIFY_REPLACE, [p.email])],
            },
        )
        log.info("contact update for %s: %s", dn, c.result if ok else c.last_error)
    elif kind == 5:
        ok = c.modify(f"uid={uid},{PATIENTS}", {"postalCode": [(MODIFY_ADD, [p.zip])]})
        if not ok:
            log.warning("no portal account %s to update (zip %s): %s", uid, p.zip, c.result)
    elif kind == 6:
        attrs = _attrs(p, r)
        attrs["dateOfBirth"] = p.dob.isoformat()
        _guard(f"add {dn}", r, c.add, dn, ["inetOrgPerson"], attrs)
    elif kind == 7:
        c.add(dn, ["inetOrgPerson"], _attrs(p, r))
        same = c.compare(dn, "employeeNumber", p.mrn)
        log.debug(
            "compare employeeNumber=%s on %s: %s (%s)", p.mrn, dn, same, c.result["description"]
        )
    elif kind == 8:
        c.add(dn, ["inetOrgPerson"], _attrs(p, r))
        reader = Reader(c, ObjectDef(["inetOrgPerson"], c), PATIENTS, f"sn:={p.last_name}")
        _guard("reader", r, reader.search)
        writer = Writer.from_cursor(reader)
        for e in writer.entries[:1]:
            e.telephoneNumber = p.phone
            if r.random() < 0.5:
                e.mobile = p.phone
            log.info("pending portal change:\n%r", e)
            _guard("commit", r, e.entry_commit_changes)
            if r.random() < 0.3:
                try:
                    e.birthDate = p.dob.isoformat()
                except LDAPException as exc:
                    log.error("cannot set birth date %s: %s", p.dob.isoformat(), exc)
    else:
        c.raise_exceptions = True
        try:
            _guard(f"delete {dn}", r, c.delete, dn)
        finally:
            c.raise_exceptions = False


def _benign(c: Connection, n: int, r: random.Random) -> None:
    kind = r.randrange(6)
    first, last, dept = r.choice(STAFF)
    uid = f"{first[0].lower()}{last.lower()}"
    dn = f"uid={uid},{STAFF_OU}"
    if kind == 0:
        c.add(
            dn,
            ["inetOrgPerson"],
            {
                "cn": f"{first} {last}",
                "sn": last,
                "ou": dept,
                "employeeType": r.choice(["staff", "locum"]),
            },
        )
        log.info("staff account %s: %s", dn, c.result["description"])
    elif kind == 1:
        if _guard("staff search", r, c.search, STAFF_OU, f"(ou={dept})", attributes=ALL_ATTRIBUTES):
            _entry(c, r.randrange(3))
    elif kind == 2:
        serial = f"{r.choice(['INF', 'ECG', 'SPO2'])}-{r.randint(100000, 999999)}"
        c.add(
            f"cn={serial},{DEVICES}",
            ["device"],
            {
                "serialNumber": serial,
                "l": f"room {n % 40}",
                "description": f"fw {r.randint(1, 5)}.{r.randint(0, 20)}",
            },
        )
        log.info("device %s registered: %s", serial, c.result["description"])
    elif kind == 3:
        group = f"cn={r.choice(['nurses', 'billing', 'radiology', 'on-call'])},ou=groups,{BASE}"
        c.add(group, ["groupOfNames"], {"member": [dn]})
        c.modify(group, {"member": [(MODIFY_ADD, [f"uid=locum{n % 17},{STAFF_OU}"])]})
        log.debug("group %s: %s", group, c.result)
    elif kind == 4:
        _guard(
            "device search",
            r,
            c.search,
            DEVICES,
            f"(serialNumber=INF-{r.randint(1, 9)}*",
            attributes=["cn"],
        )
    else:
        c.search(BASE, "(objectClass=organizationalUnit)", attributes=["ou"])
        log.debug(
            "%d organizational units, last result %s", len(c.entries), c.result["description"]
        )


_READ_TIME = re.compile(r"(READ TIME: |\[executed at: )\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}")


class ReadTimes:
    """Each entry's read time and each cursor's execution time replaced by a seeded one (in
    record order)."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.now = datetime.datetime(2026, 4, 6, 6, 30, 0)

    def _stamp(self, match: re.Match[str]) -> str:
        self.now += datetime.timedelta(microseconds=self.r.randint(200_000, 90_000_000))
        return f"{match.group(1)}{self.now.isoformat(timespec='microseconds')}"

    def __call__(self, text: str) -> str:
        return _READ_TIME.sub(self._stamp, text)


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 307)
    before = ldap_log.get_library_log_detail_level()
    ldap_log.set_library_log_detail_level(ldap_log.EXTENDED)
    try:
        server = Server("directory.clinic.example", get_info=OFFLINE_SLAPD_2_4)
        c = Connection(
            server,
            user=f"cn=portal-sync,ou=services,{BASE}",
            password="sync-only-secret",
            client_strategy=MOCK_SYNC,
        )
        c.strategy.add_entry(
            f"cn=portal-sync,ou=services,{BASE}",
            {"userPassword": "sync-only-secret", "sn": "portal-sync"},
        )
        c.bind()
        for i, p in enumerate(patients):
            uid = f"pt{r.randint(100000, 999999)}"
            with cap.about(p):
                for _ in range(3):
                    _patient(c, p, uid, r)
            for k in range(3):
                _benign(c, i * 3 + k, r)
        c.unbind()
    finally:
        ldap_log.set_library_log_detail_level(before)
