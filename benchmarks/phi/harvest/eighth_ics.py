"""The `icalendar` emitter of `eighth_held.py`: appointment invitations and birthday greetings
built and serialised with icalendar, replies from patients' calendar clients parsed with it, and
what the scheduling jobs log about them."""

from __future__ import annotations

import datetime
import logging
import random
import uuid
from typing import Any

from icalendar import Alarm, Calendar, Event, vCalAddress, vText
from patients import Patient

log = logging.getLogger("clinic.calendar")

PRODID = "-//Northgate Clinic//Scheduling 4.2//EN"
STAFF = (
    ("Dr. Hollis Vanecourt", "h.vanecourt@northgate-clinic.example"),
    ("Dr. Ottoline Fairweather", "o.fairweather@northgate-clinic.example"),
    ("Nurse Practitioner Tobiah Ashgrove", "t.ashgrove@northgate-clinic.example"),
    ("Dr. Anselm Wrexford", "a.wrexford@northgate-clinic.example"),
)
VISITS = ("Follow-up", "Annual physical", "Lab review", "Vaccination", "Telehealth visit")
ROOMS = ("Exam 3", "Exam 6", "Procedure room B", "Infusion bay 2", "Telehealth")
CLINIC = "Northgate Clinic - 400 Harbor Point Blvd - Suite 210"


class Ids:
    def __init__(self, r: random.Random) -> None:
        self.r = r

    def uid(self) -> str:
        return f"{uuid.UUID(int=self.r.getrandbits(128), version=4)}@northgate-clinic.example"

    def stamp(self) -> datetime.datetime:
        return datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
            seconds=self.r.randint(0, 300 * 86400)
        )

    def start(self) -> datetime.datetime:
        day = datetime.datetime(2026, 1, 5) + datetime.timedelta(days=self.r.randint(0, 320))
        return day.replace(hour=self.r.randint(7, 17), minute=self.r.choice([0, 15, 30, 45]))


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    return cal


def _attendee(p: Patient, r: random.Random) -> vCalAddress:
    who = vCalAddress(f"mailto:{p.email}")
    who.params["CN"] = vText(r.choice([p.full_name, f"{p.last_name}, {p.first_name}"]))
    who.params["ROLE"] = vText("REQ-PARTICIPANT")
    who.params["PARTSTAT"] = vText(r.choice(["NEEDS-ACTION", "ACCEPTED", "TENTATIVE"]))
    who.params["RSVP"] = vText("TRUE")
    return who


def _organizer(r: random.Random) -> vCalAddress:
    name, mail = r.choice(STAFF)
    who = vCalAddress(f"mailto:{mail}")
    who.params["CN"] = vText(name)
    return who


def _visit(p: Patient, r: random.Random, ids: Ids) -> Calendar:
    cal = _calendar("REQUEST")
    event = Event()
    start = ids.start()
    event.add("uid", ids.uid())
    event.add("dtstamp", ids.stamp())
    event.add("dtstart", start)
    event.add("dtend", start + datetime.timedelta(minutes=r.choice([15, 20, 30, 45])))
    visit = r.choice(VISITS)
    event.add(
        "summary",
        r.choice(
            [
                f"{visit}: {p.full_name}",
                f"{visit} - {p.last_name}, {p.first_name} (MRN {p.mrn})",
                f"{p.first_name} {p.last_name} - {visit}",
            ]
        ),
    )
    lines = [
        f"Patient: {p.full_name}",
        f"Date of birth: {p.dob.isoformat()}",
        f"MRN: {p.mrn}",
        f"Phone: {p.phone}",
        f"Member ID: {p.member_id}",
    ]
    event.add("description", " - ".join(r.sample(lines, r.randint(2, 4))))
    if r.random() < 0.3:
        event.add("location", f"Home visit: {p.street} {p.city} {p.state} {p.zip}")
    else:
        event.add("location", f"{CLINIC} - {r.choice(ROOMS)}")
    event.add("organizer", _organizer(r), encode=0)
    event.add("attendee", _attendee(p, r), encode=0)
    event.add("status", "CONFIRMED")
    event.add("x-clinic-mrn", p.mrn)
    if r.random() < 0.5:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("trigger", datetime.timedelta(hours=-r.choice([1, 2, 24])))
        alarm.add("description", f"Reminder: {visit} for {p.first_name} {p.last_name}")
        event.add_component(alarm)
    cal.add_component(event)
    return cal


def _birthday(p: Patient, r: random.Random, ids: Ids) -> Calendar:
    cal = _calendar("PUBLISH")
    event = Event()
    event.add("uid", ids.uid())
    event.add("dtstamp", ids.stamp())
    event.add("dtstart", p.dob)
    event.add("rrule", {"freq": "yearly"})
    event.add("summary", f"Birthday greeting: {p.full_name}")
    event.add("description", f"Send card to {p.street} {p.city} {p.zip}")
    event.add("categories", ["BIRTHDAY", "OUTREACH"])
    cal.add_component(event)
    return cal


def _log_calendar(cal: Calendar, r: random.Random, what: str) -> None:
    data = cal.to_ical()
    log.info("ics %s built: %d component(s), %d bytes", what, len(cal.subcomponents), len(data))
    for line in cal.content_lines():
        if line:
            log.debug("ics %s | %s", what, line)


def _walk(cal: Calendar, p: Patient, r: random.Random) -> None:
    parsed = Calendar.from_ical(cal.to_ical())
    for event in parsed.walk("VEVENT"):
        style = r.randrange(6)
        if style == 0:
            log.info("parsed event %s: %s", event["uid"], event["summary"])
        elif style == 1:
            who = event.get("attendee")
            log.info("attendee %s params %s", who, dict(who.params))
        elif style == 2:
            log.debug("event start %r summary %r", event.decoded("dtstart"), event["summary"])
        elif style == 3:
            log.debug("parsed %r", event)
        elif style == 4:
            log.debug("location %s; description %s", event.get("location"), event["description"])
        else:
            log.info(
                "event for MRN %s starts %s", event.get("x-clinic-mrn"), event.decoded("dtstart")
            )


REPLY = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:{prodid}\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n"
    "UID:{uid}\r\n{body}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
CLIENTS = (
    "-//Apple Inc.//iOS 18.2//EN",
    "-//Google Inc//Google Calendar 70.9054//EN",
    "Microsoft Exchange Server 2010",
    "-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
)


def _reply(p: Patient, r: random.Random, ids: Ids) -> None:
    uid = ids.uid()
    kind = r.randrange(5)
    if kind == 0:
        body = f'ATTENDEE;PARTSTAT=ACCEPTED;CN="{p.full_name}":mailto:{p.email}'
    elif kind == 1:
        body = f"ATTENDEE;PARTSTAT=DECLINED;CN={p.full_name} mailto:{p.email}"
    elif kind == 2:
        body = (
            f'ATTENDEE;CN="{p.full_name}";PARTSTAT=DECLINED:mailto:{p.email}\r\n'
            f"COMMENT:Cannot make it - please call {p.phone}"
        )
    elif kind == 3:
        body = f"DTSTART:{p.dob.isoformat()}\r\nSUMMARY:Birthday {p.first_name}"
    else:
        body = f'ATTENDEE;CN="{p.last_name}:mailto:{p.email}'
    text = REPLY.format(prodid=r.choice(CLIENTS), uid=uid, body=body)
    try:
        cal = Calendar.from_ical(text)
    except ValueError:
        log.exception("reply %s from %s could not be read", uid, p.email)
        return
    for component in cal.walk():
        for prop, message in component.errors:
            log.warning("reply %s: %s in %s: %s", uid, component.name, prop or "content", message)
    for event in cal.walk("VEVENT"):
        who = event.get("attendee")
        if who is not None:
            log.info("reply %s from %s: %s", uid, who, who.params.get("PARTSTAT"))
            if event.get("comment"):
                log.info("reply comment from %s: %s", who.params.get("CN"), event["comment"])
        else:
            log.warning("reply %s has no attendee: %r", uid, event)


def _benign(r: random.Random, ids: Ids, n: int) -> None:
    kind = r.randrange(4)
    cal = _calendar(r.choice(["PUBLISH", "REQUEST"]))
    for _ in range(r.randint(1, 2)):
        event = Event()
        start = ids.start()
        event.add("uid", ids.uid())
        event.add("dtstamp", ids.stamp())
        event.add("dtstart", start)
        event.add("dtend", start + datetime.timedelta(hours=r.choice([1, 2, 4, 8])))
        if kind == 0:
            name, _ = r.choice(STAFF)
            event.add("summary", f"On call: {name}")
            event.add("organizer", _organizer(r), encode=0)
            event.add("categories", ["ROTA"])
        elif kind == 1:
            room = r.choice(ROOMS)
            event.add("summary", f"{room} booked for sterilisation cycle {r.randint(100, 999)}")
            event.add("location", f"{CLINIC} - {room}")
        elif kind == 2:
            event.add(
                "summary",
                f"Delivery PO-{r.randint(2025, 2026)}-{r.randint(1, 99999):05d} "
                f"({r.randint(1, 40)} cartons)",
            )
            event.add(
                "description",
                f"Supplier {r.choice(['Medline', 'Cardinal', 'McKesson', 'Henry Schein'])}; "
                f"dock {r.randint(1, 4)}; invoice INV-{r.randint(100000, 999999)}",
            )
        else:
            event.add("summary", f"Maintenance window: EHR {r.randint(3, 9)}.{r.randint(0, 20)}")
            event.add("description", f"Expected downtime {r.choice([15, 30, 45, 60])} minutes")
            event.add("rrule", {"freq": "monthly", "count": r.randint(2, 12)})
        cal.add_component(event)
    what = ["rota", "rooms", "deliveries", "maintenance"][kind]
    _log_calendar(cal, r, what)
    if r.random() < 0.4:
        for line in cal.to_ical().decode("utf-8").split("\r\n"):
            if line:
                log.debug("%s", line)
    if r.random() < 0.5:
        for event in Calendar.from_ical(cal.to_ical()).walk("VEVENT"):
            log.debug("parsed %r", event)
            log.info("event %s starts %s", event["uid"], event.decoded("dtstart"))
    if r.random() < 0.3:
        bad = r.choice(
            [
                f"BEGIN:VEVENT\r\nDTSTART:2026-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}\r\n"
                "END:VEVENT\r\n",
                f"BEGIN:VEVENT\r\nSUMMARY Delivery {r.randint(100, 999)}\r\nEND:VEVENT\r\n",
                f"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Rota week {r.randint(1, 52)}\r\n"
                "END:VCALENDAR\r\n",
                f"BEGIN:VEVENT\r\nDURATION:PT{r.randint(1, 9)}X\r\nEND:VEVENT\r\n",
            ]
        )
        try:
            broken = Calendar.from_ical(bad)
        except ValueError:
            log.exception("feed %s-%04d.ics could not be read", what, n)
            return
        for component in broken.walk():
            for prop, message in component.errors:
                log.warning(
                    "feed %s-%04d.ics: %s in %s: %s",
                    what,
                    n,
                    component.name,
                    prop or "content",
                    message,
                )


def drive(seed: int, patients: list[Patient], cap: Any) -> None:
    r = random.Random(seed + 101)
    ids = Ids(r)
    n = 0
    for p in patients:
        with cap.about(p):
            for _ in range(2):
                cal = _visit(p, r, ids)
                _log_calendar(cal, r, "invite")
                _walk(cal, p, r)
                n += 1
            if r.random() < 0.5:
                _log_calendar(_birthday(p, r, ids), r, "greeting")
                n += 1
            for _ in range(2):
                _reply(p, r, ids)
        _benign(r, ids, n)
        n += 1
